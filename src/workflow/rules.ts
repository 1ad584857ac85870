/**
 * Internal rules for every user string that reaches the generated workflow. Each
 * function returns why a value is rejected (naming the value, the rule and the fix)
 * or undefined. Values that pass are safe as YAML scalars, inside single-quoted
 * GitHub expression strings, in `type=...,key=value` CSV inputs and in cache keys;
 * none of them may hold a `${{` expression.
 * @internal
 */
import { isWellFormed } from '../dockerfile/text';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

function show(value: unknown): string {
  return JSON.stringify(value);
}

/** Problems common to every string: not a string, control characters, a GitHub expression. */
export function textProblem(value: unknown, what: string): string | undefined {
  if (typeof value !== 'string') return `${what} must be a string, got ${value === null ? 'null' : typeof value}`;
  if (value.length === 0) return `${what} must not be empty`;
  if (!isWellFormed(value)) return `${what} ${show(value)} contains a lone UTF-16 surrogate; pass well-formed text`;
  const m = CONTROL.exec(value);
  if (m) {
    return `${what} ${show(value)} contains the control character U+${m[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}; remove it`;
  }
  if (value.includes('${{')) return `${what} ${show(value)} contains "\${{", which GitHub would evaluate as an expression; remove it`;
  return undefined;
}

const BRANCH_CHARS = /^[A-Za-z0-9._/-]+$/;

/**
 * A branch name: git's check-ref-format rules for `refs/heads/<name>`, restricted to letters,
 * digits, `.`, `_`, `-` and `/` so that it is also safe in expressions, CSV inputs and cache keys.
 */
export function branchProblem(branch: unknown, what = 'branch'): string | undefined {
  const t = textProblem(branch, what);
  if (t) return t;
  const b = branch as string;
  const fix = '; use a branch name such as "main" or "release/v2"';
  if (/[*?[\]]/.test(b)) return `${what} ${show(b)} is a glob; list each branch by its exact name`;
  if (!BRANCH_CHARS.test(b)) return `${what} ${show(b)} has characters other than letters, digits, ".", "_", "-" and "/"${fix}`;
  if (b.length > 244) return `${what} ${show(b)} is longer than 244 characters${fix}`;
  if (b.startsWith('/') || b.endsWith('/') || b.includes('//')) return `${what} ${show(b)} must not start or end with "/" or contain "//"${fix}`;
  if (b.startsWith('-')) return `${what} ${show(b)} must not start with "-"${fix}`;
  if (b.includes('..')) return `${what} ${show(b)} must not contain ".."${fix}`;
  if (b.endsWith('.')) return `${what} ${show(b)} must not end with "."${fix}`;
  for (const c of b.split('/')) {
    if (c.startsWith('.')) return `${what} ${show(b)} has a component starting with "."${fix}`;
    if (c.endsWith('.lock')) return `${what} ${show(b)} has a component ending with ".lock"${fix}`;
  }
  if (b === 'HEAD') return `${what} "HEAD" is not a branch name${fix}`;
  return undefined;
}

/**
 * A GitHub environment name. GitHub accepts up to 255 characters; the pipeline also tags the image
 * with it, so it must be a valid image tag too (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`).
 */
export function environmentProblem(env: unknown, what = 'environment'): string | undefined {
  const t = textProblem(env, what);
  if (t) return t;
  const e = env as string;
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(e)) {
    return `${what} ${show(e)} is not accepted: the environment name is also the image tag, so use 1-128 letters, digits, "_", "." or "-", not starting with "." or "-" (e.g. "production")`;
  }
  return undefined;
}

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_PATH = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);

/** An image name without registry (`owner/name`), lowercase, per the distribution reference grammar. */
export function imageNameProblem(name: unknown, what = 'imageName'): string | undefined {
  const t = textProblem(name, what);
  if (t) return t;
  const n = name as string;
  if (n.startsWith('ghcr.io/')) return `${what} ${show(n)} must not include the registry; pass ${show(n.slice('ghcr.io/'.length))}`;
  if (n !== n.toLowerCase() && IMAGE_PATH.test(n.toLowerCase())) return `${what} ${show(n)} has uppercase letters, which registries reject; pass ${show(n.toLowerCase())}`;
  if (!IMAGE_PATH.test(n)) return `${what} ${show(n)} is not an image name; use lowercase path components separated by "/", e.g. "acme/app" (letters, digits, and ".", "_", "__" or "-" between them)`;
  if (!n.includes('/')) return `${what} ${show(n)} must be "<owner>/<name>" (GHCR namespaces images by owner)`;
  if (n.length > 255) return `${what} ${show(n)} is longer than 255 characters`;
  return undefined;
}

/** A job id (also its name, the status check name): `[A-Za-z_][A-Za-z0-9_-]*`. */
export function jobIdProblem(id: unknown, what: string): string | undefined {
  const t = textProblem(id, what);
  if (t) return t;
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/.test(id as string)) {
    return `${what} ${show(id)} is not a job id; start with a letter or "_" and use letters, digits, "_" and "-" (at most 100)`;
  }
  return undefined;
}

/** A workflow name, which is also its file name. */
export function workflowNameProblem(name: unknown, what = 'workflowName'): string | undefined {
  const t = textProblem(name, what);
  if (t) return t;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(name as string) || /\.ya?ml$/i.test(name as string)) {
    return `${what} ${show(name)} is not accepted; use letters, digits, "_", "." and "-" without the .yml extension (it names .github/workflows/<name>.yml)`;
  }
  return undefined;
}

/** A platform such as `linux/arm64/v8`. */
export function platformProblem(platform: unknown, what = 'platform'): string | undefined {
  const t = textProblem(platform, what);
  if (t) return t;
  if (!/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/.test(platform as string)) {
    return `${what} ${show(platform)} is not of the form os/arch[/variant]; use e.g. "linux/amd64" or "linux/arm64"`;
  }
  return undefined;
}

/** A path relative to the repository root that stays inside it. */
export function relativePathProblem(path: unknown, what: string): string | undefined {
  const t = textProblem(path, what);
  if (t) return t;
  const p = path as string;
  if (p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p)) return `${what} ${show(p)} must be relative to the repository root`;
  const parts = p.split('/');
  if (parts.includes('..')) return `${what} ${show(p)} must stay inside the repository (no "..")`;
  if (/^\s|\s$/.test(p)) return `${what} ${show(p)} must not start or end with whitespace`;
  if (/[`$"'\\]/.test(p)) return `${what} ${show(p)} contains a quote, "$", "\\" or "\`"; rename the path`;
  return undefined;
}

/** A path filter glob for `on.push.paths`. */
export function pathFilterProblem(glob: unknown, what = 'publishPaths entry'): string | undefined {
  const t = textProblem(glob, what);
  if (t) return t;
  const g = glob as string;
  if (g.startsWith('/')) return `${what} ${show(g)} must be relative to the repository root (drop the leading "/")`;
  if (/^\s|\s$/.test(g)) return `${what} ${show(g)} must not start or end with whitespace`;
  return undefined;
}

/** A runner label. */
export function runnerLabelProblem(label: unknown, what = 'runsOn label'): string | undefined {
  const t = textProblem(label, what);
  if (t) return t;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(label as string)) {
    return `${what} ${show(label)} is not a runner label; use letters, digits, "_", "." and "-", e.g. "ubuntu-24.04"`;
  }
  return undefined;
}

/** A node version spec for actions/setup-node. */
export function nodeVersionProblem(version: unknown, what = 'nodeVersion'): string | undefined {
  const t = textProblem(version, what);
  if (t) return t;
  if (!/^[A-Za-z0-9][A-Za-z0-9.*/+x-]{0,39}$/.test(version as string)) {
    return `${what} ${show(version)} is not a Node.js version spec; use e.g. "22", "22.x" or "lts/*"`;
  }
  return undefined;
}

/** A one-line shell command written by the project author (not untrusted input). */
export function commandProblem(command: unknown, what: string): string | undefined {
  const t = textProblem(command, what);
  if (t) return t;
  if ((command as string).trim().length === 0) return `${what} must not be blank`;
  return undefined;
}

/** A GitHub expression string literal: single quotes, with `'` doubled. */
export function exprString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
