/**
 * Escape hatches of the publish workflow: its file is a projen ObjectFile (addOverride / patch keep the
 * version comments and are validated before anything is written), typed extra steps before and after the
 * build in both jobs, build arguments and build secrets checked against the Dockerfile, extra needs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { github, JsonPatch } from 'projen';
import { parse } from 'yaml';
import { newDockerfile, newProject } from './fixtures';
import { NO_FINDINGS, Obj, synth, usesWithComments, validate } from './support';
import { ActionPin, GhcrPublishWorkflow, GhcrPublishWorkflowOptions, RunMount } from '../../src';
import { synthFailure } from '../support/synth';

const PATH = '.github/workflows/container-publish.yml';

beforeAll(() => {
  process.env.PROJEN_DISABLE_POST = 'true';
});

function setup(options: Partial<GhcrPublishWorkflowOptions> = {}) {
  const project = newProject('node');
  const { dockerfile, build, runtime } = newDockerfile(project);
  const workflow = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile, ...options });
  return { project, dockerfile, build, runtime, workflow };
}

const stepNames = (job: Obj): string[] => job.steps.map((s: Obj) => s.name);

describe('the workflow file is a projen ObjectFile', () => {
  test('project.tryFindObjectFile finds it; addOverride and patch reach the written file, with the version comments kept', async () => {
    const { project, workflow } = setup();
    expect(project.tryFindObjectFile(PATH)).toBe(workflow.file);
    // no projen GithubWorkflow stands for it: edits made through one would never reach the written file
    expect(github.GitHub.of(project)).toBeDefined();
    expect(github.GitHub.of(project)!.tryFindWorkflow('container-publish')).toBeUndefined();
    workflow.file.addOverride('jobs.container-build.timeout-minutes', 30);
    workflow.file.patch(JsonPatch.add('/jobs/container-publish/steps/0/with/fetch-depth', 1));
    const content = synth(project)[PATH] as string;
    const wf = parse(content) as Obj;
    expect(wf.jobs['container-build']['timeout-minutes']).toBe(30);
    expect(wf.jobs['container-publish'].steps[0].with).toEqual({ 'persist-credentials': false, 'fetch-depth': 1 });
    for (const u of usesWithComments(content)) expect(u.comment).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(await validate(content, PATH)).toEqual(NO_FINDINGS);
  });

  test('an override that adds an unpinned action fails before anything is written', () => {
    const { project, workflow } = setup();
    workflow.file.addOverride('jobs.container-build.steps.0.uses', 'actions/checkout@v7');
    const error = synthFailure(project);
    expect(error.problems).toEqual([expect.stringMatching(/GhcrPublishWorkflow#container-publish\] jobs\.container-build\.steps\[0\] uses "actions\/checkout@v7", which is not pinned to a full commit SHA/)]);
    expect(existsSync(join(project.outdir, PATH))).toBe(false);
  });

  test('an override that removes a required check, or the top-level permissions, is an error', () => {
    const { project, workflow } = setup();
    workflow.file.addDeletionOverride('jobs.container-build');
    workflow.file.addDeletionOverride('permissions');
    const problems = synthFailure(project).problems.map(p => p.replace(/^\[[^\]]+\] /, ''));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^jobs\.container-publish\.needs "container-build" is not a job of the workflow/),
      expect.stringMatching(/^the required check "container-build" is no longer a job of the workflow/),
      expect.stringMatching(/^the workflow has no top-level permissions block/),
    ]));
  });
});

describe('typed extra steps', () => {
  const SCAN = ActionPin.of('acme/scan-action', 'a'.repeat(40), 'v1.2.3');

  test('before and after the build step, in both jobs, pinned with their version comment', async () => {
    const { project } = setup({
      preBuildSteps: [{ name: 'Generate version file', run: 'git describe --always > VERSION', env: { TOKEN: '${{ secrets.NPM_TOKEN }}' } }],
      postBuildSteps: [{ name: 'Scan', uses: SCAN, with: { severity: 'high' }, condition: "github.event_name == 'push'" }],
    });
    const files = synth(project);
    const content = files[PATH] as string;
    const wf = parse(content) as Obj;
    for (const [job, build] of [['container-build', 'Build (no push)'], ['container-publish', 'Build and push']]) {
      const names = stepNames(wf.jobs[job]);
      const at = names.indexOf(build);
      expect(names.slice(at - 1, at + 2)).toEqual(['Generate version file', build, 'Scan']);
    }
    const scan = wf.jobs['container-build'].steps.find((s: Obj) => s.name === 'Scan');
    expect(scan).toEqual({ name: 'Scan', if: "github.event_name == 'push'", uses: `acme/scan-action@${'a'.repeat(40)}`, with: { severity: 'high' } });
    expect(usesWithComments(content)).toContainEqual({ uses: `acme/scan-action@${'a'.repeat(40)}`, comment: 'v1.2.3' });
    const manifest = files['.github/dockyard-pipeline.json'];
    expect(manifest.actions).toContainEqual({ action: 'acme/scan-action', ref: 'a'.repeat(40), version: 'v1.2.3', workflows: [PATH] });
    const v = await validate(content, PATH);
    expect(v.parser).toEqual([]);
    expect(v.actionlint).toEqual([]);
    expect(v.shellcheck).toEqual([]);
  });

  test.each<[string, Partial<GhcrPublishWorkflowOptions>, RegExp]>([
    ['uses and run', { preBuildSteps: [{ name: 'x', uses: ActionPin.CHECKOUT, run: 'echo' }] }, /preBuildSteps\[0\] must have exactly one of uses/],
    ['neither', { postBuildSteps: [{ name: 'x' }] }, /postBuildSteps\[0\] must have exactly one of uses/],
    ['an undeclared input', { preBuildSteps: [{ name: 'x', uses: ActionPin.CHECKOUT, with: { 'fetch-dept': '1' } }] }, /preBuildSteps\[0\]\.with\.fetch-dept is not an input of actions\/checkout/],
    ['an expression in a script', { preBuildSteps: [{ name: 'x', run: 'echo "${{ github.event.pull_request.title }}"' }] }, /preBuildSteps\[0\]\.run contains "\$\{\{", which GitHub would expand into the script \(script injection\); pass the value through env/],
    ['a step id of the job', { preBuildSteps: [{ name: 'x', id: 'meta', run: 'true' }] }, /a step of yours has the id "meta"/],
    ['an invalid pin', { preBuildSteps: [{ name: 'x', uses: ActionPin.of('acme/x', 'v1', 'v1') }] }, /action pin "acme\/x" is pinned to "v1", which is not a full commit SHA/],
  ])('bad step: %s', (_what, options, message) => {
    const { project } = setup(options);
    expect(synthFailure(project).problems).toEqual([expect.stringMatching(message)]);
  });
});

describe('build arguments, build secrets and extra needs', () => {
  test('build args and secrets reach both build steps; each must exist in the Dockerfile', async () => {
    const { project, dockerfile, runtime } = setup({
      buildArgs: { APP_VERSION: '1.2.3' },
      buildSecrets: { pip_conf: 'PIP_CONF' },
    });
    dockerfile.addArg('APP_VERSION', '0.0.0');
    runtime.run('cat /run/secrets/pip_conf > /dev/null', { mounts: [RunMount.secret({ id: 'pip_conf', required: true })] });
    const content = synth(project)[PATH] as string;
    const wf = parse(content) as Obj;
    for (const job of ['container-build', 'container-publish']) {
      const build = wf.jobs[job].steps.find((s: Obj) => String(s.uses).startsWith('docker/build-push-action@'));
      expect(build.with['build-args']).toBe('APP_VERSION=1.2.3\n');
      expect(build.with['secret-envs']).toBe('pip_conf=BUILD_SECRET_PIP_CONF\n');
      expect(build.env).toEqual({ BUILD_SECRET_PIP_CONF: '${{ secrets.PIP_CONF }}' });
    }
    expect(await validate(content, PATH)).toEqual(NO_FINDINGS);
  });

  test('a build arg the Dockerfile does not declare, a secret it does not mount, bad names', () => {
    const { project } = setup({ buildArgs: { 'NOPE': 'x', 'bad name': 'y' }, buildSecrets: { token: 'GITHUB_TOKEN', missing: 'MY_SECRET' } });
    const problems = synthFailure(project).problems.map(p => p.replace(/^\[[^\]]+\] /, ''));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^buildArgs name "bad name" is not an ARG name/),
      expect.stringMatching(/^buildSecrets\.token "GITHUB_TOKEN" is not a GitHub secret name/),
      expect.stringMatching(/^buildArgs\.NOPE is not an ARG of .*\/Dockerfile, so the build would ignore it/),
      expect.stringMatching(/^buildSecrets\.missing is not mounted by .*\/Dockerfile \(no RunMount\.secret\(\{ id: 'missing' \}\)\)/),
    ]));
  });

  test('extra needs: a job added by an override; a missing one is an error', () => {
    const ok = setup({ publishNeeds: ['test'] });
    ok.workflow.file.addOverride('jobs.test', { 'name': 'test', 'runs-on': 'ubuntu-latest', 'permissions': { contents: 'read' }, 'steps': [{ name: 'Test', run: 'true' }] });
    const wf = parse(synth(ok.project)[PATH]) as Obj;
    expect(wf.jobs['container-publish'].needs).toEqual(['container-build', 'test']);

    const bad = setup({ publishNeeds: ['test'] });
    expect(synthFailure(bad.project).problems).toEqual([expect.stringMatching(/jobs\.container-publish\.needs "test" is not a job of the workflow: add that job/)]);
  });
});

describe('the projen project around it', () => {
  test('projen\'s own workflows get a top-level permissions block and version comments, and pass the validators', async () => {
    const { project } = setup();
    const files = synth(project);
    for (const path of ['.github/workflows/build.yml', '.github/workflows/pull-request-lint.yml']) {
      const content = files[path] as string;
      const wf = parse(content) as Obj;
      expect(wf.permissions).toEqual({ contents: 'read' });
      for (const u of usesWithComments(content)) {
        expect(u.uses).toMatch(/@[0-9a-f]{40}$/);
        expect(u.comment).toMatch(/^v\d+\.\d+\.\d+$/);
      }
      const v = await validate(content, path);
      expect([v.parser, v.actionlint]).toEqual([[], []]);
    }
  });

  test('github.addDependabot() after the workflow: the entries join projen\'s Dependabot file', () => {
    const { project } = setup();
    github.GitHub.of(project)!.addDependabot();
    const dependabot = parse(synth(project)['.github/dependabot.yml']) as Obj;
    // the generated files are kept fresh by DockyardLock, not Dependabot: only projen's npm entry, with a cooldown
    expect(dependabot.updates.map((u: Obj) => [u['package-ecosystem'], u.cooldown])).toEqual([['npm', { 'default-days': 7 }]]);
  });

  test('the default branches follow defaultReleaseBranch', () => {
    const project = newProject('node', { defaultReleaseBranch: 'master', release: true });
    new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile: newDockerfile(project).dockerfile });
    const wf = parse(synth(project)[PATH]) as Obj;
    expect(wf.on.push.branches).toEqual(['master', 'develop']);
  });
});
