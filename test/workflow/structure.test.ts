/**
 * Structure of the generated workflow, read from the parsed YAML: triggers, permissions,
 * jobs, tags, cache scopes, pull-request behaviour. Conditions and environment mappings
 * are evaluated with GitHub's own expression engine (@actions/expressions); the
 * image-name/cache-scope script and the drift check run in bash.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { newDockerfile, newProject } from './fixtures';
import { evaluate, githubContext, interpolate, Obj, runStep, synth, tempOutdir } from './support';
import { ContainerPublishPipeline, ContainerPublishPipelineOptions, GhcrPublishWorkflow } from '../../src';

const DOCKERFILE = { path: 'Dockerfile', context: '.', target: 'runtime' };

function workflowOf(options: Partial<ContainerPublishPipelineOptions> = {}): Obj {
  return parse(new ContainerPublishPipeline({ provenanceAttestation: false, dockerfile: DOCKERFILE, ...options }).renderWorkflow()) as Obj;
}

const stepUsing = (job: Obj, action: string): Obj | undefined => job.steps.find((s: Obj) => typeof s.uses === 'string' && s.uses.startsWith(`${action}@`));
const stepsUsing = (job: Obj, action: string): Obj[] => job.steps.filter((s: Obj) => typeof s.uses === 'string' && s.uses.startsWith(`${action}@`));
const expression = (text: string): string => /^\$\{\{(.*)\}\}$/s.exec(text)![1];

/** Whether the job runs for an event: its `if:` evaluated by GitHub's expression engine (no `if:` runs). */
function runs(job: Obj, github: Obj): boolean {
  return job.if === undefined ? true : evaluate(job.if, { github }).text === 'true';
}

/** The tags docker/metadata-action is asked for, with each entry's `enable=${{ }}` evaluated (handlebars left as is). */
function enabledTags(job: Obj, github: Obj): string[] {
  const meta = stepUsing(job, 'docker/metadata-action')!;
  return (meta.with.tags as string).split('\n').filter(Boolean)
    .map(line => interpolate(line, { github }))
    .filter(line => !line.includes('enable=false'));
}

describe('defaults', () => {
  const wf = workflowOf();
  const build = wf.jobs['container-build'];
  const publish = wf.jobs['container-publish'];

  test('triggers: pull requests, pushes to the mapped branches, manual runs; no path filters, no tags, no merge queue', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request', 'push', 'workflow_dispatch']);
    expect(wf.on.pull_request).toEqual({});
    expect(wf.on.push).toEqual({ branches: ['main', 'develop'] });
  });

  test('permissions: read-only at the top, packages: write on the publish job only', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(build.permissions).toEqual({ contents: 'read' });
    expect(publish.permissions).toEqual({ contents: 'read', packages: 'write' });
  });

  test('job ids are the job names (the check names)', () => {
    expect(Object.keys(wf.jobs)).toEqual(['container-build', 'container-publish']);
    for (const [id, job] of Object.entries<Obj>(wf.jobs)) expect(job.name).toBe(id);
  });

  test('concurrency per ref; cancels in progress for pull requests only', () => {
    expect(wf.concurrency.group).toBe('${{ github.workflow }}-${{ github.ref }}');
    const cancel = (event: 'pull_request' | 'push' | 'merge_group') => evaluate(expression(wf.concurrency['cancel-in-progress']), { github: githubContext(event, 'refs/heads/main') }).text;
    expect(cancel('pull_request')).toBe('true');
    expect(cancel('push')).toBe('false');
    expect(cancel('merge_group')).toBe('false');
  });

  test('the build job: every trigger, no environment, no login, no push, no tags', () => {
    expect(build.if).toBeUndefined();
    expect(build.environment).toBeUndefined();
    expect(stepUsing(build, 'docker/login-action')).toBeUndefined();
    expect(stepUsing(build, 'docker/metadata-action')).toBeUndefined();
    const b = stepUsing(build, 'docker/build-push-action')!;
    expect(b.with).toEqual({
      'context': '.',
      'file': 'Dockerfile',
      'target': 'runtime',
      'push': false,
      'cache-from': '${{ steps.image.outputs.cache-from }}',
      'cache-to': '${{ steps.image.outputs.cache-to }}',
    });
  });

  test('the publish job runs only on pushes to the mapped branches, after the build', () => {
    expect(publish.needs).toEqual(['container-build']);
    const cases: [Obj, boolean][] = [
      [githubContext('push', 'refs/heads/main'), true],
      [githubContext('push', 'refs/heads/develop'), true],
      [githubContext('push', 'refs/heads/feature/x'), false],
      [githubContext('push', 'refs/heads/main-old'), false],
      [githubContext('push', 'refs/tags/v1.2.3'), false],
      [githubContext('pull_request', 'refs/pull/7/merge', { base_ref: 'main' }), false],
      [githubContext('workflow_dispatch', 'refs/heads/main'), false],
      [githubContext('merge_group', 'refs/heads/gh-readonly-queue/main/pr-7-abc'), false],
    ];
    for (const [github, expected] of cases) {
      const what = { ref: github.ref, event: github.event_name };
      expect({ ...what, runs: runs(publish, github) }).toEqual({ ...what, runs: expected });
    }
  });

  test('the publish job\'s environment follows the branch', () => {
    const env = (ref: string) => evaluate(expression(publish.environment), { github: githubContext('push', ref) }).text;
    expect(env('refs/heads/main')).toBe('production');
    expect(env('refs/heads/develop')).toBe('staging');
  });

  test('tags: full and short SHA, latest on the default branch, the environment tag', () => {
    const meta = stepUsing(publish, 'docker/metadata-action')!;
    expect(meta.with.images).toBe('${{ steps.image.outputs.name }}');
    expect(meta.with.flavor).toBe('latest=false\n');
    expect(enabledTags(publish, githubContext('push', 'refs/heads/main'))).toEqual([
      'type=sha,format=long', 'type=sha', 'type=raw,value=latest,enable={{is_default_branch}}', 'type=raw,value=production,enable=true',
    ]);
    expect(enabledTags(publish, githubContext('push', 'refs/heads/develop'))).toEqual([
      'type=sha,format=long', 'type=sha', 'type=raw,value=latest,enable={{is_default_branch}}', 'type=raw,value=staging,enable=true',
    ]);
  });

  test('login to ghcr.io with GITHUB_TOKEN and the actor; push with the metadata', () => {
    expect(stepUsing(publish, 'docker/login-action')!.with).toEqual({ registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' });
    const b = stepUsing(publish, 'docker/build-push-action')!;
    expect(b.with).toEqual({
      'context': '.',
      'file': 'Dockerfile',
      'target': 'runtime',
      'push': true,
      'tags': '${{ steps.meta.outputs.tags }}',
      'labels': '${{ steps.meta.outputs.labels }}',
      'annotations': '${{ steps.meta.outputs.annotations }}',
      'cache-from': '${{ steps.image.outputs.cache-from }}',
      'cache-to': '${{ steps.image.outputs.cache-to }}',
    });
    expect(stepUsing(publish, 'actions/attest-build-provenance')).toBeUndefined();
    expect(stepUsing(publish, 'docker/setup-qemu-action')).toBeUndefined();
  });

  test('every checkout keeps no credentials', () => {
    const checkouts = Object.values<Obj>(wf.jobs).flatMap(j => stepsUsing(j, 'actions/checkout'));
    expect(checkouts).toHaveLength(2);
    for (const c of checkouts) expect(c.with).toEqual({ 'persist-credentials': false });
  });

  test('no expression in any script; event data reaches steps only through env:', () => {
    for (const job of Object.values<Obj>(wf.jobs)) {
      for (const step of job.steps) {
        if (step.run !== undefined) expect(step.run).not.toContain('${{');
        const { env, ...rest } = step;
        expect(JSON.stringify(rest)).not.toMatch(/github\.event\.|github\.head_ref|github\.base_ref|github\.ref_name/);
        void env;
      }
      const { steps, ...jobRest } = job;
      void steps;
      expect(JSON.stringify(jobRest)).not.toMatch(/github\.event\.|github\.head_ref/);
    }
    expect(JSON.stringify(wf)).not.toMatch(/github\.head_ref|pull_request\.title|head_commit/);
  });
});

describe('the image-name and cache-scope step (run in bash)', () => {
  const wf = workflowOf();
  const step = wf.jobs['container-build'].steps.find((s: Obj) => s.id === 'image');

  test('lowercases the repository and scopes the cache per image and branch, writing it on pushes', () => {
    const r = runStep(step, { github: githubContext('push', 'refs/heads/develop') });
    expect(r.status).toBe(0);
    expect(r.outputs).toEqual({
      'name': 'ghcr.io/octo-org/hello-world',
      'cache-from': 'type=gha,scope=ghcr.io-octo-org-hello-world-develop\ntype=gha,scope=ghcr.io-octo-org-hello-world-main',
      'cache-to': 'type=gha,scope=ghcr.io-octo-org-hello-world-develop,mode=max',
    });
  });

  test('a pull request reads its base branch\'s cache (and the default branch\'s) and writes none', () => {
    const r = runStep(step, { github: githubContext('pull_request', 'refs/pull/7/merge', { base_ref: 'develop' }) });
    expect(r.outputs['cache-from']).toBe('type=gha,scope=ghcr.io-octo-org-hello-world-develop\ntype=gha,scope=ghcr.io-octo-org-hello-world-main');
    expect(r.outputs['cache-to']).toBe('');
  });

  test('a push to the default branch reads one scope; a tag push writes no cache', () => {
    expect(runStep(step, { github: githubContext('push', 'refs/heads/main') }).outputs['cache-from']).toBe('type=gha,scope=ghcr.io-octo-org-hello-world-main');
    expect(runStep(step, { github: githubContext('push', 'refs/tags/v1.0.0') }).outputs['cache-to']).toBe('');
  });

  test('a merge group reads its target branch\'s cache and writes none', () => {
    const mq = workflowOf({ mergeQueue: true }).jobs['container-build'].steps.find((s: Obj) => s.id === 'image');
    const r = runStep(mq, { github: githubContext('merge_group', 'refs/heads/gh-readonly-queue/develop/pr-7-abc', { event: { repository: { default_branch: 'main' }, merge_group: { base_ref: 'refs/heads/develop' } } }) });
    expect(r.outputs['cache-from']).toBe('type=gha,scope=ghcr.io-octo-org-hello-world-develop\ntype=gha,scope=ghcr.io-octo-org-hello-world-main');
    expect(r.outputs['cache-to']).toBe('');
  });

  test('hostile ref names cannot run a command or add an output', () => {
    const dir = tempOutdir('dockyard-hostile-');
    const hostile = `x$(touch ${dir}/pwned)\`touch ${dir}/pwned2\`\ncache-to=type=local,dest=/tmp\nCACHE_FROM_EOF`;
    const r = runStep(step, { github: githubContext('pull_request', 'refs/pull/7/merge', { base_ref: hostile, event: { repository: { default_branch: hostile } } }) }, dir);
    expect(r.status).toBe(0);
    expect(Object.keys(r.outputs).sort()).toEqual(['cache-from', 'cache-to', 'name']);
    expect(r.outputs['cache-to']).toBe('');
    for (const line of r.outputs['cache-from'].split('\n')) expect(line).toMatch(/^type=gha,scope=[A-Za-z0-9._-]+$/);
    expect(execFileSync('ls', ['-A', dir], { encoding: 'utf8' })).toBe('');
  });

  test('a fixed image name is used as given', () => {
    const fixed = workflowOf({ imageName: 'acme/web' }).jobs['container-build'].steps.find((s: Obj) => s.id === 'image');
    const r = runStep(fixed, { github: githubContext('push', 'refs/heads/main') });
    expect(r.outputs.name).toBe('ghcr.io/acme/web');
    expect(r.outputs['cache-to']).toBe('type=gha,scope=ghcr.io-acme-web-main,mode=max');
  });
});

describe('variants', () => {
  test('semver tags publish to the tag environment with version tags', () => {
    const wf = workflowOf({ publishSemverTags: true });
    const publish = wf.jobs['container-publish'];
    expect(wf.on.push).toEqual({ branches: ['main', 'develop'], tags: ['v*.*.*'] });
    const tag = githubContext('push', 'refs/tags/v1.2.3');
    expect(runs(publish, tag)).toBe(true);
    expect(evaluate(expression(publish.environment), { github: tag }).text).toBe('production');
    expect(enabledTags(publish, tag)).toEqual([
      'type=sha,format=long', 'type=sha', 'type=raw,value=latest,enable={{is_default_branch}}',
      'type=raw,value=production,enable=true', 'type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}',
    ]);
    expect(enabledTags(publish, githubContext('push', 'refs/heads/develop'))).toContain('type=raw,value=staging,enable=true');
    expect(enabledTags(publish, githubContext('push', 'refs/heads/develop'))).not.toContain('type=raw,value=production,enable=true');
  });

  test('a custom tag environment', () => {
    const publish = workflowOf({ publishSemverTags: true, tagEnvironment: 'release' }).jobs['container-publish'];
    expect(evaluate(expression(publish.environment), { github: githubContext('push', 'refs/tags/v2.0.0') }).text).toBe('release');
  });

  test('provenance attestation: id-token and attestations on the publish job only, subject from the lowercased name', () => {
    const wf = workflowOf({ provenanceAttestation: true });
    expect(wf.jobs['container-publish'].permissions).toEqual({ 'contents': 'read', 'packages': 'write', 'id-token': 'write', 'attestations': 'write' });
    expect(wf.jobs['container-build'].permissions).toEqual({ contents: 'read' });
    const attest = stepUsing(wf.jobs['container-publish'], 'actions/attest-build-provenance')!;
    const build = stepUsing(wf.jobs['container-publish'], 'docker/build-push-action')!;
    expect(attest.with).toEqual({
      'subject-name': '${{ steps.image.outputs.name }}',
      'subject-digest': `\${{ steps.${build.id}.outputs.digest }}`,
      'push-to-registry': true,
      'create-storage-record': false,
    });
    const steps = wf.jobs['container-publish'].steps;
    expect(steps.indexOf(attest)).toBe(steps.length - 1);
  });

  test('SBOM on the pushed image only', () => {
    const wf = workflowOf({ sbom: true });
    expect(stepUsing(wf.jobs['container-publish'], 'docker/build-push-action')!.with.sbom).toBe(true);
    expect(stepUsing(wf.jobs['container-build'], 'docker/build-push-action')!.with.sbom).toBeUndefined();
  });

  test('several platforms: QEMU before Buildx, platforms passed, index annotations', () => {
    const wf = workflowOf({ platforms: ['linux/amd64', 'linux/arm64'] });
    for (const job of [wf.jobs['container-build'], wf.jobs['container-publish']]) {
      const names = job.steps.map((s: Obj) => (s.uses ?? '').split('@')[0]);
      expect(names.indexOf('docker/setup-qemu-action')).toBeGreaterThan(-1);
      expect(names.indexOf('docker/setup-qemu-action')).toBeLessThan(names.indexOf('docker/setup-buildx-action'));
      expect(stepUsing(job, 'docker/build-push-action')!.with.platforms).toBe('linux/amd64,linux/arm64');
    }
    expect(stepUsing(wf.jobs['container-publish'], 'docker/metadata-action')!.env).toEqual({ DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' });
    const one = workflowOf({ platforms: ['linux/arm64'] });
    expect(stepUsing(one.jobs['container-build'], 'docker/setup-qemu-action')).toBeUndefined();
    expect(stepUsing(one.jobs['container-build'], 'docker/build-push-action')!.with.platforms).toBe('linux/arm64');
  });

  test('merge queue: the required checks run on merge_group; publishing does not', () => {
    const wf = workflowOf({ mergeQueue: true, synthDrift: {} });
    expect(wf.on.merge_group).toEqual({ types: ['checks_requested'] });
    const mg = githubContext('merge_group', 'refs/heads/gh-readonly-queue/main/pr-7-abc');
    expect(runs(wf.jobs['container-build'], mg)).toBe(true);
    expect(runs(wf.jobs['synth-drift'], mg)).toBe(true);
    expect(runs(wf.jobs['container-publish'], mg)).toBe(false);
  });

  test('path filters narrow the publish trigger only', () => {
    const wf = workflowOf({ publishPaths: ['src/**', '!docs/**'], mergeQueue: true });
    expect(wf.on.push.paths).toEqual(['src/**', '!docs/**']);
    expect(wf.on.pull_request).toEqual({});
    expect(wf.on.merge_group).toEqual({ types: ['checks_requested'] });
    expect(wf.on.workflow_dispatch).toEqual({});
  });

  test('custom branches, image, job ids and runners', () => {
    const wf = workflowOf({
      deployments: [{ branch: 'trunk', environment: 'prod' }, { branch: 'release/v2', environment: 'qa' }],
      jobIds: { buildJob: 'image-build', publishJob: 'image-publish' },
      runsOn: ['self-hosted', 'x64'],
      // a self-hosted runner runs fork pull-request code: an explicit opt-in (issue 8)
      allowSelfHostedRunners: true,
    });
    expect(wf.on.push.branches).toEqual(['trunk', 'release/v2']);
    expect(Object.keys(wf.jobs)).toEqual(['image-build', 'image-publish']);
    const publish = wf.jobs['image-publish'];
    expect(publish.needs).toEqual(['image-build']);
    expect(publish['runs-on']).toEqual(['self-hosted', 'x64']);
    const env = (ref: string) => evaluate(expression(publish.environment), { github: githubContext('push', ref) }).text;
    expect(env('refs/heads/release/v2')).toBe('qa');
    expect(env('refs/heads/trunk')).toBe('prod');
    expect(runs(publish, githubContext('push', 'refs/heads/main'))).toBe(false);
  });

  test('the drift job: a required check the publish job needs, with no environment', () => {
    const p = new ContainerPublishPipeline({ provenanceAttestation: false, dockerfile: DOCKERFILE, synthDrift: { cdktfApp: 'infra' } });
    const wf = parse(p.renderWorkflow()) as Obj;
    expect(p.requiredChecks).toEqual(['container-build', 'synth-drift']);
    const drift = wf.jobs['synth-drift'];
    expect(drift.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs['container-publish'].needs).toEqual(['container-build', 'synth-drift']);
    expect(drift.steps.map((s: Obj) => s.run ?? s.uses.split('@')[0])).toEqual([
      'actions/checkout', 'actions/setup-node', 'npm ci\n', 'npx projen --no-post\n', 'npx cdktf synth\n', expect.stringContaining('git diff --exit-code'),
    ]);
    const cdktf = drift.steps.find((s: Obj) => s.run === 'npx cdktf synth\n');
    expect(cdktf['working-directory']).toBe('infra');
    expect(cdktf.env).toEqual({ CHECKPOINT_DISABLE: '1' });
  });

  test('an environment (maybe with reviewers) never holds up a required check', () => {
    for (const options of [{}, { synthDrift: {} }, { mergeQueue: true, publishSemverTags: true, synthDrift: {} }]) {
      const p = new ContainerPublishPipeline({ provenanceAttestation: false, dockerfile: DOCKERFILE, ...options });
      const wf = parse(p.renderWorkflow()) as Obj;
      const withEnvironment = Object.keys(wf.jobs).filter(id => wf.jobs[id].environment !== undefined);
      expect(withEnvironment).toEqual([p.publishJobId]);
      for (const check of p.requiredChecks) {
        expect(wf.jobs[check].environment).toBeUndefined();
        expect(wf.jobs[check].needs ?? []).toEqual([]);
      }
    }
  });
});

describe('the drift check (run in bash in a git repository)', () => {
  const drift = workflowOf({ synthDrift: {} }).jobs['synth-drift'];
  const check = drift.steps[drift.steps.length - 1];

  function repo(): string {
    const dir = tempOutdir('dockyard-drift-');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('config', 'user.email', 't@example.invalid');
    git('config', 'user.name', 't');
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    writeFileSync(join(dir, '.gitignore'), 'ignored/\n');
    git('add', '.');
    git('commit', '-q', '-m', 'init');
    return dir;
  }

  test('passes when synthesis changed nothing, or only ignored files', () => {
    const dir = repo();
    expect(runStep(check, {}, dir).status).toBe(0);
    execFileSync('mkdir', [join(dir, 'ignored')]);
    writeFileSync(join(dir, 'ignored', 'x'), 'x');
    expect(runStep(check, {}, dir).status).toBe(0);
  });

  test('fails on a changed file and on an uncommitted new file', () => {
    const changed = repo();
    writeFileSync(join(changed, 'a.txt'), 'b\n');
    const r1 = runStep(check, {}, changed);
    expect(r1.status).toBe(1);
    expect(r1.stdout).toContain('::error::Generated files differ');
    const added = repo();
    writeFileSync(join(added, 'new.txt'), 'n\n');
    const r2 = runStep(check, {}, added);
    expect(r2.status).toBe(1);
    expect(r2.stdout).toContain('new.txt');
  });
});

describe('in a projen project', () => {
  test('file, context and target come from the MultiStageDockerfile object', () => {
    const project = newProject('plain');
    const { dockerfile, build } = newDockerfile(project, 'docker/app.Dockerfile', 'app');
    const wf = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile, target: build, dependabot: false });
    expect(wf.pipeline.dockerfile).toEqual({ path: 'docker/app.Dockerfile', context: 'app', target: 'build' });
    const files = synth(project);
    const parsed = parse(files['.github/workflows/container-publish.yml']) as Obj;
    const b = stepUsing(parsed.jobs['container-build'], 'docker/build-push-action')!;
    expect([b.with.file, b.with.context, b.with.target]).toEqual(['docker/app.Dockerfile', 'app', 'build']);
    expect(files['docker/app.Dockerfile']).toContain('FROM python:3.11-slim-bookworm AS build');
  });

  test('the target defaults to the Dockerfile\'s target, read at synth time', () => {
    const project = newProject('plain');
    const { dockerfile, build } = newDockerfile(project);
    const wf = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile });
    expect(wf.pipeline.dockerfile.target).toBe('runtime');
    dockerfile.target = build;
    expect(wf.pipeline.dockerfile.target).toBe('build');
  });

  test('the workflow file is read-only and committed', () => {
    const project = newProject('plain');
    const { dockerfile } = newDockerfile(project);
    new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile });
    const file = project.tryFindFile('.github/workflows/container-publish.yml')!;
    expect(file.readonly).toBe(true);
    expect(file.committed).toBe(true);
  });
});
