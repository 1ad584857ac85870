import { Project, javascript } from 'projen';
import { tempOutdir } from './support';
import { BaseImage, CopySource, MultiStageDockerfile, GhcrPublishWorkflow, GhcrPublishWorkflowOptions } from '../../src';

export type ProjectKind = 'node' | 'plain';

/** A projen project: a NodeProject with projen's GitHub component (build and pull-request-lint workflows), or a plain Project (no GitHub component). */
export function newProject(kind: ProjectKind = 'node', extra: Partial<javascript.NodeProjectOptions> = {}): Project {
  const outdir = tempOutdir();
  if (kind === 'plain') return new Project({ name: 'plain', outdir });
  return new javascript.NodeProject({
    name: 'app',
    outdir,
    defaultReleaseBranch: 'main',
    // projen's upgrade workflow uses an action the shipped pin table does not know: covered by its own tests
    depsUpgrade: false,
    ...extra,
  });
}

/** A two-stage Dockerfile in the project; returns it and its stages. */
export function newDockerfile(project: Project, path = 'Dockerfile', context = '.') {
  const dockerfile = new MultiStageDockerfile(project, 'Dockerfile', { path, context });
  const build = dockerfile.addStage('build', { from: BaseImage.fromRegistry('python:3.11-slim-bookworm') })
    .workdir('/src')
    .run('python3 -m venv /venv');
  const runtime = dockerfile.addStage('runtime', { from: BaseImage.fromRegistry('python:3.11-slim-bookworm') })
    .copy(['/venv'], '/venv', { from: CopySource.stage(build) })
    .user('nobody')
    .cmd(['/venv/bin/python', '-m', 'http.server']);
  return { dockerfile, build, runtime };
}

/** A project with a Dockerfile and a GhcrPublishWorkflow. */
export function newWorkflowProject(options: Partial<GhcrPublishWorkflowOptions> = {}, kind: ProjectKind = 'node') {
  const project = newProject(kind);
  const { dockerfile, build, runtime } = newDockerfile(project);
  const workflow = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile, ...options });
  return { project, dockerfile, build, runtime, workflow };
}
