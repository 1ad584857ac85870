/**
 * The matrix form of the publish workflow (`images`): N images × M platforms, each leg on a native runner,
 * pushed by digest and merged per image; path filters computed by a changes job; one aggregate required check.
 * Every option combination passes GitHub's parser, actionlint, shellcheck and the declared-inputs check; the
 * changes, ready and image scripts run in bash against real git history and GitHub's expression engine.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { evaluate, githubContext, NO_FINDINGS, Obj, runStep, tempOutdir, validate } from './support';
import { ContainerPublishPipeline, type ContainerPublishPipelineOptions, type PipelineImage } from '../../src';

const API: PipelineImage = { name: 'api', dockerfile: { path: 'services/api/Dockerfile', context: '.', target: 'final' } };
const WORKER: PipelineImage = { name: 'worker', imageName: 'acme/worker', dockerfile: { path: 'services/worker/Dockerfile', context: 'services/worker', target: 'app' } };
const MIGRATE: PipelineImage = { name: 'migrate', dockerfile: { path: 'services/api/Dockerfile', context: '.', target: 'migrate' } };

function pipeline(options: Partial<ContainerPublishPipelineOptions>): ContainerPublishPipeline {
  return new ContainerPublishPipeline({ provenanceAttestation: false, images: [API], ...options });
}

function workflowOf(options: Partial<ContainerPublishPipelineOptions>): Obj {
  return parse(pipeline(options).renderWorkflow()) as Obj;
}

const step = (job: Obj, name: string): Obj => job.steps.find((s: Obj) => s.name === name);

describe('every combination passes the validators', () => {
  const combos: Array<[number, number, boolean, boolean]> = [];
  for (const images of [1, 2, 3]) {
    for (const platforms of [1, 2]) {
      for (const filters of [false, true]) for (const attest of [false, true]) combos.push([images, platforms, filters, attest]);
    }
  }
  test.each(combos)('%i image(s) × %i platform(s), path filters %s, attestations %s', async (n, m, filters, attest) => {
    const images = [API, WORKER, MIGRATE].slice(0, n).map(i => ({
      ...i,
      platforms: ['linux/amd64', 'linux/arm64'].slice(0, m),
      paths: filters ? [`services/${i.name}/*`, 'lib/*'] : undefined,
    }));
    const p = pipeline({ images, provenanceAttestation: attest, sbom: attest, synthDrift: {} });
    expect(p.problems()).toEqual([]);
    const content = p.renderWorkflow();
    expect(await validate(content, p.workflowPath)).toEqual(NO_FINDINGS);
    expect(p._legs()).toHaveLength(n * m);
  });
});

describe('structure', () => {
  const wf = workflowOf({ images: [{ ...API, platforms: ['linux/amd64', 'linux/arm64'] }, WORKER], provenanceAttestation: true });
  const build = wf.jobs['container-build'];
  const publish = wf.jobs['container-publish'];
  const merge = wf.jobs['container-merge'];
  const ready = wf.jobs['container-ready'];

  test('jobs: legs for pull requests, legs that publish, a merge per image, one aggregate check; no changes job without filters', () => {
    expect(Object.keys(wf.jobs)).toEqual(['container-build', 'container-publish', 'container-merge', 'container-ready']);
    expect(pipeline({ images: [API] }).requiredChecks).toEqual(['container-ready']);
  });

  test('each leg on a native runner of its platform; fail-fast off', () => {
    expect(build.strategy['fail-fast']).toBe(false);
    expect(build.strategy.matrix.include.map((l: Obj) => [l.image, l.platform, l.runner])).toEqual([
      ['api', 'linux/amd64', 'ubuntu-24.04'], ['api', 'linux/arm64', 'ubuntu-24.04-arm'], ['worker', 'linux/amd64', 'ubuntu-24.04'],
    ]);
    expect(build['runs-on']).toBe('${{ matrix.runner }}');
    expect(publish.strategy).toEqual(build.strategy);
    expect(step(build, 'Set up QEMU')).toBeUndefined();
  });

  test('pull-request legs build without pushing and without write permissions; publishing legs push by digest only on publishing pushes', () => {
    const runs = (job: Obj, event: 'push' | 'pull_request' | 'merge_group', ref: string) => evaluate(job.if, { github: githubContext(event, ref), needs: {} }).text === 'true';
    expect(runs(build, 'pull_request', 'refs/pull/1/merge')).toBe(true);
    expect(runs(build, 'merge_group', 'refs/heads/gh-readonly-queue/main/x')).toBe(true);
    expect(runs(build, 'push', 'refs/heads/main')).toBe(false);
    expect(build.permissions).toEqual({ contents: 'read' });
    expect(step(build, 'Build (no push)').with.push).toBe(false);
    expect(runs(publish, 'push', 'refs/heads/main')).toBe(true);
    expect(runs(publish, 'push', 'refs/heads/feature')).toBe(false);
    expect(runs(publish, 'pull_request', 'refs/pull/1/merge')).toBe(false);
    expect(publish.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(publish.environment).toBeUndefined();
    expect(step(publish, 'Build and push by digest').with.outputs).toBe('type=image,name=${{ steps.image.outputs.name }},push-by-digest=true,name-canonical=true,push=true');
    expect(step(publish, 'Build and push by digest').with.tags).toBeUndefined();
    expect(step(publish, 'Hand the digest to the merge job').with).toEqual({
      'name': 'digests-${{ matrix.image }}-${{ matrix.slug }}', 'path': '${{ runner.temp }}/digests/*', 'if-no-files-found': 'error', 'retention-days': 1,
    });
  });

  test('the merge job: after every leg, per image, in the branch\'s environment, then the attestation of the index', () => {
    expect(merge.needs).toEqual(['container-publish']);
    expect(merge.strategy.matrix.include).toEqual([{ image: 'api', repository: '' }, { image: 'worker', repository: 'acme/worker' }]);
    expect(evaluate(merge.environment.slice(3, -2), { github: githubContext('push', 'refs/heads/develop') }).text).toBe('staging');
    expect(merge.permissions).toEqual({ 'contents': 'read', 'packages': 'write', 'id-token': 'write', 'attestations': 'write' });
    expect(merge.steps.map((s: Obj) => s.name)).toEqual([
      'Collect the legs\' digests', 'Image name and cache scopes', 'Set up Docker Buildx', 'Log in to ghcr.io', 'Image metadata', 'Create the tagged index', 'Attest build provenance',
    ]);
    expect(step(merge, 'Attest build provenance').with['subject-digest']).toBe('${{ steps.merge.outputs.digest }}');
  });

  test('the aggregate check always runs and needs every other job', () => {
    expect(ready.if).toBe('always()');
    expect(ready.needs).toEqual(['container-build', 'container-publish', 'container-merge']);
  });

  test('image names: fixed, or <owner>/<repo>/<name> lowercased at run time; one cache scope per image, platform and branch', () => {
    const image = step(build, 'Image name and cache scopes');
    const out = (leg: Obj) => runStep(image, { github: githubContext('pull_request', 'refs/pull/3/merge', { base_ref: 'main' }), matrix: leg }).outputs;
    expect(out({ image: 'api', repository: '', platform: 'linux/arm64' })).toEqual({
      'name': 'ghcr.io/octo-org/hello-world/api',
      'cache-from': 'type=gha,scope=ghcr.io-octo-org-hello-world-api-linux-arm64-main',
      'cache-to': '',
    });
    expect(out({ image: 'worker', repository: 'acme/worker', platform: 'linux/amd64' }).name).toBe('ghcr.io/acme/worker');
  });
});

describe('the aggregate check: skipped legs pass, a failed or cancelled one fails', () => {
  const ready = workflowOf({ images: [{ ...API, paths: ['services/api/*'] }] }).jobs['container-ready'];
  const results = (needs: Obj) => evaluate("join(needs.*.result, ' ')", { needs }).text;
  const run = (needs: Obj) => runStep(ready.steps[0], { needs }).status;
  test.each<[string, Obj, number]>([
    ['every leg skipped (nothing changed)', { 'container-changes': { result: 'success' }, 'container-build': { result: 'skipped' }, 'container-publish': { result: 'skipped' }, 'container-merge': { result: 'skipped' } }, 0],
    ['a pull request built', { 'container-changes': { result: 'success' }, 'container-build': { result: 'success' }, 'container-publish': { result: 'skipped' }, 'container-merge': { result: 'skipped' } }, 0],
    ['one leg failed', { 'container-changes': { result: 'success' }, 'container-build': { result: 'failure' }, 'container-publish': { result: 'skipped' }, 'container-merge': { result: 'skipped' } }, 1],
    ['the merge was cancelled', { 'container-changes': { result: 'success' }, 'container-build': { result: 'skipped' }, 'container-publish': { result: 'success' }, 'container-merge': { result: 'cancelled' } }, 1],
  ])('%s', (_what, needs, status) => {
    expect(results(needs).split(' ')).toHaveLength(4);
    expect(run(needs)).toBe(status);
  });
});

describe('path filters: the changes job against real git history', () => {
  const images = [{ ...API, paths: ['services/api/*', 'lib/*'] }, { ...WORKER, paths: ['services/worker/*'] }, MIGRATE];
  const changes = workflowOf({ images }).jobs['container-changes'];
  const repo = tempOutdir('dockyard-changes-');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } }).trim();
  const commit = (file: string) => {
    mkdirSync(join(repo, file, '..'), { recursive: true });
    writeFileSync(join(repo, file), `${Math.random()}\n`);
    git('add', '-A');
    git('commit', '-qm', file);
    return git('rev-parse', 'HEAD');
  };
  let base: string;
  beforeAll(() => {
    git('init', '-q', '-b', 'main');
    base = commit('README.md');
  });
  const built = (event: 'push' | 'pull_request' | 'workflow_dispatch', extra: Obj = {}, refType = 'branch') => {
    const r = runStep(changes.steps[1], { github: { ...githubContext(event, 'refs/heads/main'), ref_type: refType, event: extra } }, repo);
    expect(r.status).toBe(0);
    const names = JSON.parse(r.outputs.images).include.map((i: Obj) => i.image);
    return { images: names, legs: JSON.parse(r.outputs.legs).include.length, any: r.outputs.any };
  };

  test('a pull request touching services/api builds api and the unfiltered image only', () => {
    commit('services/api/app.py');
    expect(built('pull_request', { pull_request: { base: { sha: base } } })).toEqual({ images: ['api', 'migrate'], legs: 2, any: 'true' });
  });

  test('a push touching only docs builds the unfiltered image only; with every image filtered, nothing (the aggregate still passes)', () => {
    const before = git('rev-parse', 'HEAD');
    commit('docs/index.md');
    expect(built('push', { before })).toEqual({ images: ['migrate'], legs: 1, any: 'true' });
    const filteredOnly = workflowOf({ images: images.slice(0, 2) }).jobs['container-changes'];
    const r = runStep(filteredOnly.steps[1], { github: { ...githubContext('push', 'refs/heads/main'), event: { before } } }, repo);
    expect([r.outputs.images, r.outputs.any]).toEqual(['{"include":[]}', 'false']);
  });

  test('a new branch, a tag, a manual run or a base this clone does not have: everything', () => {
    expect(built('push', { before: '0'.repeat(40) }).images).toEqual(['api', 'worker', 'migrate']);
    expect(built('push', { before: base }, 'tag').images).toEqual(['api', 'worker', 'migrate']);
    expect(built('workflow_dispatch').images).toEqual(['api', 'worker', 'migrate']);
    expect(built('push', { before: 'f'.repeat(40) }).images).toEqual(['api', 'worker', 'migrate']);
  });

  test('a shared directory (lib/) rebuilds the images that list it', () => {
    const before = git('rev-parse', 'HEAD');
    commit('lib/util.py');
    expect(built('push', { before }).images).toEqual(['api', 'migrate']);
  });
});

describe('platforms without a native runner', () => {
  test('an error naming the fix, unless emulated under QEMU on the amd64 runner', () => {
    const arm7 = { ...API, platforms: ['linux/amd64', 'linux/arm/v7'] };
    expect(pipeline({ images: [arm7] }).problems()).toEqual([expect.stringMatching(/^images\[0\]\.platforms\[1\] "linux\/arm\/v7" has no runner: add runners: \{ "linux\/arm\/v7": "<runner label>" \}, or emulatePlatforms: true/)]);
    const wf = workflowOf({ images: [arm7], emulatePlatforms: true });
    const legs = wf.jobs['container-build'].strategy.matrix.include;
    expect(legs.map((l: Obj) => l.runner)).toEqual(['ubuntu-24.04', 'ubuntu-24.04']);
    expect(step(wf.jobs['container-build'], 'Set up QEMU').if).toBe("matrix.platform != 'linux/amd64'");
    const custom = workflowOf({ images: [{ ...API, platforms: ['linux/arm64'] }], runners: { 'linux/arm64': 'my-arm-runner' } });
    expect(custom.jobs['container-build'].strategy.matrix.include[0].runner).toBe('my-arm-runner');
  });
});

describe('bad input', () => {
  test.each<[string, Partial<ContainerPublishPipelineOptions>, RegExp]>([
    ['dockerfile and images', { dockerfile: API.dockerfile }, /^both dockerfile and images are set/],
    ['platforms with images', { platforms: ['linux/amd64'] }, /^platforms is set with images; set each image's platforms instead/],
    ['publishPaths with images', { publishPaths: ['src/*'] }, /^publishPaths is set with images; give each image its paths instead/],
    ['imageName with images', { imageName: 'acme/x' }, /^imageName is set with images/],
    ['no image', { images: [] }, /^images is empty/],
    ['a bad image name', { images: [{ ...API, name: 'API' }] }, /^images\[0\]\.name "API" is not an image id/],
    ['two images with one name', { images: [API, { ...WORKER, name: 'api' }] }, /^images\[1\]\.name "api" is used by another image/],
    ['a pattern with a leading "!"', { images: [{ ...API, paths: ['!docs/*'] }] }, /^images\[0\]\.paths\[0\] "!docs\/\*" must be a pattern relative to the repository root/],
    ['an expression in a pattern', { images: [{ ...API, paths: ['${{ github.head_ref }}'] }] }, /^images\[0\]\.paths\[0\] .* contains "\$\{\{"/],
    ['a bad target', { images: [{ ...API, dockerfile: { ...API.dockerfile, target: 'Final' } }] }, /^images\[0\]\.dockerfile\.target "Final" is not a stage name/],
    ['a remote context', { images: [{ ...API, dockerfile: { ...API.dockerfile, context: 'https://github.com/evil/x.git' } }] }, /^images\[0\]\.dockerfile\.context .* is a URL or git reference/],
    ['a bad runner label', { runners: { 'linux/arm64': 'arm runner' } }, /^runners\["linux\/arm64"\] "arm runner" is not a runner label/],
  ])('%s', (_what, options, message) => {
    expect(pipeline(options).problems()).toEqual([expect.stringMatching(message)]);
  });
});
