/**
 * Settings that follow a repository with several images: one GithubRepositorySettings reads the one
 * repository-wide manifest (every publish workflow's images) and requires every pipeline's aggregate and drift
 * checks; each required check is exactly one job of the repository's workflows, and it always reports (the
 * aggregate runs `if: always()`); the environments and the allowed actions follow the workflows; one package
 * settings page per image.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing as CdktfTesting } from 'cdktf';
import { javascript, Testing as ProjenTesting } from 'projen';
import { parse } from 'yaml';
import { expectAgreement } from './agreement-support';
import {
  BaseImage, BranchRuleKind, GhcrPublishWorkflow, GithubRepositorySettingsStack, MultiStageDockerfile, PipelineManifestFile, RepositoryVisibility,
} from '../../src';
import { collectProblems } from '../../src/core/problems';

type Obj = Record<string, any>;

function repository() {
  process.env.PROJEN_DISABLE_POST = 'true';
  const outdir = mkdtempSync(join(tmpdir(), 'dockyard-matrix-settings-'));
  const project = new javascript.NodeProject({ name: 'app', outdir, defaultReleaseBranch: 'main', depsUpgrade: false });
  const dockerfile = (name: string) => {
    const df = new MultiStageDockerfile(project, name, { path: `services/${name}/Dockerfile`, context: `services/${name}` });
    df.addStage('app', { from: BaseImage.fromRegistry('busybox:1.36') }).user('65534').cmd(['true']);
    return df;
  };
  // two publish workflows in one repository: a matrix of two images, and a one-image workflow
  new GhcrPublishWorkflow(project, {
    repositoryVisibility: RepositoryVisibility.PUBLIC,
    images: [
      { name: 'api', dockerfile: dockerfile('api'), platforms: ['linux/amd64', 'linux/arm64'], paths: ['services/api/*'] },
      { name: 'worker', dockerfile: dockerfile('worker') },
    ],
    synthDrift: {},
  });
  new GhcrPublishWorkflow(project, {
    workflowName: 'docs-image',
    dockerfile: dockerfile('docs'),
    imageName: 'acme/docs',
    provenanceAttestation: false,
    deployments: [{ branch: 'main', environment: 'docs' }],
    jobIds: { buildJob: 'docs-build', publishJob: 'docs-publish' },
  });
  const files = ProjenTesting.synth(project);
  const manifest = PipelineManifestFile.parse(JSON.stringify(files['.github/dockyard-pipeline.json']));
  const workflows: Record<string, Obj> = Object.fromEntries(Object.entries(files)
    .filter(([p]) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p)).map(([p, c]) => [p, parse(c as string)]));
  return { manifest, workflows };
}

describe('one settings construct for a repository of several images', () => {
  const { manifest, workflows } = repository();

  test('the manifest lists every image of every workflow', () => {
    expect(manifest.images.map(i => [i.name, i.imageName, i.platforms, i.workflow])).toEqual([
      ['api', undefined, ['linux/amd64', 'linux/arm64'], '.github/workflows/container-publish.yml'],
      ['worker', undefined, ['linux/amd64'], '.github/workflows/container-publish.yml'],
      ['', 'acme/docs', [], '.github/workflows/docs-image.yml'],
    ]);
    expect(manifest.requiredChecks).toEqual(['container-ready', 'synth-drift', 'docs-build', 'build']);
  });

  test.each([BranchRuleKind.RULESET, BranchRuleKind.BRANCH_PROTECTION])('the settings require every pipeline\'s checks, each a job that always reports (%s)', ruleKind => {
    const stack = new GithubRepositorySettingsStack(CdktfTesting.app(), 'repo', { owner: 'acme', repository: 'app', manifest, ruleKind });
    expect(collectProblems(stack)).toEqual([]);
    const json = JSON.parse(CdktfTesting.synth(stack, true));
    expectAgreement(json, manifest, ruleKind);
    const jobs = Object.values(workflows).flatMap(wf => Object.entries<Obj>(wf.jobs).map(([id, job]) => ({ name: String(job.name ?? id), job })));
    for (const check of manifest.requiredChecks) {
      const matching = jobs.filter(j => j.name === check);
      expect(matching).toHaveLength(1);
      // a required check must report on every pull request: no condition, or one that always holds
      expect([undefined, 'always()']).toContain(matching[0].job.if);
      expect(matching[0].job.strategy).toBeUndefined();
    }
    const environments = Object.values<Obj>(json.resource.github_repository_environment).map(e => e.environment).sort();
    expect(environments).toEqual(['docs', 'production', 'staging']);
    expect(stack.settings.packageSettingsUrls).toEqual([
      'https://github.com/users/acme/packages/container/app%2Fapi/settings',
      'https://github.com/users/acme/packages/container/app%2Fworker/settings',
      'https://github.com/users/acme/packages/container/docs/settings',
    ]);
  });
});
