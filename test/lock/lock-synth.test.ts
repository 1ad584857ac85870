/**
 * Synthesis with a lock file (no network): what renders locked, what fails and how, and what stays as it was
 * without one. The lock files here are written by the tests (their digests are sha256 of labels, never
 * committed anywhere); the round trip against a real registry and real git repositories is lock-refresh.test.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { github, javascript, Project } from 'projen';
import { parse } from 'yaml';
import {
  ActionPin, BaseImage, DockyardLock, DockyardLockOptions, GhcrPublishWorkflow, GhcrPublishWorkflowOptions, LockRefreshAuth,
  MultiStageDockerfile, PythonAppDockerfile, PythonFramework, RepositorySettingsApp,
} from '../../src';
import { DockyardValidationError } from '../../src/core/problems';
import { LOCK_FILE_NAME, LockedAction, LockFile, writeLockFileAtomically } from '../../src/lock/lock-file';
import { COLLECT_ENV, LockRequestCollected, readLockRequest } from '../../src/lock/lock-request';
import { SHIPPED_ACTIONS } from '../../src/workflow/action-pins';
import { synthFailure } from '../support/synth';
import { NO_FINDINGS, Obj, usesWithComments, validate } from '../workflow/support';

const REFRESH = '.github/workflows/dockyard-lock-refresh.yml';
const PUBLISH = '.github/workflows/container-publish.yml';
const INDEX = 'application/vnd.oci.image.index.v1+json';

/** A test digest: the sha256 of a label (not an image anyone published). */
const digest = (label: string) => `sha256:${createHash('sha256').update(label).digest('hex')}`;
/** A test commit id: the sha1 of a label. */
const commit = (label: string) => createHash('sha1').update(label).digest('hex');

const outdirs: string[] = [];
afterAll(() => outdirs.forEach(d => rmSync(d, { recursive: true, force: true })));
beforeAll(() => {
  process.env.PROJEN_DISABLE_POST = 'true';
});

function outdir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dockyard-locksynth-'));
  outdirs.push(d);
  return d;
}

interface Setup {
  readonly lock?: LockFile | string;
  readonly lockOptions?: DockyardLockOptions | false;
  readonly workflow?: Partial<GhcrPublishWorkflowOptions> | false;
  readonly files?: Record<string, string>;
  readonly node?: boolean;
}

/** A project with a plain Dockerfile (`python:${PYTHON_VERSION}-slim`), the Python preset, a publish workflow and a DockyardLock. */
function setup(s: Setup = {}) {
  const dir = outdir();
  for (const [path, text] of Object.entries(s.files ?? {})) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  if (typeof s.lock === 'string') writeFileSync(join(dir, LOCK_FILE_NAME), s.lock);
  else if (s.lock) writeLockFileAtomically(join(dir, LOCK_FILE_NAME), s.lock);
  const project = s.node
    ? new javascript.NodeProject({ name: 'locked', defaultReleaseBranch: 'main', outdir: dir, github: true, githubOptions: { mergify: false }, buildWorkflow: false, release: false, depsUpgrade: false, packageManager: javascript.NodePackageManager.NPM })
    : new Project({ name: 'locked', outdir: dir });
  if (!s.node) new github.GitHub(project, { mergify: false, pullRequestLint: true });
  const plain = new MultiStageDockerfile(project, 'Plain', { path: 'docker/Dockerfile.plain' });
  plain.addArg('PYTHON_VERSION', '3.12');
  const base = plain.addStage('base', { from: BaseImage.fromRegistry('python:${PYTHON_VERSION}-slim') });
  plain.addStage('app', { from: BaseImage.fromStage(base) }).user('10001', '10001').cmd(['python3', '--version']);
  const preset = new PythonAppDockerfile(project, 'Prod', { framework: PythonFramework.django('mysite') });
  const workflow = s.workflow === false
    ? undefined
    : new GhcrPublishWorkflow(project, { dockerfile: preset.dockerfile, provenanceAttestation: false, ...s.workflow });
  const lock = s.lockOptions === false ? undefined : new DockyardLock(project, s.lockOptions ?? {});
  return { dir, project, plain, preset, workflow, lock };
}

/** Every action the default setup's generated workflows pin from the table. */
const SETUP_ACTIONS = [
  'actions/checkout', 'actions/create-github-app-token', 'actions/setup-node', 'amannn/action-semantic-pull-request', 'docker/build-push-action',
  'docker/login-action', 'docker/metadata-action', 'docker/setup-buildx-action', 'peter-evans/create-pull-request',
];

/** The inputs projen's pull-request-lint passes (the shipped table records none for this projen-pinned action). */
const SEMANTIC_INPUTS = ['types', 'requireScope', 'scopes', 'subjectPattern'];

function lockedAction(action: string, version = 'v99.1.0'): LockedAction {
  return { version, sha: commit(`${action}@${version}`), inputs: [...(SHIPPED_ACTIONS[action]?.inputs ?? SEMANTIC_INPUTS)] };
}

/** A complete lock for the default setup. */
function fullLock(edit: (lock: { images: Record<string, unknown>; actions: Record<string, LockedAction> }) => void = () => {}): LockFile {
  const images: Record<string, unknown> = {
    'python:3.12-slim': { digest: digest('python:3.12-slim'), mediaType: INDEX, registry: 'registry-1.docker.io', repository: 'library/python' },
    'python:3.11-alpine': { digest: digest('python:3.11-alpine'), mediaType: INDEX, registry: 'registry-1.docker.io', repository: 'library/python' },
  };
  const actions = Object.fromEntries(SETUP_ACTIONS.map(a => [a, lockedAction(a)]));
  edit({ images, actions });
  return { lockVersion: 1, images, actions } as LockFile;
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p.slice(dir.length + 1)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const fromLines = (dockerfile: string) => dockerfile.split('\n').filter(l => l.startsWith('FROM '));
const problemsOf = (project: Project) => synthFailure(project).problems;

describe('without a lock file (the documented opt-out)', () => {
  test('FROM lines render as written, the workflow keeps the shipped pins; DockyardLock adds the task and the refresh workflow', () => {
    const { dir, project } = setup();
    project.synth();
    const out = files(dir);
    expect(fromLines(out['docker/Dockerfile.plain'])).toEqual(['FROM python:${PYTHON_VERSION}-slim AS base', 'FROM base AS app']);
    expect(fromLines(out['docker/Dockerfile.prod'])[0]).toBe('FROM python:${PYTHON_VERSION}-alpine AS base');
    for (const u of usesWithComments(out[PUBLISH])) {
      const [action, sha] = u.uses.split('@');
      expect({ sha, comment: u.comment }).toEqual({ sha: SHIPPED_ACTIONS[action].sha, comment: SHIPPED_ACTIONS[action].version });
    }
    expect(JSON.parse(out['.projen/tasks.json']).tasks['dockyard:lock'].steps).toEqual([{
      exec: 'node -e "require(require(\'path\').join(require.resolve(\'cdk-dockyard/package.json\'), \'..\', \'lib\', \'lock\', \'cli.js\')).run(process.argv.slice(1))" --',
      receiveArgs: true,
    }]);
    expect(out[REFRESH]).toBeDefined();
    expect(out[LOCK_FILE_NAME]).toBeUndefined();
    // the lock file is not a generated file: projen never deletes it
    expect(JSON.parse(out['.projen/files.json']).files).not.toContain(LOCK_FILE_NAME);
  });

  test('no DockyardLock and no lock file: nothing changes, no task, no refresh workflow', () => {
    const { dir, project } = setup({ lockOptions: false });
    project.synth();
    const out = files(dir);
    expect(fromLines(out['docker/Dockerfile.plain'])[0]).toBe('FROM python:${PYTHON_VERSION}-slim AS base');
    expect(JSON.parse(out['.projen/tasks.json']).tasks['dockyard:lock']).toBeUndefined();
    expect(out[REFRESH]).toBeUndefined();
  });
});

describe('with a lock file', () => {
  test('every registry FROM renders as name:tag@digest with no ${…}; stage FROMs stay stage names', () => {
    const { dir, project } = setup({ lock: fullLock() });
    project.synth();
    const out = files(dir);
    expect(fromLines(out['docker/Dockerfile.plain'])).toEqual([`FROM python:3.12-slim@${digest('python:3.12-slim')} AS base`, 'FROM base AS app']);
    const prod = fromLines(out['docker/Dockerfile.prod']);
    expect(prod[0]).toBe(`FROM python:3.11-alpine@${digest('python:3.11-alpine')} AS base`);
    for (const line of [...prod, ...fromLines(out['docker/Dockerfile.plain'])]) expect(line).not.toContain('$');
  });

  test('the preset\'s docs say the digest wins over the build argument', () => {
    const { dir, project } = setup({ lock: fullLock() });
    project.synth();
    const docs = files(dir)['docker/Dockerfile.prod.md'];
    expect(docs).toContain(`| \`base\` | \`python:3.11-alpine@${digest('python:3.11-alpine')}\` |`);
    expect(docs).toContain('The digest wins over\nany build argument, so `PYTHON_VERSION` no longer changes the base image (`--build-arg PYTHON_VERSION=...` still builds the locked image).');
    expect(docs).toContain('| `PYTHON_VERSION` | global (FROM lines; locked: no effect on the image) | `3.11` |');
  });

  test('every uses: of every generated workflow takes the lock\'s commit with its version comment; the manifest agrees', async () => {
    const { dir, project } = setup({ lock: fullLock() });
    project.synth();
    const out = files(dir);
    for (const path of [PUBLISH, REFRESH]) {
      const uses = usesWithComments(out[path]);
      expect(uses.length).toBeGreaterThan(3);
      for (const u of uses) {
        const [action, sha] = u.uses.split('@');
        expect({ path, action, sha, comment: u.comment }).toEqual({ path, action, sha: commit(`${action}@v99.1.0`), comment: 'v99.1.0' });
      }
      expect(await validate(out[path], path)).toEqual(NO_FINDINGS);
    }
    // projen pins amannn/action-semantic-pull-request by SHA itself; the lock moves it too
    const lint = usesWithComments(out['.github/workflows/pull-request-lint.yml']);
    expect(lint).toEqual([{ uses: `amannn/action-semantic-pull-request@${commit('amannn/action-semantic-pull-request@v99.1.0')}`, comment: 'v99.1.0' }]);
    const manifest = JSON.parse(out['.github/dockyard-pipeline.json']);
    const refreshUses = manifest.actions.filter((a: Obj) => a.workflows.includes(REFRESH));
    expect(refreshUses.map((a: Obj) => a.action).sort()).toEqual(['actions/checkout', 'actions/create-github-app-token', 'actions/setup-node', 'peter-evans/create-pull-request']);
    for (const a of refreshUses) expect(a).toMatchObject({ ref: commit(`${a.action}@v99.1.0`), version: 'v99.1.0' });
    expect(manifest.workflows).toContain(REFRESH);
  });

  test('projen\'s own workflows take the lock\'s commits too (a Node project\'s build workflow)', () => {
    const lock = fullLock(l => {
      l.actions['actions/upload-artifact'] = lockedAction('actions/upload-artifact');
      l.actions['actions/download-artifact'] = lockedAction('actions/download-artifact');
    });
    const dir = outdir();
    writeLockFileAtomically(join(dir, LOCK_FILE_NAME), lock);
    const project = new javascript.NodeProject({
      name: 'node-locked',
      defaultReleaseBranch: 'main',
      outdir: dir,
      githubOptions: { mergify: false },
      release: false,
      depsUpgrade: false,
      packageManager: javascript.NodePackageManager.NPM,
      projenrcJson: false,
      pullRequestTemplate: false,
    });
    const df = new MultiStageDockerfile(project, 'App');
    df.addStage('base', { from: BaseImage.fromRegistry('python:3.12-slim') }).user('10001').cmd(['true']);
    new GhcrPublishWorkflow(project, { dockerfile: df, provenanceAttestation: false });
    new DockyardLock(project);
    project.synth();
    const build = files(dir)['.github/workflows/build.yml'];
    const uses = usesWithComments(build);
    expect(uses.length).toBeGreaterThan(1);
    for (const u of uses) {
      const [action, sha] = u.uses.split('@');
      expect({ action, sha, comment: u.comment }).toEqual({ action, sha: commit(`${action}@v99.1.0`), comment: 'v99.1.0' });
    }
  });

  test('a step of your own takes the lock\'s commit, and its with: keys are checked against the inputs the lock recorded', () => {
    const mine = ActionPin.of('aquasecurity/trivy-action', commit('trivy'), 'v0.28.0');
    const lock = fullLock(l => {
      l.actions['aquasecurity/trivy-action'] = { version: 'v0.28.0', sha: commit('trivy@v0.28.0 locked'), inputs: ['image-ref', 'severity'] };
    });
    const good = setup({ lock, workflow: { postBuildSteps: [{ name: 'Scan', uses: mine, with: { 'image-ref': 'x', 'severity': 'HIGH' } }] } });
    good.project.synth();
    expect(files(good.dir)[PUBLISH]).toContain(`uses: aquasecurity/trivy-action@${commit('trivy@v0.28.0 locked')} # v0.28.0`);
    const bad = setup({ lock, workflow: { postBuildSteps: [{ name: 'Scan', uses: mine, with: { 'image-ref': 'x', 'exit-code': '1' } }] } });
    expect(problemsOf(bad.project)).toEqual([expect.stringMatching(/postBuildSteps\[0\]\.with\.exit-code is not an input of aquasecurity\/trivy-action \(it declares image-ref, severity\)/)]);
    expect(existsSync(join(bad.dir, PUBLISH))).toBe(false);
  });

  test('a generated with: key the locked commit does not declare is an error naming the workflow, the step, the version and the fix', () => {
    const { dir, project } = setup({ lock: fullLock(l => { l.actions['docker/metadata-action'] = { ...l.actions['docker/metadata-action'], inputs: ['images', 'tags', 'labels'] }; }) });
    const problems = problemsOf(project);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p).toMatch(/^\[.*DockyardLock\] \.github\/workflows\/container-publish\.yml jobs\.container-(build|publish)\.steps\[\d+\] passes "(flavor|annotations|context)" to docker\/metadata-action, which v99\.1\.0 \([0-9a-f]{40}, as dockyard\.lock\.json locks it\) does not declare .*name a tag that has it in DockyardLock's actionTags, or drop the input$/);
    }
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
  });

  test('a FROM you pinned by digest yourself is left alone (and needs no entry)', () => {
    const dir = outdir();
    writeLockFileAtomically(join(dir, LOCK_FILE_NAME), fullLock());
    const project = new Project({ name: 'own-digest', outdir: dir });
    const df = new MultiStageDockerfile(project, 'App');
    const own = `ghcr.io/acme/base:1.0@${digest('own')}`;
    df.addStage('base', { from: BaseImage.fromRegistry(own) }).user('10001').cmd(['true']);
    new DockyardLock(project, { refreshWorkflow: false });
    project.synth();
    expect(fromLines(files(dir).Dockerfile)).toEqual([`FROM ${own} AS base`]);
  });
});

describe('missing, stale and malformed entries fail the synthesis, naming the construct, the rule and the command; nothing is written', () => {
  test('a FROM without an entry (e.g. after changing the Python version)', () => {
    const { dir, project } = setup({ lock: fullLock(l => { delete l.images['python:3.12-slim']; }) });
    expect(problemsOf(project)).toEqual([
      '[Project#locked@' + project.node.path.split('@')[1] + '/Plain/base] FROM "python:${PYTHON_VERSION}-slim" (python:3.12-slim) has no digest in dockyard.lock.json; run "npx projen dockyard:lock" to resolve it (locking is on: dockyard.lock.json exists)',
    ]);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
  });

  test('an image entry whose registry or repository is not the reference\'s (edited by hand)', () => {
    const { project } = setup({ lock: fullLock(l => { (l.images['python:3.11-alpine'] as Obj).repository = 'library/pypy'; }) });
    expect(problemsOf(project)).toEqual([expect.stringMatching(/\/Prod\/Dockerfile\/base\] FROM "python:\$\{PYTHON_VERSION\}-alpine" \(python:3\.11-alpine\) is locked in dockyard\.lock\.json as registry-1\.docker\.io\/library\/pypy, but the reference names registry-1\.docker\.io\/library\/python \(a stale or edited entry\); run "npx projen dockyard:lock" to rewrite it$/)]);
  });

  test('an action without an entry, and one locked at another tag than actionTags names', () => {
    const { dir, project } = setup({
      lock: fullLock(l => { delete l.actions['docker/login-action']; }),
      lockOptions: { actionTags: { 'actions/checkout': 'v4.2.2' } },
    });
    const problems = problemsOf(project).map(p => p.replace(/^\[[^\]]+\] /, ''));
    expect(problems.sort()).toEqual([
      '.github/workflows/container-publish.yml uses docker/login-action, which dockyard.lock.json does not lock; run "npx projen dockyard:lock" to pin it (locking is on: dockyard.lock.json exists)',
      'actions/checkout is locked at v99.1.0 in dockyard.lock.json, but actionTags asks for v4.2.2 (a stale entry); run "npx projen dockyard:lock" to pin v4.2.2',
    ]);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
  });

  test('a pin of your own at another version than the lock holds (you bumped it in .projenrc)', () => {
    const { project } = setup({ lock: fullLock(), workflow: { actionPins: [ActionPin.of('docker/login-action', commit('login'), 'v3.4.0')] } });
    expect(problemsOf(project).map(p => p.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'docker/login-action is locked at v99.1.0 in dockyard.lock.json, but actionPins[0] of .github/workflows/container-publish.yml asks for v3.4.0 (a stale entry); run "npx projen dockyard:lock" to pin v3.4.0',
    ]);
  });

  test('a malformed lock file (a merge conflict) is reported once, with the fix', () => {
    const { dir, project } = setup({ lock: '<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> branch\n' });
    const problems = problemsOf(project);
    expect(problems).toEqual([expect.stringMatching(/DockyardLock\] lock file .*dockyard\.lock\.json is not valid JSON \(.*\)\. Resolve any merge conflict or delete the file, then refresh the lock\. \(or run "npx projen dockyard:lock" to rewrite it\)$/)]);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
  });

  test('required: true without a lock file: every FROM and action is missing, each naming the command', () => {
    const { dir, project } = setup({ lockOptions: { required: true } });
    const problems = problemsOf(project);
    expect(problems.filter(p => p.includes('has no digest in dockyard.lock.json'))).toHaveLength(2);
    expect(problems).toHaveLength(2 + SETUP_ACTIONS.length);
    expect(problems.filter(p => p.includes('which dockyard.lock.json does not lock'))).toHaveLength(SETUP_ACTIONS.length);
    for (const p of problems) expect(p).toContain('"npx projen dockyard:lock"');
    expect(problems[0]).toContain('(locking is on: DockyardLock has required: true)');
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a lock file without a DockyardLock: locked, but nothing would refresh it', () => {
    const { project } = setup({ lock: fullLock(), lockOptions: false });
    expect(problemsOf(project)).toEqual([expect.stringMatching(/DockyardWorkflowHardening\] dockyard\.lock\.json exists, so every base image and action is locked to it, but the project has no DockyardLock to refresh it .*add `new DockyardLock\(project\)` to \.projenrc, or delete dockyard\.lock\.json to stop locking$/)]);
  });

  test('a FROM that uses a per-build argument (${TARGETARCH}) cannot be locked', () => {
    const dir = outdir();
    writeLockFileAtomically(join(dir, LOCK_FILE_NAME), fullLock());
    const project = new Project({ name: 'arch', outdir: dir });
    const df = new MultiStageDockerfile(project, 'App');
    df.addStage('base', { from: BaseImage.fromRegistry('ghcr.io/acme/base:1.0-${TARGETARCH}') }).user('10001').cmd(['true']);
    new DockyardLock(project, { refreshWorkflow: false });
    expect(problemsOf(project)).toEqual([expect.stringMatching(/\/App\/base\] FROM "ghcr\.io\/acme\/base:1\.0-\$\{TARGETARCH\}" uses a build argument BuildKit sets per build .*write the reference without it$/)]);
  });
});

describe('bad options of DockyardLock', () => {
  test('every problem at once, each naming the option and the fix', () => {
    const { dir, project } = setup({
      lockOptions: {
        lockFile: '../outside.json',
        schedule: 'every monday',
        branch: 'bad..branch',
        runsOn: [],
        installCommand: 'npm ci\nrm -rf /',
        actionTags: { 'not an action': 'v1', 'actions/checkout': '--upload-pack=x', 'acme/unused': 'v1.0.0' },
        gitServerUrl: 'ftp://example.invalid',
        cdktfApp: '/abs',
        auth: LockRefreshAuth.token('GITHUB_TOKEN'),
      },
    });
    const problems = problemsOf(project).map(p => p.replace(/^\[[^\]]+\] /, ''));
    const expected = [
      /^lockFile "\.\.\/outside\.json"/,
      /^actionTags key "not an action": /,
      /^actionTags\.actions\/checkout "--upload-pack=x" is not a tag name/,
      /^gitServerUrl "ftp:\/\/example\.invalid" must be an https:\/\/ \(or file:\/\/\) URL/,
      /^schedule "every monday" is not a cron expression of 5 fields/,
      /^runsOn must name at least one runner label/,
      /^installCommand /,
      /^branch /,
      /^cdktfApp "\/abs"/,
      /^auth secret "GITHUB_TOKEN" cannot be a repository secret .*GITHUB_TOKEN's pull requests trigger no checks/,
      /^actionTags names acme\/unused, which no generated workflow uses/,
    ];
    for (const e of expected) expect({ e: e.source, found: problems.some(p => e.test(p)) }).toEqual({ e: e.source, found: true });
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a second DockyardLock on the same project, and one on a subproject', () => {
    const { project } = setup();
    expect(() => new DockyardLock(project)).toThrow(/already has a DockyardLock; create it once, on the root project/);
    const root = new Project({ name: 'root', outdir: outdir() });
    const sub = new Project({ name: 'sub', parent: root, outdir: 'sub' });
    new DockyardLock(sub, { refreshWorkflow: false });
    expect(problemsOf(root)).toEqual([expect.stringMatching(/DockyardLock belongs on the root project \(root\)/)]);
  });

  test('two pins of your own for one action at different versions', () => {
    const { project } = setup({
      workflow: {
        actionPins: [ActionPin.of('docker/login-action', commit('a'), 'v3.0.0')],
        preBuildSteps: [{ name: 'Login again', uses: ActionPin.of('docker/login-action', commit('b'), 'v3.1.0'), with: { registry: 'ghcr.io' } }],
      },
    });
    expect(problemsOf(project).map(p => p.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'docker/login-action is pinned at v3.0.0 (actionPins[0] of .github/workflows/container-publish.yml) and at v3.1.0 (preBuildSteps[0] of .github/workflows/container-publish.yml); the lock holds one commit per action: pin one version, or name it in DockyardLock\'s actionTags',
    ]);
  });
});

describe('the refresh workflow', () => {
  test.each<[string, DockyardLockOptions]>([
    ['GitHub App (default)', {}],
    ['fine-grained token', { auth: LockRefreshAuth.token() }],
    ['own secrets, schedule, runners', { auth: LockRefreshAuth.githubApp({ clientIdSecret: 'BOT_ID', privateKeySecret: 'BOT_KEY' }), schedule: '0 3 * * *', runsOn: ['ubuntu-24.04'] }],
  ])('%s: zero findings from GitHub\'s parser, actionlint, shellcheck and the inputs check; read-only at the top and on the job; no GITHUB_TOKEN', async (_name, options) => {
    const { dir, project } = setup({ lockOptions: options });
    project.synth();
    const content = files(dir)[REFRESH];
    expect(await validate(content, REFRESH)).toEqual(NO_FINDINGS);
    const wf = parse(content) as Obj;
    expect(wf.on).toEqual({ schedule: [{ cron: options.schedule ?? '17 5 * * 1' }], workflow_dispatch: {} });
    expect(wf.permissions).toEqual({ contents: 'read' });
    const job = wf.jobs['dockyard-lock-refresh'];
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(content).not.toContain('GITHUB_TOKEN');
    expect(content).not.toMatch(/github\.token/);
    const steps = job.steps as Obj[];
    const names = steps.map(s => s.name);
    const app = options.auth === undefined || options.auth.kind === 'github-app';
    expect(names).toEqual([
      ...(app ? ['Create a GitHub App token'] : []),
      'Check out', 'Set up Node.js', 'Install dependencies', 'Refresh the lock and synthesize', 'Open a pull request',
    ]);
    expect(steps.find(s => s.name === 'Check out')!.with).toEqual({ 'persist-credentials': false });
    expect(steps.find(s => s.name === 'Refresh the lock and synthesize')!.run).toBe('npx projen dockyard:lock\n');
    const pr = steps.find(s => s.name === 'Open a pull request')!;
    expect(pr.uses).toBe(`peter-evans/create-pull-request@${SHIPPED_ACTIONS['peter-evans/create-pull-request'].sha}`);
    expect(pr.with.branch).toBe('dockyard/lock-refresh');
    if (app) {
      const token = steps[0];
      expect(token.uses).toBe(`actions/create-github-app-token@${SHIPPED_ACTIONS['actions/create-github-app-token'].sha}`);
      expect(token.with).toEqual({
        'client-id': `\${{ secrets.${options.auth?.secrets[0] ?? 'DOCKYARD_LOCK_APP_CLIENT_ID'} }}`,
        'private-key': `\${{ secrets.${options.auth?.secrets[1] ?? 'DOCKYARD_LOCK_APP_PRIVATE_KEY'} }}`,
        'permission-contents': 'write',
        'permission-pull-requests': 'write',
        'permission-workflows': 'write',
      });
      expect(pr.with.token).toBe('${{ steps.app-token.outputs.token }}');
    } else {
      expect(pr.with.token).toBe('${{ secrets.DOCKYARD_LOCK_TOKEN }}');
    }
    if (options.runsOn) expect(job['runs-on']).toBe(options.runsOn[0]);
  });

  test('synthesizes the cdktf app: the publish workflow\'s synthDrift.cdktfApp, else RepositorySettingsApp\'s directory, else none', async () => {
    const withDrift = setup({ workflow: { synthDrift: { cdktfApp: 'settings' } } });
    withDrift.project.synth();
    const drift = parse(files(withDrift.dir)[REFRESH]) as Obj;
    expect(drift.jobs['dockyard-lock-refresh'].steps.find((s: Obj) => s.name === 'Synthesize the cdktf app'))
      .toEqual({ 'name': 'Synthesize the cdktf app', 'shell': 'bash', 'working-directory': 'settings', 'env': { CHECKPOINT_DISABLE: '1' }, 'run': 'npx cdktf synth\n' });
    expect(await validate(files(withDrift.dir)[REFRESH], REFRESH)).toEqual(NO_FINDINGS);

    const withApp = setup({ workflow: false });
    new RepositorySettingsApp(withApp.project, { owner: 'acme', repository: 'app', directory: 'infra' });
    withApp.project.synth();
    expect((parse(files(withApp.dir)[REFRESH]) as Obj).jobs['dockyard-lock-refresh'].steps.find((s: Obj) => s.name === 'Synthesize the cdktf app')['working-directory']).toBe('infra');

    const none = setup();
    none.project.synth();
    expect(files(none.dir)[REFRESH]).not.toContain('cdktf');
  });

  test('a Node project installs with its own frozen install command', () => {
    const { dir, project } = setup({ node: true });
    project.synth();
    expect((parse(files(dir)[REFRESH]) as Obj).jobs['dockyard-lock-refresh'].steps.find((s: Obj) => s.name === 'Install dependencies').run).toBe('npm ci\n');
  });

  test('refreshWorkflow: false writes the task only', () => {
    const { dir, project } = setup({ lockOptions: { refreshWorkflow: false } });
    project.synth();
    expect(files(dir)[REFRESH]).toBeUndefined();
    expect(JSON.parse(files(dir)['.projen/tasks.json']).tasks['dockyard:lock']).toBeDefined();
  });
});

describe('Dependabot watches nothing generated', () => {
  const dependabot = (dir: string) => (existsSync(join(dir, '.github/dependabot.yml')) ? parse(readFileSync(join(dir, '.github/dependabot.yml'), 'utf8')) as Obj : undefined);

  test('no docker entry, and no github-actions entry when every workflow is generated: no dependabot.yml at all', () => {
    const { dir, project } = setup();
    project.synth();
    expect(dependabot(dir)).toBeUndefined();
  });

  test('a workflow of your own on disk gets a github-actions entry with a cooldown, every generated workflow in exclude-paths', () => {
    const { dir, project } = setup({ files: { '.github/workflows/mine.yml': 'name: mine\non: push\njobs: {}\n' } });
    project.synth();
    expect(dependabot(dir)).toEqual({
      version: 2,
      updates: [{
        'package-ecosystem': 'github-actions',
        'directory': '/',
        'schedule': { interval: 'weekly' },
        'exclude-paths': ['.github/workflows/container-publish.yml', '.github/workflows/dockyard-lock-refresh.yml', '.github/workflows/pull-request-lint.yml'],
        'cooldown': { 'default-days': 7 },
      }],
    });
  });

  test('a workflow left over from an earlier synthesis (listed in .projen/files.json, or with projen\'s marker) is not yours', () => {
    const { dir, project } = setup({
      files: {
        '.github/workflows/old.yml': 'name: old\n',
        '.github/workflows/legacy.yml': '# ~~ Generated by projen. To modify...\nname: legacy\n',
        '.projen/files.json': JSON.stringify({ files: ['.github/workflows/old.yml'] }),
      },
    });
    project.synth();
    expect(dependabot(dir)).toBeUndefined();
  });

  test('projen\'s npm entry (github.addDependabot()) gets a cooldown; one projen already has is kept', () => {
    const { dir, project } = setup({ node: true });
    github.GitHub.of(project)!.addDependabot();
    project.synth();
    const updates = dependabot(dir)!.updates as Obj[];
    expect(updates.map(u => [u['package-ecosystem'], u.cooldown])).toEqual([['npm', { 'default-days': 7 }]]);

    const own = setup({ node: true, files: { '.github/workflows/mine.yml': 'name: mine\n' } });
    github.GitHub.of(own.project)!.addDependabot({ cooldown: { defaultDays: 3 } });
    own.project.synth();
    expect((dependabot(own.dir)!.updates as Obj[]).map(u => [u['package-ecosystem'], u.cooldown])).toEqual([
      ['npm', { 'default-days': 3 }], ['github-actions', { 'default-days': 7 }],
    ]);
  });
});

describe('collect mode (the refresh command\'s synthesis)', () => {
  afterEach(() => {
    delete process.env[COLLECT_ENV];
  });

  test('writes every image tag and action to lock, with named tags and git URLs, and stops before writing anything', () => {
    const request = join(outdir(), 'request.json');
    const mine = ActionPin.of('aquasecurity/trivy-action', commit('trivy'), 'v0.28.0');
    // even a lock that misses entries, or names another Python version, does not stop the collection
    const { dir, project } = setup({
      lock: fullLock(l => { delete l.images['python:3.12-slim']; }),
      lockOptions: { actionTags: { 'docker/build-push-action': 'v6.18.0' }, gitServerUrl: 'https://git.example.invalid/' },
      workflow: { postBuildSteps: [{ name: 'Scan', uses: mine, with: { 'image-ref': 'x' } }] },
    });
    process.env[COLLECT_ENV] = request;
    let error: unknown;
    try {
      project.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LockRequestCollected);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    const collected = readLockRequest(request);
    expect(collected.lockFile).toBe(join(dir, LOCK_FILE_NAME));
    expect(collected.images).toEqual(['python:3.11-alpine', 'python:3.12-slim']);
    const url = (a: string) => `https://git.example.invalid/${a}.git`;
    expect(collected.actions).toEqual([
      { action: 'actions/checkout', url: url('actions/checkout') },
      { action: 'actions/create-github-app-token', url: url('actions/create-github-app-token') },
      { action: 'actions/setup-node', url: url('actions/setup-node') },
      { action: 'amannn/action-semantic-pull-request', url: url('amannn/action-semantic-pull-request') },
      { action: 'aquasecurity/trivy-action', tag: 'v0.28.0', url: url('aquasecurity/trivy-action') },
      { action: 'docker/build-push-action', tag: 'v6.18.0', url: url('docker/build-push-action') },
      { action: 'docker/login-action', url: url('docker/login-action') },
      { action: 'docker/metadata-action', url: url('docker/metadata-action') },
      { action: 'docker/setup-buildx-action', url: url('docker/setup-buildx-action') },
      { action: 'peter-evans/create-pull-request', url: url('peter-evans/create-pull-request') },
    ]);
  });

  test('a model with other problems reports them instead of collecting', () => {
    const request = join(outdir(), 'request.json');
    const { project, plain } = setup();
    plain.addStage('Bad Name', { from: BaseImage.fromRegistry('python:3.12-slim') });
    process.env[COLLECT_ENV] = request;
    expect(() => project.synth()).toThrow(DockyardValidationError);
    expect(existsSync(request)).toBe(false);
  });
});
