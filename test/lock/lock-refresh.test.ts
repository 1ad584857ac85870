/**
 * The `dockyard:lock` task end to end, as a user runs it (`npx projen dockyard:lock` in a project whose
 * .projenrc.js requires cdk-dockyard from node_modules; needs lib/ built: `npx projen compile`), against a real
 * registry (Debian's docker-registry on 127.0.0.1, images pushed through its API) and local git repositories
 * (file:// bare remotes, one per action). Every bad input leaves every file of the project as it was.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { actionRemotes, addRelease, LockProject, lockProject, ok } from './support';
import { LOCK_FILE_NAME, readLockFile } from '../../src/lock/lock-file';
import { SHIPPED_ACTIONS } from '../../src/workflow/action-pins';
import { GitRemote } from '../support/git-remotes';
import { describeWithRegistry, freePort, getManifest, pushImageViaApi, startRegistry, TestRegistry } from '../support/registry';
import { NO_FINDINGS, Obj, usesWithComments, validate } from '../workflow/support';

const ACTIONS = [
  'actions/checkout', 'actions/create-github-app-token', 'actions/setup-node', 'docker/build-push-action', 'docker/login-action',
  'docker/metadata-action', 'docker/setup-buildx-action', 'peter-evans/create-pull-request',
];

/** The user's .projenrc.js: a Dockerfile from a registry image (from lock-test.json), a publish workflow, a DockyardLock. */
const PROJENRC = `
const { Project, github, javascript } = require('projen');
const { BaseImage, DockyardLock, GhcrPublishWorkflow, MultiStageDockerfile } = require('cdk-dockyard');
const config = require('./lock-test.json');
const project = new Project({ name: 'lock-refresh-test' });
new javascript.Projenrc(project);
new github.GitHub(project, { mergify: false, pullRequestLint: false });
const df = new MultiStageDockerfile(project, 'App', { path: 'docker/Dockerfile' });
df.addArg('BUSYBOX_TAG', config.tag);
const base = df.addStage('base', { from: BaseImage.fromRegistry(config.image) });
if (config.invalid) df.addStage('Not Valid', { from: BaseImage.fromStage(base) });
df.addStage('app', { from: BaseImage.fromStage(base) }).user('10001', '10001').cmd(['true']);
new GhcrPublishWorkflow(project, { dockerfile: df, provenanceAttestation: false });
if (!config.noLock) new DockyardLock(project, { gitServerUrl: config.git, actionTags: config.actionTags });
project.synth();
`;

interface Config {
  readonly image: string;
  readonly tag?: string;
  readonly git: string;
  readonly actionTags?: Record<string, string>;
  readonly invalid?: boolean;
  readonly noLock?: boolean;
}

describeWithRegistry('npx projen dockyard:lock against a real registry and local git remotes', () => {
  let registry: TestRegistry;
  let remotesDir: string;
  let remotes: Map<string, GitRemote>;
  let project: LockProject;
  let config: Config;

  const configure = (c: Config) => {
    config = c;
    writeFileSync(join(project.dir, 'lock-test.json'), JSON.stringify(c));
  };
  const refresh = (...args: string[]) => project.projen(['dockyard:lock', ...args]);
  const fromLine = () => project.read('docker/Dockerfile')!.split('\n').find(l => l.startsWith('FROM ') && l.endsWith(' AS base'));

  beforeAll(async () => {
    registry = await startRegistry();
    remotesDir = mkdtempSync(join(tmpdir(), 'dockyard-lock-remotes-'));
    remotes = actionRemotes(remotesDir, ACTIONS);
    await pushImageViaApi(registry.host, 'library/busybox', '1.36', 'busybox 1.36, first build');
    project = lockProject(PROJENRC, { 'lock-test.json': '{}' });
    configure({ image: `${registry.host}/library/busybox:\${BUSYBOX_TAG}`, tag: '1.36', git: `file://${remotesDir}` });
    ok(project.bootstrap(), 'the first synthesis (node .projenrc.js)');
  });

  afterAll(async () => {
    await registry?.stop();
    rmSync(remotesDir, { recursive: true, force: true });
    if (project) rmSync(project.dir, { recursive: true, force: true });
  });

  test('before the first refresh: no lock file, FROM as written, the task is in tasks.json', () => {
    expect(project.read(LOCK_FILE_NAME)).toBeUndefined();
    expect(fromLine()).toBe(`FROM ${registry.host}/library/busybox:\${BUSYBOX_TAG} AS base`);
    expect(JSON.parse(project.read('.projen/tasks.json')!).tasks['dockyard:lock']).toBeDefined();
  });

  test('the refresh locks the image to the registry\'s digest and every action to its newest release; the project is synthesized with it', async () => {
    const r = refresh();
    const output = ok(r, 'npx projen dockyard:lock');
    const reference = `${registry.host}/library/busybox:1.36`;
    const served = await getManifest(registry.host, 'library/busybox', '1.36', ['application/vnd.oci.image.manifest.v1+json']);
    const lock = readLockFile(join(project.dir, LOCK_FILE_NAME))!;
    expect(Object.keys(lock.images)).toEqual([reference]);
    expect(lock.images[reference]).toEqual({
      digest: served.headerDigest, mediaType: 'application/vnd.oci.image.manifest.v1+json', registry: registry.host, repository: 'library/busybox',
    });
    expect(Object.keys(lock.actions).sort()).toEqual(ACTIONS);
    for (const action of ACTIONS) {
      expect(lock.actions[action]).toEqual({ version: 'v1.1.0', sha: remotes.get(action)!.commitOf('v1.1.0'), inputs: [...SHIPPED_ACTIONS[action].inputs!].sort() });
    }
    expect(output).toContain(`${reference}: (new) -> ${served.headerDigest!.slice(0, 19)}…`);
    expect(output).toContain('wrote dockyard.lock.json');

    // the regenerated files moved with the lock
    expect(fromLine()).toBe(`FROM ${reference}@${served.headerDigest} AS base`);
    for (const path of ['.github/workflows/container-publish.yml', '.github/workflows/dockyard-lock-refresh.yml']) {
      const content = project.read(path)!;
      for (const u of usesWithComments(content)) {
        const [action, sha] = u.uses.split('@');
        expect({ action, sha, comment: u.comment }).toEqual({ action, sha: remotes.get(action)!.commitOf('v1.1.0'), comment: 'v1.1.0' });
      }
      expect(await validate(content, path)).toEqual(NO_FINDINGS);
    }
    const manifest = JSON.parse(project.read('.github/dockyard-pipeline.json')!);
    expect(manifest.actions.find((a: Obj) => a.action === 'peter-evans/create-pull-request')).toMatchObject({
      ref: remotes.get('peter-evans/create-pull-request')!.commitOf('v1.1.0'), version: 'v1.1.0', workflows: ['.github/workflows/dockyard-lock-refresh.yml'],
    });
  });

  test('a second refresh with nothing moved changes no file; a plain synthesis agrees (no drift)', () => {
    const before = project.snapshot();
    expect(ok(refresh(), 'second refresh')).toContain('dockyard.lock.json is up to date');
    ok(project.projen([]), 'npx projen');
    const after = project.snapshot();
    const lock = before.get(LOCK_FILE_NAME)!;
    expect(after.get(LOCK_FILE_NAME)).toEqual(lock);
    for (const [path, { text }] of before) expect({ path, text: after.get(path)?.text }).toEqual({ path, text });
  });

  test('a new image under the same tag and a new action release: the refresh moves the lock and the regenerated files with it', async () => {
    const old = readLockFile(join(project.dir, LOCK_FILE_NAME))!;
    const moved = await pushImageViaApi(registry.host, 'library/busybox', '1.36', 'busybox 1.36, rebuilt');
    expect(moved).not.toBe(old.images[`${registry.host}/library/busybox:1.36`].digest);
    addRelease(remotesDir, 'docker/build-push-action', 'v1.2.0', SHIPPED_ACTIONS['docker/build-push-action'].inputs!);
    const build = remotes.get('docker/build-push-action')!;
    const output = ok(refresh(), 'refresh after the push');
    expect(output).toContain(`docker/build-push-action: v1.1.0 (${build.commitOf('v1.1.0').slice(0, 12)}) -> v1.2.0 (${build.commitOf('v1.2.0').slice(0, 12)})`);
    const lock = readLockFile(join(project.dir, LOCK_FILE_NAME))!;
    expect(lock.images[`${registry.host}/library/busybox:1.36`].digest).toBe(moved);
    expect(lock.actions['docker/build-push-action']).toMatchObject({ version: 'v1.2.0', sha: build.commitOf('v1.2.0') });
    expect(lock.actions['actions/checkout']).toEqual(old.actions['actions/checkout']);
    expect(fromLine()).toBe(`FROM ${registry.host}/library/busybox:1.36@${moved} AS base`);
    expect(project.read('.github/workflows/container-publish.yml')).toContain(`docker/build-push-action@${build.commitOf('v1.2.0')} # v1.2.0`);
  });

  test('a tag named in actionTags is pinned instead of the newest release', () => {
    configure({ ...config, actionTags: { 'docker/build-push-action': 'v1.0.0' } });
    ok(refresh(), 'refresh with actionTags');
    const build = remotes.get('docker/build-push-action')!;
    expect(readLockFile(join(project.dir, LOCK_FILE_NAME))!.actions['docker/build-push-action']).toMatchObject({ version: 'v1.0.0', sha: build.commitOf('v1.0.0') });
    expect(project.read('.github/workflows/container-publish.yml')).toContain(`docker/build-push-action@${build.commitOf('v1.0.0')} # v1.0.0`);
    configure({ ...config, actionTags: undefined });
    ok(refresh(), 'refresh without actionTags');
  });

  describe('bad input: a clear error, exit status 1, and every file of the project left as it was', () => {
    let hanging: Server;
    let malformed: Server;
    let good: Config;
    const listen = async (server: Server) => {
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
      return `127.0.0.1:${(server.address() as AddressInfo).port}`;
    };

    beforeAll(async () => {
      good = config;
      malformed = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' });
        res.end();
      });
      hanging = createServer(() => { /* never answers */ });
    });
    afterAll(async () => {
      for (const s of [malformed, hanging]) {
        s.closeAllConnections();
        await new Promise<void>(resolve => s.close(() => resolve()));
      }
    });
    afterEach(() => configure(good));

    type Run = Pick<ReturnType<LockProject['projen']>, 'status' | 'stdout' | 'stderr'>;
    const unchanged = async (run: () => Run | Promise<Run>, message: RegExp, status = 1) => {
      const before = project.snapshot();
      const r = await run();
      expect({ status: r.status, output: `${r.stdout}\n${r.stderr}` }).toEqual({ status, output: expect.stringMatching(message) });
      const after = project.snapshot();
      expect([...after.keys()].sort()).toEqual([...before.keys()].filter(k => k !== 'lock-test.json').concat(['lock-test.json']).sort());
      for (const [path, entry] of before) {
        if (path === 'lock-test.json') continue;
        expect({ path, entry: after.get(path) }).toEqual({ path, entry });
      }
    };

    test('an unknown tag', async () => {
      configure({ ...good, tag: '9.9' });
      await unchanged(refresh, new RegExp(`image "${registry.host}/library/busybox:9\\.9": tag "9\\.9" of ${registry.host}/library/busybox was not found \\(HEAD http://.*/v2/library/busybox/manifests/9\\.9 → HTTP 404\\)[\\s\\S]*lock file .*dockyard\\.lock\\.json was left unchanged`));
    });

    test('a registry that cannot be reached (network error)', async () => {
      configure({ ...good, image: `127.0.0.1:${await freePort()}/library/busybox:1.36` });
      await unchanged(refresh, /could not reach the registry[\s\S]*was left unchanged/);
    });

    test('a malformed answer (200 without Docker-Content-Digest)', async () => {
      configure({ ...good, image: `${await listen(malformed)}/library/busybox:1.36` });
      // the server lives in this process: the command must run without blocking it
      await unchanged(() => project.projenAsync(['dockyard:lock']), /the registry's answer has no Docker-Content-Digest header[\s\S]*was left unchanged/);
    });

    test('a registry that never answers, with --timeout-ms', async () => {
      configure({ ...good, image: `${await listen(hanging)}/library/busybox:1.36` });
      await unchanged(() => project.projenAsync(['dockyard:lock', '--timeout-ms', '1500']), /no answer within 1500 ms[\s\S]*was left unchanged/);
    });

    test('an action tag that does not exist', async () => {
      configure({ ...good, actionTags: { 'actions/checkout': 'v9.9.9' } });
      await unchanged(refresh, /action "actions\/checkout": tag "v9\.9\.9" does not exist in file:\/\/.*checkout\.git \(release tags: .*v1\.1\.0.*\)[\s\S]*was left unchanged/);
    });

    test('an action whose repository is unreachable', async () => {
      configure({ ...good, git: `file://${join(remotesDir, 'nowhere')}` });
      await unchanged(refresh, /could not list the tags of file:\/\/.*nowhere\/actions\/checkout\.git[\s\S]*was left unchanged/);
    });

    test('a model with problems: the synthesis reports them and nothing is collected', async () => {
      configure({ ...good, invalid: true });
      await unchanged(refresh, /stage name "Not Valid" must be lowercase[\s\S]*the synthesis failed .* before it could collect what to lock; fix the problems above\. The lock file was left unchanged\./);
    });

    test('an unknown argument', async () => {
      await unchanged(() => refresh('--force'), /dockyard:lock: unknown argument "--force"\nusage: dockyard:lock \[--no-synth\] \[--timeout-ms <milliseconds>\]/);
      await unchanged(() => refresh('--timeout-ms', '0'), /--timeout-ms "0" is not a positive whole number of milliseconds/);
    });
  });

  test('a project without DockyardLock: the command says what to add', () => {
    const bare = lockProject(PROJENRC, { 'lock-test.json': JSON.stringify({ ...config, noLock: true }) });
    try {
      ok(bare.bootstrap(), 'bootstrap');
      const cli = `require(${JSON.stringify(join(__dirname, '..', '..', 'lib', 'lock', 'cli.js'))}).run([])`;
      const r = spawnSync(process.execPath, ['-e', cli], { cwd: bare.dir, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('the project has no DockyardLock. Add `new DockyardLock(project)` to .projenrc');
      expect(bare.read(LOCK_FILE_NAME)).toBeUndefined();
    } finally {
      rmSync(bare.dir, { recursive: true, force: true });
    }
  });

  test('the lock file is read by the synth-drift job\'s plain `npx projen`: a hand-edited digest is what renders', () => {
    const path = join(project.dir, LOCK_FILE_NAME);
    const lock = readLockFile(path)!;
    const reference = `${registry.host}/library/busybox:1.36`;
    const edited = { ...lock, images: { [reference]: { ...lock.images[reference], digest: `sha256:${'0'.repeat(64)}` } } };
    const original = project.read(LOCK_FILE_NAME)!;
    try {
      writeFileSync(path, JSON.stringify(edited));
      ok(project.projen([]), 'npx projen');
      expect(fromLine()).toBe(`FROM ${reference}@sha256:${'0'.repeat(64)} AS base`);
    } finally {
      writeFileSync(path, original);
      ok(project.projen([]), 'npx projen');
    }
    const wf = parse(project.read('.github/workflows/dockyard-lock-refresh.yml')!) as Obj;
    expect(wf.jobs['dockyard-lock-refresh'].steps.map((s: Obj) => s.name)).toContain('Open a pull request');
  });
});
