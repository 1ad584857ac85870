/**
 * Paths inside the repository (a Dockerfile, a build context, a manifest, a cdktf app): relative,
 * staying inside the repository, plain enough for YAML, shell and BuildKit, and never a remote
 * build context (a URL or git reference, which BuildKit would fetch instead of the reviewed tree).
 * @internal
 */
import * as posix from 'node:path/posix';
import { characterProblem, TextKind } from './text-rules';

/** What BuildKit/buildx would read as a remote context: a URL, an scp-like git address, a github.com path, a `#ref` fragment. */
const REMOTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^[^/\s]+@[^/\s]+:|^github\.com\/|#/;

/**
 * Why `path` is not a path inside the repository, or undefined. `root` names the root in messages
 * ("repository root", "project root").
 * @internal
 */
export function repositoryPathProblem(path: unknown, what: string, root = 'repository root'): string | undefined {
  if (typeof path !== 'string') return `${what} must be a string, got ${path === null ? 'null' : typeof path}`;
  if (path.length === 0) return `${what} must not be empty`;
  const chars = characterProblem(path, what, TextKind.NAME);
  if (chars) return chars;
  if (REMOTE.test(path)) {
    return `${what} ${JSON.stringify(path)} is a URL or git reference, so the image would be built from a tree nobody reviewed here; give a directory of this repository, e.g. "." or "services/api"`;
  }
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return `${what} ${JSON.stringify(path)} must be relative to the ${root}`;
  const normal = posix.normalize(path);
  if (normal === '..' || normal.startsWith('../')) return `${what} ${JSON.stringify(path)} leaves the ${root} with ".."; stay inside it`;
  if (/^\s|\s$/.test(path)) return `${what} ${JSON.stringify(path)} must not start or end with whitespace`;
  if (/[`$"'\\]/.test(path)) return `${what} ${JSON.stringify(path)} contains a quote, "$", "\\" or "\`"; rename the path`;
  return undefined;
}
