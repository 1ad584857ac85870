/**
 * What a project needs locked, handed from a synthesis in collect mode to the refresh command: the lock
 * file's path, every base image reference (tags, as the `FROM` lines resolve them) and every action of the
 * generated workflows (with the tag to pin, when one is named, and the git URL to read it from).
 *
 * The refresh command (cli.ts) runs the project's synthesis with `DOCKYARD_LOCK_COLLECT=<file>`; the
 * projen adapter's lock component then writes this request to `<file>` in preSynthesize and throws
 * {@link LockRequestCollected}, so projen deletes and writes nothing.
 * @internal
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { LockActionRequest } from './lock-file';
import { DockyardValidationError } from '../core/problems';

/** Default name of the lock file, committed beside .projenrc.ts. @internal */
export const LOCK_FILE_NAME = 'dockyard.lock.json';

/** The environment variable that puts a synthesis in collect mode; its value is the file to write. @internal */
export const COLLECT_ENV = 'DOCKYARD_LOCK_COLLECT';

/** What to lock. @internal */
export interface LockRequest {
  /** Absolute path of the lock file. */
  readonly lockFile: string;
  /** Image references (tags), sorted, each once. */
  readonly images: string[];
  /** Actions, sorted by name, each once. */
  readonly actions: LockActionRequest[];
}

/**
 * Thrown by a synthesis in collect mode once the request is written: nothing was deleted or written.
 * @internal
 */
export class LockRequestCollected extends Error {
  constructor(file: string) {
    super(`cdk-dockyard collected what the lock must hold into ${file} (${COLLECT_ENV} is set); synthesis stopped before writing anything`);
    this.name = 'LockRequestCollected';
    Object.defineProperty(this, 'stack', { value: `${this.name}: ${this.message}`, enumerable: false, writable: true, configurable: true });
  }
}

/** The collect file asked for by the environment, if any. @internal */
export function collectFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env[COLLECT_ENV];
  return file === undefined || file === '' ? undefined : file;
}

/** Writes the request. @internal */
export function writeLockRequest(file: string, request: LockRequest): void {
  writeFileSync(file, `${JSON.stringify(request, null, 2)}\n`);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string' && v !== '');
}

/** Reads and checks a request written by {@link writeLockRequest}. @internal */
export function readLockRequest(file: string): LockRequest {
  const fail = (what: string) => new DockyardValidationError([`the lock request ${file} ${what}. Run the refresh again; if it persists, report it as a cdk-dockyard bug.`]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw fail(`could not be read (${(error as Error).message})`);
  }
  const r = parsed as Partial<Record<keyof LockRequest, unknown>>;
  if (typeof parsed !== 'object' || parsed === null || typeof r.lockFile !== 'string' || !isStringArray(r.images) || !Array.isArray(r.actions)) {
    throw fail('is not a lock request');
  }
  const actions: LockActionRequest[] = [];
  for (const a of r.actions as unknown[]) {
    const x = a as Partial<Record<keyof LockActionRequest, unknown>>;
    if (typeof a !== 'object' || a === null || typeof x.action !== 'string'
      || (x.tag !== undefined && typeof x.tag !== 'string') || (x.url !== undefined && typeof x.url !== 'string')) {
      throw fail('has an action entry that is not { action, tag?, url? }');
    }
    actions.push({
      action: x.action,
      ...(x.tag !== undefined ? { tag: x.tag as string } : {}),
      ...(x.url !== undefined ? { url: x.url as string } : {}),
    });
  }
  return { lockFile: r.lockFile, images: [...r.images], actions };
}
