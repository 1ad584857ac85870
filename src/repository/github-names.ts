/**
 * GitHub's naming rules for the values a repository-settings stack sends to the
 * API. Each check returns undefined when the value is acceptable, or a message
 * naming the value, the rule and the fix.
 * @internal
 */

/** The GitHub App id of GitHub Actions: the source of every workflow job's check run. */
export const GITHUB_ACTIONS_APP_ID = 15368;

/** The tag pattern semver release tags match (GitHub fnmatch syntax). */
export const SEMVER_TAG_PATTERN = 'v*.*.*';

/** Owners whose actions `github_owned_allowed` covers. */
const GITHUB_OWNED = new Set(['actions', 'github']);

const CONTROL = /[\u0000-\u001f\u007f]/;

/** @internal */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || value === undefined || value === null) return String(value);
  return `${JSON.stringify(value) ?? String(value)} (${typeof value})`;
}

/**
 * A user or organization login: 1-39 characters, letters, digits and single
 * hyphens, not starting or ending with a hyphen.
 * @internal
 */
export function ownerProblem(owner: unknown): string | undefined {
  if (typeof owner !== 'string' || !/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(owner)) {
    return `owner ${quoteValue(owner)} is not a valid GitHub user or organization name: use 1-39 letters, digits or single hyphens, not starting or ending with a hyphen (the "acme" of github.com/acme/app)`;
  }
  return undefined;
}

/**
 * A repository name: 1-100 characters among letters, digits, `.`, `_` and `-`;
 * not `.` or `..`; not ending in `.git`.
 * @internal
 */
export function repositoryProblem(repository: unknown): string | undefined {
  const fix = 'use 1-100 letters, digits, ".", "_" or "-" (the "app" of github.com/acme/app), not "." or "..", not ending in ".git"';
  if (typeof repository !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(repository)
    || repository === '.' || repository === '..' || repository.toLowerCase().endsWith('.git')) {
    return `repository ${quoteValue(repository)} is not a valid GitHub repository name: ${fix}`;
  }
  return undefined;
}

/**
 * A branch name or fnmatch pattern GitHub accepts in rulesets, branch protection
 * and deployment policies: git's ref-name rules (`git check-ref-format --branch`),
 * with `*`, `?` and `[...]` allowed as wildcards; given without `refs/heads/`.
 * @internal
 */
export function branchPatternProblem(pattern: unknown, what: string, kind: 'branch' | 'tag' = 'branch'): string | undefined {
  const bad = (rule: string) =>
    `${what} ${quoteValue(pattern)} is not a ${kind} name or pattern GitHub accepts: ${rule}`;
  if (typeof pattern !== 'string' || pattern.length === 0) {
    return bad(kind === 'branch'
      ? 'give a non-empty branch name such as "main" or a pattern such as "release/*"'
      : 'give a non-empty tag pattern such as "v*.*.*"');
  }
  if (pattern.length > 255) {
    return bad('it is longer than 255 characters; shorten it');
  }
  if (CONTROL.test(pattern) || /[\s~^:\\]/.test(pattern)) {
    return bad('it contains whitespace, a control character or one of ~ ^ : \\; remove them');
  }
  if (pattern.startsWith('refs/')) {
    return bad(`give the short ${kind} name ("${pattern.replace(/^refs\/(heads\/|tags\/)?/, '')}"), without "refs/"`);
  }
  if (pattern.startsWith('-')) {
    return bad(`a ${kind} name cannot start with "-"; remove it`);
  }
  if (pattern === 'HEAD' || pattern === '@') {
    return bad(`"${pattern}" is reserved by git; choose another name`);
  }
  if (pattern.includes('..') || pattern.includes('@{')) {
    return bad('it contains ".." or "@{", which git forbids in ref names; remove them');
  }
  if (pattern.startsWith('/') || pattern.endsWith('/') || pattern.includes('//')) {
    return bad('it has an empty path component (a leading, trailing or double "/"); remove the extra "/"');
  }
  if (pattern.endsWith('.')) {
    return bad('it ends with "."; remove the trailing dot');
  }
  for (const component of pattern.split('/')) {
    if (component.startsWith('.')) {
      return bad(`its component "${component}" starts with "."; remove the leading dot`);
    }
    if (component.endsWith('.lock')) {
      return bad(`its component "${component}" ends with ".lock", which git reserves; rename it`);
    }
  }
  let depth = 0;
  for (const ch of pattern) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
  }
  if (depth !== 0) {
    return bad('it has an unclosed "[" character class; close it with "]" or remove it');
  }
  return undefined;
}

/**
 * An environment name GitHub accepts: 1-255 characters, no control characters,
 * no leading or trailing whitespace.
 * @internal
 */
export function environmentNameProblem(name: unknown, what: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255 || CONTROL.test(name) || name.trim() !== name) {
    return `${what} ${quoteValue(name)} is not an environment name GitHub accepts: use 1-255 characters without control characters or surrounding spaces, e.g. "production"`;
  }
  return undefined;
}

/** @internal */
export function isFullSha(ref: unknown): boolean {
  return typeof ref === 'string' && /^[0-9a-f]{40}$/.test(ref);
}

/**
 * An action reference as a workflow's `uses:` names it: `owner/repo` or
 * `owner/repo/path`.
 * @internal
 */
export function actionNameProblem(action: unknown): string | undefined {
  if (typeof action !== 'string') {
    return `action ${quoteValue(action)} is not a string`;
  }
  const parts = action.split('/');
  if (parts.length < 2 || ownerProblem(parts[0]) !== undefined || repositoryProblem(parts[1]) !== undefined
    || parts.slice(2).some(p => !/^[A-Za-z0-9._-]+$/.test(p) || p === '.' || p === '..')) {
    return `action ${quoteValue(action)} is not an "owner/repo" or "owner/repo/path" action reference`;
  }
  return undefined;
}

/** Whether `github_owned_allowed` covers the action (owner `actions` or `github`). */
export function isGithubOwnedAction(action: string): boolean {
  return GITHUB_OWNED.has(action.split('/')[0].toLowerCase());
}
