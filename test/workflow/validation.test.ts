/**
 * Bad input: clear errors naming the construct path, the value and the fix, all at
 * once, at synth time, with nothing written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { github, Project } from 'projen';
import { parse } from 'yaml';
import { newDockerfile, newProject, newWorkflowProject } from './fixtures';
import { Obj, synth } from './support';
import { MultiStageDockerfile, ActionPin, ContainerPublishPipeline, GhcrPublishWorkflow, GhcrPublishWorkflowOptions } from '../../src';
import { DockyardValidationError } from '../../src/core/problems';
import { synthFailure } from '../support/synth';

const FAKE_SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';

/** Synthesizes and returns the validation error; asserts that no generated file was written. */
function synthError(options: Partial<GhcrPublishWorkflowOptions>, kind: 'node' | 'plain' = 'plain'): DockyardValidationError {
  const { project, workflow } = newWorkflowProject(options, kind);
  return errorOf(project, workflow);
}

function errorOf(project: Project, workflow?: GhcrPublishWorkflow): DockyardValidationError {
  const error = synthFailure(project);
  for (const f of ['Dockerfile', '.github/dockyard-pipeline.json', workflow?.workflowPath ?? '.github/workflows/container-publish.yml']) {
    expect({ file: f, written: existsSync(join(project.outdir, f)) }).toEqual({ file: f, written: false });
  }
  return error;
}

const PATH = /^\[Project#plain@[^\]/]+\/GhcrPublishWorkflow#container-publish\] /;

describe('bad input', () => {
  beforeAll(() => {
    process.env.PROJEN_DISABLE_POST = 'true';
  });

  test.each([
    ['Acme/App', /has uppercase letters, which registries reject; pass "acme\/app"/],
    ['ghcr.io/acme/app', /must not include the registry; pass "acme\/app"/],
    ['app', /must be "<owner>\/<name>"/],
    ['acme/app:latest', /is not an image name/],
    ['acme//app', /is not an image name/],
    ['acme/app\nrun: evil', /control character U\+000A/],
    ['acme/${{ github.actor }}', /would evaluate as an expression/],
  ])('an invalid image name %j', (imageName, message) => {
    const error = synthError({ imageName });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(PATH);
    expect(error.problems[0]).toMatch(/imageName/);
    expect(error.problems[0]).toMatch(message);
  });

  test.each([
    ['feature/*', /is a glob; list each branch by its exact name/],
    ['a..b', /must not contain "\.\."/],
    ['-main', /must not start with "-"/],
    ['topic.lock', /ending with "\.lock"/],
    ['.hidden', /starting with "\."/],
    ['main/', /must not start or end with "\/"/],
    ['a//b', /must not start or end with "\/" or contain "\/\/"/],
    ['release.', /must not end with "\."/],
    ['it\'s', /characters other than letters, digits/],
    ['main branch', /characters other than letters, digits/],
    ['ma@{in', /characters other than letters, digits/],
    ['HEAD', /"HEAD" is not a branch name/],
    ['', /must not be empty/],
  ])('an invalid branch %j', (branch, message) => {
    const error = synthError({ deployments: [{ branch, environment: 'production' }] });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(PATH);
    expect(error.problems[0]).toMatch(/deployments\[0\]\.branch/);
    expect(error.problems[0]).toMatch(message);
  });

  test.each([
    ['prod env'], ['.prod'], ['-prod'], ['prod/eu'], ['a'.repeat(129)], ['prod\u0000'], [''], ['pröd'],
  ])('an environment name %j', (environment) => {
    const error = synthError({ deployments: [{ branch: 'main', environment }] });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/deployments\[0\]\.environment/);
  });

  test('environment names that GitHub treats as one (case-insensitive)', () => {
    const error = synthError({ deployments: [{ branch: 'main', environment: 'Production' }, { branch: 'develop', environment: 'production' }] });
    expect(error.problems).toEqual([expect.stringMatching(/differ only in case, but GitHub environment names are case-insensitive/)]);
  });

  test('a branch mapped twice', () => {
    const error = synthError({ deployments: [{ branch: 'main', environment: 'production' }, { branch: 'main', environment: 'staging' }] });
    expect(error.problems).toEqual([expect.stringMatching(/deployments\[1\]\.branch "main" is listed twice/)]);
  });

  test('a target that is not a stage of the Dockerfile', () => {
    const project = newProject('plain');
    const { dockerfile } = newDockerfile(project);
    const other = new MultiStageDockerfile(project, 'Other', { path: 'other/Dockerfile' });
    const foreign = other.addStage('tool', { from: (dockerfile.stages[0] as any).from }).user('nobody');
    const workflow = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile, target: foreign });
    const error = errorOf(project, workflow);
    expect(error.problems).toEqual([expect.stringMatching(/\] target Project#plain@[^/]+\/Other\/tool is not a stage of Project#plain@[^/]+\/Dockerfile; pass one of its stages \(build, runtime\)$/)]);
  });

  test('a Dockerfile with no stage', () => {
    const project = newProject('plain');
    const dockerfile = new MultiStageDockerfile(project, 'Empty');
    const workflow = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile });
    const error = errorOf(project, workflow);
    expect(error.problems).toEqual([
      expect.stringMatching(/\/Empty\] the Dockerfile has no stage; add one with addStage\(\)$/),
      expect.stringMatching(/\/GhcrPublishWorkflow#container-publish\] dockerfile Project#plain@[^/]+\/Empty has no stage to build; add one with addStage\(\)$/),
    ]);
  });

  test.each([
    [ActionPin.of('docker/build-push-action', 'v7.3.0', 'v7.3.0'), /pinned to "v7\.3\.0", which is not a full commit SHA/],
    [ActionPin.of('docker/build-push-action', '53b7df9', 'v7.3.0'), /not a full commit SHA; pass the 40-character/],
    [ActionPin.of('docker/build-push-action', FAKE_SHA.toUpperCase(), 'v7.3.0'), /not a full commit SHA/],
    [ActionPin.of('docker/build-push-action', FAKE_SHA, 'v7.3.0\nevil: 1'), /has version "v7\.3\.0\\nevil: 1"; pass the release tag/],
    [ActionPin.of('docker build-push', FAKE_SHA, 'v1.0.0'), /is not an action name/],
  ])('an action pin that is not valid: %#', (pin, message) => {
    const error = synthError({ actionPins: [pin] });
    expect(error.problems).toEqual([expect.stringMatching(message)]);
  });

  test.each([['linux'], ['Linux/AMD64'], ['linux/amd64,linux/arm64'], ['linux/amd64 ']])('a platform %j', (platform) => {
    const error = synthError({ platforms: [platform] });
    expect(error.problems).toEqual([expect.stringMatching(/platforms\[0\] .* is not of the form os\/arch\[\/variant\]/)]);
  });

  test('a job name that collides with projen\'s build workflow', () => {
    const error = synthError({ jobIds: { buildJob: 'build' } }, 'node');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^\[NodeProject#app@[^\]/]+\/GhcrPublishWorkflow#container-publish\] /);
    expect(error.problems[0]).toMatch(/\] job name "build" \(jobIds\.buildJob\) is also a job of \.github\/workflows\/build\.yml; branch rules require checks by job name, so set jobIds: \{ buildJob: "<a unique name>" \}$/);
  });

  test('two publish workflows with the default job names', () => {
    const project = newProject('node');
    const { dockerfile } = newDockerfile(project);
    new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile });
    const second = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile, workflowName: 'second', manifestPath: '.github/second.json', dependabot: false });
    const error = errorOf(project, second);
    expect(error.problems.filter(p => p.includes('(jobIds.buildJob, the default) is also a job of'))).toHaveLength(2);
  });

  test('two publish workflows with their own job names and images synthesize, into one repository-wide manifest', () => {
    const project = newProject('node');
    const { dockerfile } = newDockerfile(project);
    new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile });
    new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile, workflowName: 'second', imageName: 'acme/second', jobIds: { buildJob: 'second-build', publishJob: 'second-publish' } });
    const files = synth(project);
    expect(Object.keys(parse(files['.github/workflows/second.yml']).jobs)).toEqual(['second-build', 'second-publish']);
    const manifest = files['.github/dockyard-pipeline.json'];
    expect(manifest.workflows).toEqual(expect.arrayContaining(['.github/workflows/container-publish.yml', '.github/workflows/second.yml']));
    expect(manifest.images.map((i: Obj) => [i.imageName, i.workflow])).toEqual([[undefined, '.github/workflows/container-publish.yml'], ['acme/second', '.github/workflows/second.yml']]);
    expect(manifest.requiredChecks).toEqual(['container-build', 'second-build', 'build']);
  });

  test('every problem at once', () => {
    const error = synthError({
      imageName: 'Acme/App',
      deployments: [{ branch: 'feature/*', environment: 'prod env' }],
      platforms: ['linux'],
      jobIds: { buildJob: 'build', publishJob: '9publish' },
      actionPins: [ActionPin.of('docker/login-action', 'v4', 'v4.1.0')],
      publishPaths: ['/abs/**'],
      runsOn: ['ubuntu latest'],
      synthDrift: { cdktfApp: '../outside', nodeVersion: '22; curl x', installCommand: 'npm ci\nrm -rf /' },
      workflowName: 'x.yml',
    }, 'node');
    const text = error.problems.join('\n');
    for (const what of [
      'imageName', 'deployments[0].branch', 'deployments[0].environment', 'platforms[0]', 'jobIds.publishJob', 'job name "build"',
      'action pin "docker/login-action"', 'publishPaths[0]', 'runsOn[0]', 'synthDrift.cdktfApp', 'synthDrift.nodeVersion',
      'synthDrift.installCommand', 'workflowName',
    ]) {
      expect(text).toContain(what);
    }
    expect(error.problems.length).toBe(13);
    expect(error.message).toMatch(/cdk-dockyard found 13 problem\(s\); nothing was written/);
  });

  test('tagEnvironment without semver tag publishing', () => {
    const error = synthError({ tagEnvironment: 'release' });
    expect(error.problems).toEqual([expect.stringMatching(/tagEnvironment is set but publishSemverTags is off; set publishSemverTags: true or drop tagEnvironment/)]);
  });

  test('the plain pipeline throws the same problems, naming the workflow file', () => {
    const pipeline = new ContainerPublishPipeline({ provenanceAttestation: false, dockerfile: { path: '/abs/Dockerfile', context: '.', target: 'Runtime' }, imageName: 'Acme/App' });
    expect(() => pipeline.renderWorkflow()).toThrow(DockyardValidationError);
    try {
      pipeline.renderWorkflow();
    } catch (e) {
      expect((e as DockyardValidationError).problems).toEqual([
        '[.github/workflows/container-publish.yml] Dockerfile path "/abs/Dockerfile" must be relative to the repository root',
        '[.github/workflows/container-publish.yml] Dockerfile target "Runtime" is not a stage name (lowercase letters, digits, "_", ".", "-")',
        '[.github/workflows/container-publish.yml] imageName "Acme/App" has uppercase letters, which registries reject; pass "acme/app"',
      ]);
    }
  });
});

describe('SHA pinning of projen\'s own workflows', () => {
  beforeAll(() => {
    process.env.PROJEN_DISABLE_POST = 'true';
  });

  /** A NodeProject (upgrade workflow on) whose own extra projen workflow uses an action the pin table does not know. */
  function upgradeProject(options: Partial<GhcrPublishWorkflowOptions> = {}) {
    const project = newProject('node', { depsUpgrade: true });
    const custom = github.GitHub.of(project)!.addWorkflow('lint');
    custom.on({ pullRequest: {} });
    custom.addJob('lint', {
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.READ },
      steps: [{ name: 'Lint', uses: 'acme/lint-action@v2.0.0' }],
    });
    const { dockerfile } = newDockerfile(project);
    const workflow = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile, ...options });
    return { project, workflow };
  }

  test('projen\'s default upgrade workflow is pinned by the shipped table (create-pull-request included)', () => {
    const project = newProject('node', { depsUpgrade: true });
    new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile: newDockerfile(project).dockerfile });
    const upgrade = parse(synth(project)['.github/workflows/upgrade-main.yml']) as Obj;
    const uses = Object.values<Obj>(upgrade.jobs).flatMap(j => j.steps).map((s: Obj) => s.uses).filter(Boolean);
    expect(uses).toContain('peter-evans/create-pull-request@5f6978faf089d4d20b00c7766989d076bb2fc7f1');
    for (const u of uses) expect(u).toMatch(/@[0-9a-f]{40}$/);
  });

  test('an action the pin table does not know is an error naming it and the fix', () => {
    const { project, workflow } = upgradeProject();
    const error = errorOf(project, workflow);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].replace(/^\[[^\]]+\] /, '')).toEqual(
      '.github/workflows/lint.yml uses acme/lint-action@v2.0.0, which is not pinned to a full commit SHA; '
      + 'add ActionPin.of("acme/lint-action", "<40-hex commit>", "v2.0.0") to actionPins '
      + '(the commit: `git ls-remote https://github.com/acme/lint-action refs/tags/v2.0.0`), or set requireShaPinning: false',
    );
  });

  test('a pin passed in actionPins pins projen\'s workflow', () => {
    const { project } = upgradeProject({ actionPins: [ActionPin.of('acme/lint-action', FAKE_SHA, 'v2.0.0')] });
    const files = synth(project);
    const lint = parse(files['.github/workflows/lint.yml']) as Obj;
    const uses = Object.values<Obj>(lint.jobs).flatMap(j => j.steps).map((s: Obj) => s.uses).filter(Boolean);
    expect(uses).toEqual([`acme/lint-action@${FAKE_SHA}`]);
    const manifest = files['.github/dockyard-pipeline.json'];
    expect(manifest.shaPinned).toBe(true);
    expect(manifest.actions).toContainEqual({ action: 'acme/lint-action', ref: FAKE_SHA, version: 'v2.0.0', workflows: ['.github/workflows/lint.yml'] });
  });

  test('with requireShaPinning off, synthesis passes and the manifest says the repository is not SHA-pinned', () => {
    const { project } = upgradeProject({ requireShaPinning: false });
    const manifest = synth(project)['.github/dockyard-pipeline.json'];
    expect(manifest.shaPinned).toBe(false);
    expect(manifest.actions).toContainEqual({ action: 'acme/lint-action', ref: 'v2.0.0', version: 'v2.0.0', workflows: ['.github/workflows/lint.yml'] });
  });
});
