/**
 * Each publish pipeline is resolved once per synthesis (validation, the workflow file and the manifest
 * read the same object), and afresh outside synthesis, where the model can still change.
 */
import { newDockerfile, newProject } from './fixtures';
import { synth } from './support';
import { GhcrPublishWorkflow } from '../../src';

beforeAll(() => {
  process.env.PROJEN_DISABLE_POST = 'true';
});

test('two workflows, one synthesis: each pipeline is resolved once', () => {
  const project = newProject('node');
  const { dockerfile } = newDockerfile(project);
  const a = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile });
  new GhcrPublishWorkflow(project, {
    provenanceAttestation: false,
    dockerfile,
    workflowName: 'other',
    imageName: 'acme/other',
    jobIds: { buildJob: 'b-build', publishJob: 'b-publish' },
  });
  const resolve = jest.spyOn(GhcrPublishWorkflow.prototype as unknown as { resolvePipeline(): unknown }, 'resolvePipeline');
  const files = synth(project);
  expect(files['.github/workflows/container-publish.yml']).toBeDefined();
  expect(files['.github/workflows/other.yml']).toBeDefined();
  expect(resolve).toHaveBeenCalledTimes(2);
  // outside synthesis each read resolves anew (the Dockerfile's target may still change)
  expect(a.pipeline).not.toBe(a.pipeline);
  resolve.mockRestore();
});

test('inside one synthesis every read returns the same object', () => {
  const project = newProject('node');
  const w = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile: newDockerfile(project).dockerfile });
  const reads: unknown[] = [];
  project.node.addValidation({ validate: () => { reads.push(w.pipeline, w.pipeline); return []; } });
  synth(project);
  expect(reads).toHaveLength(2);
  expect(reads[0]).toBe(reads[1]);
});
