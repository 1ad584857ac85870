/**
 * GitHub's and git's naming rules, one function per kind of name, for every value the library
 * writes into a workflow or sends to GitHub's API: owners, repositories, actions, commit SHAs,
 * branch names (exact) and branch patterns side by side, environments and status checks. Each
 * returns undefined when the value is acceptable, or a message naming the value, the rule and the fix.
 * @internal
 */
import { characterProblem, TextKind } from './text-rules';

/** A full, lowercase commit SHA-1. @internal */
export const FULL_SHA = /^[0-9a-f]{40}$/;

/** The GitHub App id of GitHub Actions: the source of every workflow job's check run. @internal */
export const GITHUB_ACTIONS_APP_ID = 15368;

/** Owners whose actions `github_owned_allowed` covers. */
const GITHUB_OWNED = new Set(['actions', 'github']);

/** A value for a message: strings JSON-quoted, anything else with its type. @internal */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || value === undefined || value === null) return String(value);
  return `${JSON.stringify(value) ?? String(value)} (${typeof value})`;
}

/** Whether `ref` is a full commit SHA. @internal */
export function isFullSha(ref: unknown): boolean {
  return typeof ref === 'string' && FULL_SHA.test(ref);
}

/** Terraform reads `${` and `%{` in any string as a template: names bound for cdktf must not hold them. @internal */
export function terraformTemplateProblem(value: string): string | undefined {
  return /[$%]\{/.test(value) ? 'it contains "${" or "%{", which Terraform would evaluate as a template expression; remove it' : undefined;
}

/**
 * A user or organization login: 1-39 characters, letters, digits and single hyphens, not starting
 * or ending with a hyphen.
 * @internal
 */
export function ownerProblem(owner: unknown): string | undefined {
  if (typeof owner !== 'string' || !/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(owner)) {
    return `owner ${quoteValue(owner)} is not a valid GitHub user or organization name: use 1-39 letters, digits or single hyphens, not starting or ending with a hyphen (the "acme" of github.com/acme/app)`;
  }
  return undefined;
}

/** A repository name: 1-100 letters, digits, `.`, `_` and `-`; not `.` or `..`; not ending in `.git`. @internal */
export function repositoryProblem(repository: unknown): string | undefined {
  if (typeof repository !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(repository)
    || repository === '.' || repository === '..' || repository.toLowerCase().endsWith('.git')) {
    return `repository ${quoteValue(repository)} is not a valid GitHub repository name: use 1-100 letters, digits, ".", "_" or "-" (the "app" of github.com/acme/app), not "." or "..", not ending in ".git"`;
  }
  return undefined;
}

/** An action as `uses:` names it: `owner/repo` or `owner/repo/path`. @internal */
export function actionNameProblem(action: unknown): string | undefined {
  if (typeof action !== 'string') return `action ${quoteValue(action)} is not a string`;
  const parts = action.split('/');
  if (parts.length < 2 || ownerProblem(parts[0]) !== undefined || repositoryProblem(parts[1]) !== undefined
    || parts.slice(2).some(p => !/^[A-Za-z0-9._-]+$/.test(p) || p === '.' || p === '..')) {
    return `action ${quoteValue(action)} is not an "owner/repo" or "owner/repo/path" action reference`;
  }
  return undefined;
}

/** Whether `github_owned_allowed` covers the action (owner `actions` or `github`). @internal */
export function isGithubOwnedAction(action: string): boolean {
  return GITHUB_OWNED.has(action.split('/')[0].toLowerCase());
}

/** The longest branch name: `refs/heads/<name>` is at most 255 characters. */
const MAX_BRANCH = 255 - 'refs/heads/'.length;

/** git's ref-name structure rules (`git check-ref-format`), shared by exact names and patterns. */
function refStructureProblem(name: string, kind: 'branch' | 'tag'): string | undefined {
  if (name.startsWith('refs/')) return `give the short ${kind} name ("${name.replace(/^refs\/(heads\/|tags\/)?/, '')}"), without "refs/"`;
  if (name.length > MAX_BRANCH) return `it is longer than ${MAX_BRANCH} characters; shorten it`;
  if (name.startsWith('-')) return `it must not start with "-" (a ${kind} name cannot start with "-" in git); remove it`;
  if (name === 'HEAD' || name === '@') return `"${name}" is reserved by git; choose another name`;
  if (name.includes('..') || name.includes('@{')) return 'it must not contain ".." or "@{", which git forbids in ref names; remove them';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    return 'it must not start or end with "/" or contain "//" (an empty path component); remove the extra "/"';
  }
  if (name.endsWith('.')) return 'it ends with ".", and a ref name must not end with "."; remove the trailing dot';
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return `it has a component starting with "." ("${component}" starts with "."); remove the leading dot`;
    if (component.endsWith('.lock')) return `it has a component ending with ".lock" ("${component}"), which git reserves; rename it`;
  }
  return undefined;
}

/**
 * An exact branch name, as the publish workflow writes it into expressions, image tags, CSV inputs and
 * cache keys: git's ref-name rules, no glob, and only letters, digits, `.`, `_`, `-` and `/`.
 * @internal
 */
export function branchNameProblem(branch: unknown, what = 'branch'): string | undefined {
  const bad = (rule: string) => `${what} ${quoteValue(branch)} is not a branch name GitHub accepts: ${rule}`;
  if (typeof branch !== 'string') return `${what} must be a string, got ${branch === null ? 'null' : typeof branch}`;
  if (branch.length === 0) return bad('it must not be empty; give a branch name such as "main"');
  if (/[*?[\]]/.test(branch)) return bad('it is a glob; list each branch by its exact name');
  const chars = characterProblem(branch, what, TextKind.NAME);
  if (chars) return chars;
  if (!/^[A-Za-z0-9._/-]+$/.test(branch)) {
    return bad('it has characters other than letters, digits, ".", "_", "-" and "/" (the workflow writes branch names into expressions, tags and cache keys); use a name such as "main" or "release/v2"');
  }
  const structure = refStructureProblem(branch, 'branch');
  return structure ? bad(structure) : undefined;
}

/**
 * A branch name or fnmatch pattern as rulesets, branch protection and deployment policies take it:
 * git's ref-name rules with `*`, `?` and `[...]` as wildcards, given without `refs/heads/`.
 * @internal
 */
export function branchPatternProblem(pattern: unknown, what: string, kind: 'branch' | 'tag' = 'branch'): string | undefined {
  const bad = (rule: string) => `${what} ${quoteValue(pattern)} is not a ${kind} name or pattern GitHub accepts: ${rule}`;
  if (typeof pattern !== 'string' || pattern.length === 0) {
    return bad(kind === 'branch'
      ? 'give a non-empty branch name such as "main" or a pattern such as "release/*"'
      : 'give a non-empty tag pattern such as "v*.*.*"');
  }
  if (characterProblem(pattern, what, TextKind.NAME) !== undefined || /[\s~^:\\]/.test(pattern)) {
    return bad('it contains whitespace, a control character or one of ~ ^ : \\ (or an invisible character); remove them');
  }
  const rule = terraformTemplateProblem(pattern) ?? refStructureProblem(pattern, kind);
  if (rule) return bad(rule);
  let depth = 0;
  for (const ch of pattern) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
  }
  return depth !== 0 ? bad('it has an unclosed "[" character class; close it with "]" or remove it') : undefined;
}

/**
 * An environment name GitHub accepts: 1-255 characters, no control or invisible characters, no
 * surrounding whitespace.
 * @internal
 */
export function environmentNameProblem(name: unknown, what: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 255 || characterProblem(name, what, TextKind.NAME) !== undefined
    || name.trim() !== name) {
    return `${what} ${quoteValue(name)} is not an environment name GitHub accepts: use 1-255 characters without control or invisible characters or surrounding spaces, e.g. "production"`;
  }
  return undefined;
}

/** A status check name (a job's name) that branch rules can require. @internal */
export function checkNameProblem(check: unknown, what = 'required check'): string | undefined {
  if (typeof check !== 'string' || check.trim().length === 0 || characterProblem(check, what, TextKind.NAME) !== undefined) {
    return `${what} ${quoteValue(check)} is not a job name GitHub can report: give the job a printable name`;
  }
  const template = terraformTemplateProblem(check);
  return template ? `${what} ${quoteValue(check)} is not a job name the settings can require: ${template}` : undefined;
}

/**
 * A team's slug, as `@org/<slug>` and github.com/orgs/<org>/teams/<slug> name it: letters, digits, `.`,
 * `_` and `-`, starting with a letter or digit, at most 255 characters (GitHub derives it from the team's
 * name, lowercased, with every other character replaced by `-`).
 * @internal
 */
export function teamSlugProblem(slug: unknown, what = 'team'): string | undefined {
  if (typeof slug !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(slug)) {
    return `${what} ${quoteValue(slug)} is not a GitHub team slug: use the slug of github.com/orgs/<org>/teams/<slug> (letters, digits, ".", "_" or "-", e.g. "platform-team")`;
  }
  return undefined;
}

/**
 * A code owner as a CODEOWNERS file names it: `@login` (a user) or `@org/team-slug` (a team of the
 * organization that owns the repository). E-mail addresses, which GitHub also accepts, are refused:
 * they match only a user whose verified address it is, which nothing here can check.
 * @internal
 */
export function codeOwnerProblem(owner: unknown, what = 'code owner'): string | undefined {
  const fix = 'give a user as "@login" or a team as "@org/team-slug"';
  if (typeof owner !== 'string' || !owner.startsWith('@')) {
    const email = typeof owner === 'string' && owner.includes('@') ? ' (an e-mail address matches only a user whose verified address it is; use the login)' : '';
    return `${what} ${quoteValue(owner)} is not a GitHub user or team${email}: ${fix}`;
  }
  const [login, team, ...rest] = owner.slice(1).split('/');
  if (rest.length > 0 || ownerProblem(login) !== undefined) {
    return `${what} ${quoteValue(owner)} is not a GitHub user or team: ${fix}, where a login is 1-39 letters, digits or single hyphens, not starting or ending with a hyphen`;
  }
  if (team === undefined) return undefined;
  return teamSlugProblem(team, `${what} ${quoteValue(owner)}: the team slug`);
}

/**
 * A CODEOWNERS pattern: gitignore syntax without the parts GitHub does not support there (a leading `#`
 * is a comment and cannot be escaped, `!` does not negate, `[ ]` is no character range, `\` escapes
 * nothing) and without whitespace, which would split the line; no control or invisible character.
 * @internal
 */
export function codeOwnersPatternProblem(pattern: unknown, what = 'CODEOWNERS pattern'): string | undefined {
  const bad = (rule: string) => `${what} ${quoteValue(pattern)} is not a pattern GitHub's CODEOWNERS accepts: ${rule}`;
  if (typeof pattern !== 'string' || pattern.length === 0) return bad('give a non-empty pattern such as "*", "/docs/" or "*.ts"');
  const chars = characterProblem(pattern, what, TextKind.NAME);
  if (chars) return chars;
  if (/\s/.test(pattern)) return bad('it contains whitespace, which would end the pattern; match the space with "*" or "?" instead');
  if (pattern.startsWith('#')) return bad('it starts with "#", which makes the line a comment (escaping it with "\\" does not work in CODEOWNERS); match the "#" with "?" instead');
  if (pattern.startsWith('!')) return bad('negation with "!" does not work in CODEOWNERS; give a later, more specific pattern with no owners instead');
  if (/[[\]]/.test(pattern)) return bad('character ranges with "[ ]" do not work in CODEOWNERS; list one pattern per alternative or use "?"');
  if (pattern.includes('\\')) return bad('"\\" escapes nothing in CODEOWNERS; use "/" as the path separator and "?" for special characters');
  return undefined;
}

/**
 * Where GitHub looks for a repository's CODEOWNERS file, in its order (the first one found is used),
 * relative to the repository root.
 * @internal
 */
export function codeOwnersLocations(): readonly string[] {
  return ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];
}
