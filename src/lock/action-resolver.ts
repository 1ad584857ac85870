import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// type-only at load time: the YAML library is required when an action.yml is read
import type * as Yaml from 'yaml';
import { actionNameProblem, FULL_SHA } from '../core/github-names';
import { DockyardValidationError } from '../core/problems';

/** A GitHub Action pinned to the commit of a release tag. */
export interface ResolvedAction {
  /** `owner/repo` or `owner/repo/path`, as asked. */
  readonly action: string;
  /** The release tag, e.g. `v4.2.2`. */
  readonly version: string;
  /** The 40-hex commit the tag points to (annotated tags dereferenced). */
  readonly sha: string;
  /** The keys of `inputs:` in the action's action.yml (or action.yaml) at that commit, sorted. */
  readonly inputs: string[];
}

export interface ResolveActionOptions {
  /** Pin this tag instead of the newest `vMAJOR.MINOR.PATCH` release tag. */
  readonly tag?: string;
  /** Git URL of the action's repository. @default https://github.com/<owner>/<repo>.git */
  readonly url?: string;
  /** Deadline of each git command. @default 60000 */
  readonly timeoutMs?: number;
}

/** Default deadline of each git command run by {@link resolveAction}. */
export const DEFAULT_GIT_TIMEOUT_MS = 60_000;

const RELEASE_TAG = /^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const LS_REMOTE_TAG = new RegExp(`^(${FULL_SHA.source.slice(1, -1)})\\trefs/tags/(.+?)(\\^\\{\\})?$`);
const TAG_NAME = /^[A-Za-z0-9._+/-]+$/;

/** Whether `tag` can be passed to git as a tag name (letters, digits, ".", "_", "+", "/", "-"; not starting with "-"). */
export function isTagName(tag: unknown): tag is string {
  return typeof tag === 'string' && TAG_NAME.test(tag) && !tag.startsWith('-');
}

/** The parts of an action name. */
export interface ActionName {
  readonly action: string;
  readonly owner: string;
  readonly repo: string;
  /** Directory of action.yml inside the repository ('' for the root). */
  readonly path: string;
}

function problem(action: string, what: string, fix: string): DockyardValidationError {
  return new DockyardValidationError([`action ${JSON.stringify(action)}: ${what}. ${fix}`]);
}

/** Splits `owner/repo[/path]`, rejecting anything GitHub would not accept in `uses:`. */
export function parseActionName(action: string): ActionName {
  if (typeof action !== 'string' || action === '') {
    throw problem(String(action), 'is empty', 'Write it as "owner/repo" or "owner/repo/path", e.g. "actions/checkout".');
  }
  if (action.includes('@')) {
    throw problem(action, 'carries a version after "@"', 'Write it without "@…" and pass the tag as the "tag" option; the lock file records the commit.');
  }
  if (actionNameProblem(action) !== undefined) {
    throw problem(action, 'is not "owner/repo" or "owner/repo/path" (owner: letters, digits and single "-"; repository and path: letters, digits, ".", "_" and "-")',
      'Write it as it appears in "uses:", e.g. "actions/checkout" or "github/codeql-action/init".');
  }
  const [owner, repo, ...path] = action.split('/');
  return { action, owner, repo, path: path.join('/') };
}

/** The tags of `git ls-remote --tags` output, each mapped to the commit it points to (annotated tags dereferenced). */
export function parseLsRemoteTags(output: string): Map<string, string> {
  const direct = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = LS_REMOTE_TAG.exec(line.trim());
    if (!match) continue;
    (match[3] ? peeled : direct).set(match[2], match[1]);
  }
  const tags = new Map<string, string>();
  for (const [tag, sha] of direct) tags.set(tag, peeled.get(tag) ?? sha);
  return tags;
}

/** Compares two `vMAJOR.MINOR.PATCH` tags numerically (any size of number). */
function compareRelease(a: RegExpExecArray, b: RegExpExecArray): number {
  for (let i = 1; i <= 3; i++) {
    if (a[i].length !== b[i].length) return a[i].length - b[i].length;
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/** The highest `vMAJOR.MINOR.PATCH` tag by semantic version; pre-releases and other tags are ignored. */
export function newestReleaseTag(tags: Iterable<string>): string | undefined {
  let best: RegExpExecArray | undefined;
  for (const tag of tags) {
    const match = RELEASE_TAG.exec(tag);
    if (match && (!best || compareRelease(match, best) > 0)) best = match;
  }
  return best?.[0];
}

/**
 * Finds the release tag of a GitHub Action (the newest `vX.Y.Z`, or `options.tag`), the commit it points to,
 * and the inputs its action.yml declares at that commit. Runs `git ls-remote` and a depth-1 fetch of that commit
 * into a temporary directory that is deleted afterwards; never prompts for credentials.
 * Throws a DockyardValidationError naming the action, what happened and the fix.
 */
export function resolveAction(action: string, options: ResolveActionOptions = {}): ResolvedAction {
  const name = parseActionName(action);
  const url = options.url ?? `https://github.com/${name.owner}/${name.repo}.git`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw problem(action, `timeoutMs ${timeoutMs} is not a positive whole number of milliseconds`, 'Pass e.g. 60000.');
  }
  if (options.tag !== undefined && !isTagName(options.tag)) {
    throw problem(action, `tag ${JSON.stringify(options.tag)} is not a valid tag name`, 'Pass a tag such as "v4.2.2".');
  }
  const listing = git(name, ['ls-remote', '--tags', '--', url], timeoutMs,
    `could not list the tags of ${url}`, 'Check the URL and that this machine can reach it (the repository must be public).');
  const tags = parseLsRemoteTags(listing);
  const version = options.tag ?? newestReleaseTag(tags.keys());
  if (version === undefined) {
    const seen = [...tags.keys()].slice(0, 10);
    throw problem(action, `${url} has no release tag of the form vMAJOR.MINOR.PATCH (tags seen: ${seen.length ? seen.join(', ') : 'none'})`,
      'Pass the tag to pin as the "tag" option.');
  }
  const sha = tags.get(version);
  if (sha === undefined) {
    const releases = [...tags.keys()].filter(t => RELEASE_TAG.test(t)).slice(-10);
    throw problem(action, `tag ${JSON.stringify(version)} does not exist in ${url} (release tags: ${releases.length ? releases.join(', ') : 'none'})`,
      'Correct the "tag" option, or leave it out to pin the newest release.');
  }
  if (!FULL_SHA.test(sha)) {
    throw problem(action, `git reported ${JSON.stringify(sha)} for tag ${version}, which is not a 40-hex commit`, 'Check the URL points to a git repository.');
  }
  const inputs = readInputs(name, url, sha, version, timeoutMs);
  return { action, version, sha, inputs };
}

function readInputs(name: ActionName, url: string, sha: string, version: string, timeoutMs: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'dockyard-action-'));
  try {
    git(name, ['init', '-q', dir], timeoutMs, 'could not create a temporary git repository', 'Check git works and the temporary directory is writable.');
    // Fetching the commit by id reads exactly what ls-remote reported (protocol v2 serves any existing commit; GitHub does).
    git(name, ['-C', dir, '-c', 'protocol.version=2', 'fetch', '-q', '--no-tags', '--depth', '1', '--', url, sha], timeoutMs,
      `could not fetch commit ${sha} (tag ${version}) from ${url}`, 'Check the URL and that this machine can reach it (the server must speak git protocol v2).');
    const dirPrefix = name.path ? `${name.path}/` : '';
    for (const file of ['action.yml', 'action.yaml']) {
      const exists = run(['-C', dir, 'cat-file', '-e', `${sha}:${dirPrefix}${file}`], timeoutMs);
      if (exists.status !== 0) continue;
      const text = git(name, ['-C', dir, 'show', `${sha}:${dirPrefix}${file}`], timeoutMs, `could not read ${dirPrefix}${file}`, 'Refresh the lock again.');
      return parseInputs(name.action, `${dirPrefix}${file} at ${version} (${sha})`, text);
    }
    throw problem(name.action, `${url} has no ${dirPrefix}action.yml or ${dirPrefix}action.yaml at ${version} (${sha})`,
      name.path ? 'Check the path after owner/repo names the directory of the action.' : 'Check the repository is a GitHub Action (a composite or reusable-workflow repository needs the path of its action).');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sorted keys of `inputs:` of an action.yml; throws when the YAML or `inputs:` is malformed. */
export function parseInputs(action: string, file: string, text: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isMap, isScalar, parseDocument } = require('yaml') as typeof Yaml;
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw problem(action, `${file} is not valid YAML (${doc.errors[0].message.split('\n')[0]})`, 'Pin a tag whose action.yml is valid, or report it to the action\'s authors.');
  }
  const root = doc.contents;
  if (!isMap(root)) {
    throw problem(action, `${file} is not a YAML mapping`, 'Check the path names a GitHub Action.');
  }
  const pair = root.items.find(item => isScalar(item.key) && item.key.value === 'inputs');
  if (!pair || pair.value === null || (isScalar(pair.value) && pair.value.value === null)) return [];
  if (!isMap(pair.value)) {
    throw problem(action, `"inputs" in ${file} is not a mapping of input names`, 'Pin a tag whose action.yml is valid, or report it to the action\'s authors.');
  }
  const inputs: string[] = [];
  for (const item of pair.value.items) {
    const key = isScalar(item.key) ? item.key.value : undefined;
    if (typeof key !== 'string' || key === '') {
      throw problem(action, `"inputs" in ${file} has a key that is not a non-empty string`, 'Pin a tag whose action.yml is valid, or report it to the action\'s authors.');
    }
    inputs.push(key);
  }
  return inputs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function run(args: string[], timeoutMs: number) {
  return spawnSync('git', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '', GCM_INTERACTIVE: 'never', LC_ALL: 'C' },
  });
}

function git(name: ActionName, args: string[], timeoutMs: number, what: string, fix: string): string {
  const r = run(args, timeoutMs);
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw problem(name.action, `${what}: git is not installed`, 'Install git (apt-get install -y git).');
    if (code === 'ETIMEDOUT') throw problem(name.action, `${what}: git ${args.filter(a => a !== '-q').slice(0, 3).join(' ')} took longer than ${timeoutMs} ms`, fix);
    throw problem(name.action, `${what}: ${r.error.message}`, fix);
  }
  if (r.status !== 0) {
    const lines = r.stderr.split('\n').map(l => l.trim()).filter(Boolean);
    const errors = lines.filter(l => /^(fatal|error):/.test(l));
    const stderr = (errors.length ? errors : lines).slice(0, 3).join(' / ').slice(0, 500);
    throw problem(name.action, `${what} (git exited with ${r.status ?? r.signal}${stderr ? `: ${stderr}` : ''})`, fix);
  }
  return r.stdout;
}
