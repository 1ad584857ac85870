/**
 * Scratch projects outside the checkout, set up the way a new user's repository is: the packed tarball and the
 * README's install lines installed with npm from the registry, one node_modules shared by every snippet program
 * (each program is a directory below the scratch project, so Node finds that node_modules).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CommandResult, run as runCommand, RunOptions as ProcessRunOptions } from '../support/process';

export type { CommandResult } from '../support/process';

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

export interface RunOptions extends ProcessRunOptions {
  readonly cwd: string;
}

/** Runs a command without a shell in `cwd`, with the new user's environment by default; never throws for a non-zero exit. */
export function run(cmd: string, args: string[], options: RunOptions): Promise<CommandResult> {
  return runCommand(cmd, args, { ...options, env: options.env ?? userEnv(), timeoutMs: options.timeoutMs ?? 300_000 });
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
