/**
 * The lock refresh command, run by the `dockyard:lock` projen task (or directly: `node <cdk-dockyard>/lib/lock/cli.js`)
 * in the project root:
 *
 * 1. runs the project's synthesis (`projen default`) in collect mode, which writes what must be locked (every base
 *    image tag of the Dockerfiles, every action of the generated workflows) and stops before writing any file;
 * 2. resolves each image tag to its digest (OCI distribution API) and each action's release tag to its commit and
 *    inputs (`git ls-remote`, `action.yml` at that commit);
 * 3. only when everything resolved, writes the lock file atomically (on any failure: a clear error, file unchanged);
 * 4. runs the synthesis again (`projen default`), so every generated file moves with the lock.
 *
 * Options: `--no-synth` (skip step 4), `--timeout-ms <n>` (deadline of each resolution).
 * @internal
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { LockFile, readLockFile, refreshLock } from './lock-file';
import { COLLECT_ENV, readLockRequest } from './lock-request';
import { DockyardValidationError } from '../core/problems';

/** Where the command writes. @internal */
export interface CliIo {
  readonly cwd: string;
  out(line: string): void;
  err(line: string): void;
}

const PROCESS_IO: CliIo = {
  cwd: process.cwd(),
  out: line => process.stdout.write(`${line}\n`),
  err: line => process.stderr.write(`${line}\n`),
};

const USAGE = 'usage: dockyard:lock [--no-synth] [--timeout-ms <milliseconds>]';
const SYNTH_TIMEOUT_MS = 15 * 60_000;

interface Args {
  readonly synth: boolean;
  readonly timeoutMs?: number;
}

function parseArgs(argv: readonly string[]): Args | string {
  let synth = true;
  let timeoutMs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-synth') {
      synth = false;
    } else if (a === '--timeout-ms' || a.startsWith('--timeout-ms=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      const n = Number(value);
      if (value === undefined || !/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
        return `--timeout-ms ${JSON.stringify(value ?? '')} is not a positive whole number of milliseconds`;
      }
      timeoutMs = n;
    } else {
      return `unknown argument ${JSON.stringify(a)}`;
    }
  }
  return { synth, timeoutMs };
}

/** projen's command line, resolved from the project (so the project's own projen runs). */
function projenBin(cwd: string): string | undefined {
  try {
    return require.resolve('projen/bin/projen', { paths: [cwd] });
  } catch {
    return undefined;
  }
}

function tail(text: string, lines = 40): string {
  return text.split('\n').filter(l => l.trim() !== '').slice(-lines).join('\n');
}

function short(digestOrSha: string): string {
  return digestOrSha.startsWith('sha256:') ? `${digestOrSha.slice(0, 19)}…` : digestOrSha.slice(0, 12);
}

/** One line per entry that appeared, moved or went away. */
function changes(before: LockFile | undefined, after: LockFile): string[] {
  const out: string[] = [];
  const oldImages = before?.images ?? {};
  const oldActions = before?.actions ?? {};
  for (const k of Object.keys(after.images)) {
    const was = oldImages[k]?.digest;
    const now = after.images[k].digest;
    if (was !== now) out.push(`${k}: ${was ? short(was) : '(new)'} -> ${short(now)}`);
  }
  for (const k of Object.keys(oldImages)) if (!(k in after.images)) out.push(`${k}: removed (no Dockerfile uses it)`);
  for (const k of Object.keys(after.actions)) {
    const was = oldActions[k];
    const now = after.actions[k];
    if (was?.sha !== now.sha) out.push(`${k}: ${was ? `${was.version} (${short(was.sha)})` : '(new)'} -> ${now.version} (${short(now.sha)})`);
  }
  for (const k of Object.keys(oldActions)) if (!(k in after.actions)) out.push(`${k}: removed (no generated workflow uses it)`);
  return out;
}

function previousLock(path: string): LockFile | undefined {
  try {
    return readLockFile(path);
  } catch {
    return undefined; // a malformed lock is replaced by the refresh
  }
}

/** Runs the refresh; returns the exit status. @internal */
export async function main(argv: readonly string[] = process.argv.slice(2), io: CliIo = PROCESS_IO): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`dockyard:lock: ${args}\n${USAGE}`);
    return 2;
  }
  const bin = projenBin(io.cwd);
  if (!bin) {
    io.err(`dockyard:lock: projen is not installed in ${io.cwd}; run the command in the project root after installing its dependencies (npm ci)`);
    return 1;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dockyard-lock-request-'));
  const file = join(dir, 'request.json');
  try {
    io.out('dockyard:lock: collecting the base images and actions to lock (projen synthesis in collect mode; nothing is written)');
    const collect = spawnSync(process.execPath, [bin, 'default'], {
      cwd: io.cwd,
      env: { ...process.env, [COLLECT_ENV]: file, PROJEN_DISABLE_POST: 'true' },
      encoding: 'utf8',
      timeout: SYNTH_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (!existsSync(file)) {
      io.err(tail(`${collect.stdout ?? ''}\n${collect.stderr ?? ''}`));
      io.err(collect.status === 0
        ? 'dockyard:lock: the synthesis finished without collecting anything: the project has no DockyardLock. Add `new DockyardLock(project)` to .projenrc and run "npx projen" first.'
        : `dockyard:lock: the synthesis failed (${collect.error?.message ?? `exit ${collect.status ?? collect.signal}`}) before it could collect what to lock; fix the problems above. The lock file was left unchanged.`);
      return 1;
    }
    const request = readLockRequest(file);
    const where = relative(io.cwd, request.lockFile) || request.lockFile;
    io.out(`dockyard:lock: resolving ${request.images.length} image(s) and ${request.actions.length} action(s)`);
    const before = previousLock(request.lockFile);
    const lock = await refreshLock({ path: request.lockFile, images: request.images, actions: request.actions, timeoutMs: args.timeoutMs });
    const moved = changes(before, lock);
    for (const line of moved) io.out(`dockyard:lock:   ${line}`);
    io.out(moved.length ? `dockyard:lock: wrote ${where}` : `dockyard:lock: ${where} is up to date`);
  } catch (error) {
    if (error instanceof DockyardValidationError) {
      io.err(`dockyard:lock: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!args.synth) return 0;
  io.out('dockyard:lock: synthesizing the project with the new lock (projen default)');
  const synth = spawnSync(process.execPath, [bin, 'default'], { cwd: io.cwd, env: process.env, encoding: 'utf8', timeout: SYNTH_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  if (synth.stdout) io.out(synth.stdout.trimEnd());
  if (synth.status !== 0) {
    io.err(tail(synth.stderr ?? ''));
    io.err(`dockyard:lock: the lock was written, but the synthesis failed (${synth.error?.message ?? `exit ${synth.status ?? synth.signal}`}); fix the problems above and run "npx projen"`);
    return 1;
  }
  return 0;
}

/** Runs the command and sets the process's exit code (what the `dockyard:lock` task calls). @internal */
export function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  return main(argv).then(code => {
    process.exitCode = code;
  }, (error: unknown) => {
    process.stderr.write(`dockyard:lock: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}

if (require.main === module) void run();
