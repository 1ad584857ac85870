/**
 * Scratch projects outside the checkout, set up the way a new user's repository is: the packed tarball and the
 * README's install lines installed with npm from the registry, one node_modules shared by every snippet program
 * (each program is a directory below the scratch project, so Node finds that node_modules).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface CommandResult {
  readonly command: string;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * The environment of every command: the test's own (with the user's npm settings: registry, cache, CA), without
 * what `npm test` says about this checkout (its package, its directory as npm's local prefix) and without the
 * settings of projen, ts-node and jest; cdktf's telemetry off.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_(package_|lifecycle_|command$|execpath$|node_execpath$|config_local_prefix$)|PROJEN_|TS_NODE_|JEST_|INIT_CWD$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, CHECKPOINT_DISABLE: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** Runs a command without a shell; never throws for a non-zero exit. */
export function run(cmd: string, args: string[], options: RunOptions): Promise<CommandResult> {
  const t0 = Date.now();
  const command = `(cd ${options.cwd} && ${[cmd, ...args].map(a => (/^[\w@./:=~+-]+$/.test(a) ? a : `'${a}'`)).join(' ')})`;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.once('error', e => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      const [stdout, stderr] = [Buffer.concat(out).toString('utf8'), Buffer.concat(err).toString('utf8')];
      resolve({ command, status, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

/** The command, its exit and the tail of its output, for an error message. */
export function describeResult(r: CommandResult): string {
  const tail = (s: string) => s.split('\n').slice(-60).join('\n');
  return `${r.command} exited ${r.status ?? r.signal} after ${(r.ms / 1000).toFixed(1)} s\n--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`;
}

/** Like run, but rejects with the command's output when it fails. */
export async function runOk(cmd: string, args: string[], options: RunOptions): Promise<CommandResult> {
  const r = await run(cmd, args, options);
  if (r.status !== 0) throw new Error(describeResult(r));
  return r;
}

/** Every file below `dir` (relative path → content), without .git and node_modules: what a run wrote. */
export function snapshot(dir: string, skip: readonly string[] = []): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      const rel = relative(dir, path);
      if (entry === '.git' || entry === 'node_modules' || skip.includes(rel)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.set(rel, readFileSync(path, 'utf8'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** The files that differ between two snapshots (added, removed or changed). */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter(n => before.get(n) !== after.get(n)).sort();
}

/** A package directory exists in node_modules (directly, as npm installs it). */
export function installed(projectDir: string, name: string): boolean {
  return existsSync(join(projectDir, 'node_modules', ...name.split('/'), 'package.json'));
}

/** Runs `fn` over `items` with at most `limit` at a time; the promises settle like the items' own. */
export function limited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Map<T, Promise<R>> {
  const results = new Map<T, Promise<R>>();
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    active--;
    queue.shift()?.();
  };
  for (const item of items) {
    results.set(item, new Promise<R>((resolve, reject) => {
      const start = () => {
        active++;
        fn(item).then(resolve, reject).finally(next);
      };
      if (active < limit) start();
      else queue.push(start);
    }));
  }
  return results;
}
