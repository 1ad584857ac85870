/**
 * Projects for the lock tests, the way a user has one: a directory with a `.projenrc.js` that requires
 * `cdk-dockyard` by name (here the built library of this checkout, lib/, through a node_modules symlink, as
 * an installed package would be), projen's `tasks.json` with the `dockyard:lock` task, and local git
 * "remotes" (file:// bare repositories) for every action the generated workflows use.
 */
import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { SHIPPED_ACTIONS } from '../../src/workflow/action-pins';
import { GitRemote, makeRemote } from '../support/git-remotes';

export const ROOT = join(__dirname, '..', '..');
const PROJEN_BIN = join(ROOT, 'node_modules', 'projen', 'bin', 'projen');

/** An action.yml declaring `inputs`. */
export function actionYml(inputs: readonly string[]): string {
  return ['name: test action', 'description: a local remote for the lock tests', 'inputs:',
    ...inputs.map(i => `  ${i}:\n    description: ${i}`), 'runs:', '  using: node20', '  main: index.js', ''].join('\n');
}

/** Local remotes for `actions` (`<root>/<owner>/<repo>.git`), each with v1.0.0 and v1.1.0 (annotated), declaring the shipped table's inputs. */
export function actionRemotes(root: string, actions: readonly string[]): Map<string, GitRemote> {
  const remotes = new Map<string, GitRemote>();
  for (const action of actions) {
    const inputs = SHIPPED_ACTIONS[action]?.inputs ?? [];
    remotes.set(action, makeRemote(root, action, [
      { files: { 'action.yml': actionYml(inputs) }, tags: ['v1.0.0'] },
      { files: { 'action.yml': actionYml(inputs) }, annotatedTags: ['v1.1.0'] },
    ]));
  }
  return remotes;
}

/** Adds a release to a remote made by actionRemotes (a commit with `inputs`, tagged `tag`); returns its commit. */
export function addRelease(root: string, action: string, tag: string, inputs: readonly string[]): void {
  const work = join(root, `${action}-work`);
  writeFileSync(join(work, 'action.yml'), `# ${tag}\n${actionYml(inputs)}`);
  const git = (args: string[]) => {
    const r = spawnSync('git', ['-c', 'commit.gpgSign=false', '-c', 'tag.gpgSign=false', ...args], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t.invalid', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  git(['commit', '-q', '-am', `release ${tag}`]);
  git(['tag', tag]);
  git(['push', '-q', join(root, `${action}.git`), 'main', '--tags']);
}

/** A user's project directory. */
export interface LockProject {
  readonly dir: string;
  /** `npx projen <args>` in the project (projen's own command line), with extra environment. */
  projen(args: string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
  /** The same without blocking this process (for servers of the test process that must keep answering meanwhile). */
  projenAsync(args: string[], env?: NodeJS.ProcessEnv): Promise<Pick<SpawnSyncReturns<string>, 'status' | 'stdout' | 'stderr'>>;
  /** `node .projenrc.js`: the first synthesis, which writes projen's tasks.json. */
  bootstrap(): SpawnSyncReturns<string>;
  /** A file of the project, or undefined. */
  read(path: string): string | undefined;
  /** Every file below the project (node_modules left out) → its content and modification time. */
  snapshot(): Map<string, { text: string; mtimeMs: number }>;
}

/**
 * A project in a fresh directory: node_modules links cdk-dockyard (this checkout), projen and constructs; `.projenrc.js`
 * is `projenrc`, `files` are written beside it. Nothing is synthesized yet.
 */
export function lockProject(projenrc: string, files: Record<string, string> = {}): LockProject {
  const dir = mkdtempSync(join(tmpdir(), 'dockyard-lockproj-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'cdk-dockyard'), 'dir');
  for (const pkg of ['projen', 'constructs']) symlinkSync(join(ROOT, 'node_modules', pkg), join(dir, 'node_modules', pkg), 'dir');
  writeFileSync(join(dir, '.projenrc.js'), projenrc);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const walk = (d: string, out: Map<string, { text: string; mtimeMs: number }>) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, out);
      else out.set(relative(dir, p), { text: readFileSync(p, 'utf8'), mtimeMs: statSync(p).mtimeMs });
    }
    return out;
  };
  return {
    dir,
    projen: (args, env = {}) => spawnSync(process.execPath, [PROJEN_BIN, ...args], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000, maxBuffer: 64 * 1024 * 1024,
    }),
    projenAsync: (args, env = {}) => new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [PROJEN_BIN, ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
      const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
      child.once('error', reject);
      child.once('close', status => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    }),
    bootstrap: () => spawnSync(process.execPath, ['.projenrc.js'], { cwd: dir, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 }),
    read: path => (existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : undefined),
    snapshot: () => walk(dir, new Map()),
  };
}

/** Throws with the command's output unless it succeeded. */
export function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
