import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseActionName, resolveAction, ResolvedAction } from './action-resolver';
import { parseImageName } from './image-name';
import { MANIFEST_MEDIA_TYPES, resolveImageDigest, ResolvedImage, SHA256_DIGEST } from './image-resolver';
import { FULL_SHA } from '../core/github-names';
import { DockyardValidationError } from '../core/problems';

export { LOCK_FILE_NAME } from './lock-request';
/** The only lock file format this version reads and writes. */
export const LOCK_VERSION = 1;

/** What an image reference (a tag) was pinned to. */
export interface LockedImage {
  readonly digest: string;
  readonly mediaType: string;
  readonly registry: string;
  readonly repository: string;
}

/** What an action was pinned to. */
export interface LockedAction {
  readonly version: string;
  readonly sha: string;
  readonly inputs: string[];
}

/**
 * The lock file. `images` is keyed by the reference as written (`python:3.11-alpine`), `actions` by
 * `owner/repo` (or `owner/repo/path`). Both objects have no prototype, so any key is just a key.
 */
export interface LockFile {
  readonly lockVersion: number;
  readonly images: Record<string, LockedImage>;
  readonly actions: Record<string, LockedAction>;
}

const TOP_KEYS = ['actions', 'images', 'lockVersion'];
const IMAGE_KEYS = ['digest', 'mediaType', 'registry', 'repository'];
const ACTION_KEYS = ['inputs', 'sha', 'version'];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Own keys of a parsed JSON object, sorted; reads them with Object.keys so `__proto__` is an ordinary key. */
function entries(value: Record<string, unknown>): [string, unknown][] {
  return Object.keys(value).sort(compare).map(key => [key, Object.getOwnPropertyDescriptor(value, key)?.value]);
}

/** A prototype-less record: assigning `__proto__` or `constructor` creates an ordinary property. */
function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function checkKeys(problems: string[], where: string, value: Record<string, unknown>, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) problems.push(`${where} has an unknown field ${JSON.stringify(key)} (allowed: ${allowed.join(', ')})`);
  }
}

/**
 * Checks a parsed lock file and returns it as a {@link LockFile} made of prototype-less records,
 * or the list of problems (each naming the field, what is wrong and what is expected).
 */
export function validateLockFile(value: unknown): { lock?: LockFile; problems: string[] } {
  const problems: string[] = [];
  if (!isRecord(value)) return { problems: [`the file must hold a JSON object, found ${describeValue(value)}`] };
  const version = Object.getOwnPropertyDescriptor(value, 'lockVersion')?.value;
  if (version !== LOCK_VERSION) {
    const what = version === undefined ? 'has no "lockVersion"' : `has lockVersion ${JSON.stringify(version)}`;
    return { problems: [`${what}; this cdk-dockyard reads lockVersion ${LOCK_VERSION} only (a newer cdk-dockyard may have written it: upgrade, or refresh the lock to rewrite it)`] };
  }
  checkKeys(problems, 'the top level', value, TOP_KEYS);
  const images = emptyRecord<LockedImage>();
  const actions = emptyRecord<LockedAction>();
  const rawImages = Object.getOwnPropertyDescriptor(value, 'images')?.value;
  const rawActions = Object.getOwnPropertyDescriptor(value, 'actions')?.value;
  if (!isRecord(rawImages)) problems.push(`"images" must be an object keyed by image reference, found ${describeValue(rawImages)}`);
  if (!isRecord(rawActions)) problems.push(`"actions" must be an object keyed by "owner/repo", found ${describeValue(rawActions)}`);
  for (const [key, entry] of isRecord(rawImages) ? entries(rawImages) : []) {
    const where = `images[${JSON.stringify(key)}]`;
    try {
      parseImageName(key);
    } catch (error) {
      problems.push(`${where}: the key is not a valid image reference (${error instanceof DockyardValidationError ? error.problems.join('; ') : String(error)})`);
      continue;
    }
    if (!isRecord(entry)) {
      problems.push(`${where} must be an object with ${IMAGE_KEYS.join(', ')}, found ${describeValue(entry)}`);
      continue;
    }
    checkKeys(problems, where, entry, IMAGE_KEYS);
    const field = (name: string) => Object.getOwnPropertyDescriptor(entry, name)?.value;
    const digest = field('digest');
    const mediaType = field('mediaType');
    const registry = field('registry');
    const repository = field('repository');
    const before = problems.length;
    if (typeof digest !== 'string' || !SHA256_DIGEST.test(digest)) problems.push(`${where}.digest must be "sha256:" and 64 lower-case hex digits, found ${describeValue(digest)}`);
    if (typeof mediaType !== 'string' || !MANIFEST_MEDIA_TYPES.includes(mediaType)) {
      problems.push(`${where}.mediaType must be one of ${MANIFEST_MEDIA_TYPES.join(', ')}, found ${describeValue(mediaType)}`);
    }
    if (typeof registry !== 'string' || registry === '') problems.push(`${where}.registry must be a non-empty string (host[:port]), found ${describeValue(registry)}`);
    if (typeof repository !== 'string' || repository === '') problems.push(`${where}.repository must be a non-empty string, found ${describeValue(repository)}`);
    if (problems.length === before) {
      images[key] = { digest: digest as string, mediaType: mediaType as string, registry: registry as string, repository: repository as string };
    }
  }
  for (const [key, entry] of isRecord(rawActions) ? entries(rawActions) : []) {
    const where = `actions[${JSON.stringify(key)}]`;
    try {
      parseActionName(key);
    } catch (error) {
      problems.push(`${where}: the key is not "owner/repo" or "owner/repo/path" (${error instanceof DockyardValidationError ? error.problems.join('; ') : String(error)})`);
      continue;
    }
    if (!isRecord(entry)) {
      problems.push(`${where} must be an object with ${ACTION_KEYS.join(', ')}, found ${describeValue(entry)}`);
      continue;
    }
    checkKeys(problems, where, entry, ACTION_KEYS);
    const tag = Object.getOwnPropertyDescriptor(entry, 'version')?.value;
    const sha = Object.getOwnPropertyDescriptor(entry, 'sha')?.value;
    const inputs = Object.getOwnPropertyDescriptor(entry, 'inputs')?.value;
    const before = problems.length;
    if (typeof tag !== 'string' || tag === '') problems.push(`${where}.version must be a non-empty string (the tag, e.g. "v4.2.2"), found ${describeValue(tag)}`);
    if (typeof sha !== 'string' || !FULL_SHA.test(sha)) problems.push(`${where}.sha must be a 40-character lower-case hex commit, found ${describeValue(sha)}`);
    if (!Array.isArray(inputs) || !inputs.every(i => typeof i === 'string' && i !== '')) {
      problems.push(`${where}.inputs must be an array of non-empty strings, found ${Array.isArray(inputs) ? 'an array with other values' : describeValue(inputs)}`);
    }
    if (problems.length === before) {
      actions[key] = { version: tag as string, sha: sha as string, inputs: [...(inputs as string[])] };
    }
  }
  return problems.length ? { problems } : { lock: { lockVersion: LOCK_VERSION, images, actions }, problems };
}

/** Reads and checks a lock file; `undefined` when it does not exist. Throws a DockyardValidationError naming the file when it is malformed. */
export function readLockFile(path: string): LockFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DockyardValidationError([`lock file ${path} could not be read (${(error as Error).message}). Check it is a readable file.`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DockyardValidationError([`lock file ${path} is not valid JSON (${(error as Error).message}). Resolve any merge conflict or delete the file, then refresh the lock.`]);
  }
  const { lock, problems } = validateLockFile(parsed);
  if (!lock) {
    throw new DockyardValidationError(problems.map(p => `lock file ${path}: ${p}. Fix it by hand or delete the file and refresh the lock.`));
  }
  return lock;
}

type Json = string | number | Json[] | { [key: string]: Json };

/** JSON with sorted keys and 2-space indentation; unlike JSON.stringify, integer-like keys are sorted too. */
function canonical(value: Json, indent: string): string {
  if (typeof value === 'string' || typeof value === 'number') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[\n${value.map(v => inner + canonical(v, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value).sort(compare);
  if (keys.length === 0) return '{}';
  const fields = keys.map(k => `${inner}${JSON.stringify(k)}: ${canonical(Object.getOwnPropertyDescriptor(value, k)?.value as Json, inner)}`);
  return `{\n${fields.join(',\n')}\n${indent}}`;
}

/** The lock file's bytes: keys sorted, 2-space indent, trailing newline. Throws when `lock` is not a valid lock. */
export function renderLockFile(lock: LockFile): string {
  const { lock: checked, problems } = validateLockFile(lock);
  if (!checked) throw new DockyardValidationError(problems.map(p => `lock to render: ${p}`));
  const json: Json = {
    lockVersion: checked.lockVersion,
    images: Object.fromEntries(Object.keys(checked.images).map(k => [k, { ...checked.images[k] }])),
    actions: Object.fromEntries(Object.keys(checked.actions).map(k => {
      const a = checked.actions[k];
      return [k, { version: a.version, sha: a.sha, inputs: [...a.inputs] }];
    })),
  };
  return `${canonical(json, '')}\n`;
}

/**
 * Writes the lock to a temporary file in the same directory, flushes it and renames it over `path`, so readers
 * see the old or the new file, never a half-written one. Returns false (and writes nothing) when the bytes are unchanged.
 */
export function writeLockFileAtomically(path: string, lock: LockFile): boolean {
  const text = renderLockFile(lock);
  try {
    if (readFileSync(path, 'utf8') === text) return false;
  } catch {
    // absent or unreadable: write it
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new DockyardValidationError([`lock file ${path} could not be written (${(error as Error).message}). Check the directory exists and is writable.`]);
  }
  return true;
}

/** An action to pin; `tag` and `url` as in {@link ResolveActionOptions}. */
export interface LockActionRequest {
  readonly action: string;
  readonly tag?: string;
  readonly url?: string;
}

export interface RefreshLockOptions {
  /** The lock file to write. */
  readonly path: string;
  /** Image references as written in the Dockerfiles (tags, not digests). */
  readonly images: string[];
  /** Actions to pin. */
  readonly actions: LockActionRequest[];
  /** Deadline of each image resolution and each git command. */
  readonly timeoutMs?: number;
}

function problemsOf(error: unknown): string[] {
  return error instanceof DockyardValidationError ? error.problems : [String(error instanceof Error ? error.message : error)];
}

/**
 * Resolves every image and action, and only when all succeeded writes the lock file (atomically).
 * On any failure it throws one DockyardValidationError listing every failure and leaves the file untouched.
 * The new lock holds exactly the images and actions asked for.
 */
export async function refreshLock(options: RefreshLockOptions): Promise<LockFile> {
  const problems: string[] = [];
  const actionRequests = new Map<string, LockActionRequest>();
  for (const request of options.actions) {
    const previous = actionRequests.get(request.action);
    if (previous && (previous.tag !== request.tag || previous.url !== request.url)) {
      problems.push(`action ${JSON.stringify(request.action)} is requested twice with different tag/url (${JSON.stringify(previous.tag ?? 'newest')} and ${JSON.stringify(request.tag ?? 'newest')}); the lock holds one entry per action. Ask for it once.`);
    }
    actionRequests.set(request.action, request);
  }
  const references = [...new Set(options.images)];
  const settled = await Promise.allSettled(references.map(r => resolveImageDigest(r, { timeoutMs: options.timeoutMs })));
  const resolvedImages: ResolvedImage[] = [];
  settled.forEach(s => (s.status === 'fulfilled' ? resolvedImages.push(s.value) : problems.push(...problemsOf(s.reason))));
  const resolvedActions: ResolvedAction[] = [];
  for (const request of actionRequests.values()) {
    try {
      resolvedActions.push(resolveAction(request.action, { tag: request.tag, url: request.url, timeoutMs: options.timeoutMs }));
    } catch (error) {
      problems.push(...problemsOf(error));
    }
  }
  if (problems.length) {
    throw new DockyardValidationError([...problems, `lock file ${options.path} was left unchanged; fix the problems above and refresh again.`]);
  }
  const images = emptyRecord<LockedImage>();
  for (const i of resolvedImages) images[i.reference] = { digest: i.digest, mediaType: i.mediaType, registry: i.registry, repository: i.repository };
  const actions = emptyRecord<LockedAction>();
  for (const a of resolvedActions) actions[a.action] = { version: a.version, sha: a.sha, inputs: [...a.inputs] };
  const lock: LockFile = { lockVersion: LOCK_VERSION, images, actions };
  writeLockFileAtomically(options.path, lock);
  return lock;
}
