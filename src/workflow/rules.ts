/**
 * Rules for the user strings that reach the generated workflow and nowhere else. Names shared with
 * other outputs (branches, environments, actions, image references, platforms, repository paths)
 * are ruled in src/core. Values that pass are safe as YAML scalars, inside single-quoted GitHub
 * expression strings, in `type=...,key=value` CSV inputs and in cache keys; none of them may hold
 * a `${{` expression.
 * @internal
 */
import { environmentNameProblem } from '../core/github-names';
import { IMAGE_PATH, IMAGE_TAG } from '../core/image-names';
import { characterProblem, stringProblem, TextKind } from '../core/text-rules';
import { GHCR_REGISTRY } from '../pipeline/constants';

function show(value: unknown): string {
  return JSON.stringify(value);
}

/** Problems common to every workflow string: not a string, empty, control or invisible characters, a GitHub expression. @internal */
export function textProblem(value: unknown, what: string): string | undefined {
  const s = stringProblem(value, what, true);
  if (s) return s;
  const text = value as string;
  const c = characterProblem(text, what, TextKind.NAME);
  if (c) return c;
  if (text.includes('${{')) return `${what} ${show(text)} contains "\${{", which GitHub would evaluate as an expression; remove it`;
  return undefined;
}

/**
 * An environment the publish job deploys to: a GitHub environment name that is also the image tag
 * the job pushes, so it must be a valid image tag too (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`).
 * @internal
 */
export function environmentProblem(env: unknown, what = 'environment'): string | undefined {
  const t = textProblem(env, what) ?? environmentNameProblem(env, what);
  if (t) return t;
  if (!IMAGE_TAG.test(env as string)) {
    return `${what} ${show(env)} is not accepted: the environment name is also the image tag, so use 1-128 letters, digits, "_", "." or "-", not starting with "." or "-" (e.g. "production")`;
  }
  return undefined;
}

/** An image name without registry (`owner/name`), lowercase, per the distribution reference grammar. @internal */
export function imageNameProblem(name: unknown, what = 'imageName'): string | undefined {
  const t = textProblem(name, what);
  if (t) return t;
  const n = name as string;
  const prefix = `${GHCR_REGISTRY}/`;
  if (n.startsWith(prefix)) return `${what} ${show(n)} must not include the registry; pass ${show(n.slice(prefix.length))}`;
  if (n !== n.toLowerCase() && IMAGE_PATH.test(n.toLowerCase())) return `${what} ${show(n)} has uppercase letters, which registries reject; pass ${show(n.toLowerCase())}`;
  if (!IMAGE_PATH.test(n)) return `${what} ${show(n)} is not an image name; use lowercase path components separated by "/", e.g. "acme/app" (letters, digits, and ".", "_", "__" or "-" between them)`;
  if (!n.includes('/')) return `${what} ${show(n)} must be "<owner>/<name>" (GHCR namespaces images by owner)`;
  if (n.length > 255) return `${what} ${show(n)} is longer than 255 characters`;
  return undefined;
}

/** A job id (also its name, the status check name): `[A-Za-z_][A-Za-z0-9_-]*`. @internal */
export function jobIdProblem(id: unknown, what: string): string | undefined {
  const t = textProblem(id, what);
  if (t) return t;
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/.test(id as string)) {
    return `${what} ${show(id)} is not a job id; start with a letter or "_" and use letters, digits, "_" and "-" (at most 100)`;
  }
  return undefined;
}

/** A workflow name, which is also its file name. @internal */
export function workflowNameProblem(name: unknown, what = 'workflowName'): string | undefined {
  const t = textProblem(name, what);
  if (t) return t;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(name as string) || /\.ya?ml$/i.test(name as string)) {
    return `${what} ${show(name)} is not accepted; use letters, digits, "_", "." and "-" without the .yml extension (it names .github/workflows/<name>.yml)`;
  }
  return undefined;
}

/** A path filter glob for `on.push.paths`. @internal */
export function pathFilterProblem(glob: unknown, what = 'publishPaths entry'): string | undefined {
  const t = textProblem(glob, what);
  if (t) return t;
  const g = glob as string;
  if (g.startsWith('/')) return `${what} ${show(g)} must be relative to the repository root (drop the leading "/")`;
  if (/^\s|\s$/.test(g)) return `${what} ${show(g)} must not start or end with whitespace`;
  return undefined;
}

/** A runner label. @internal */
export function runnerLabelProblem(label: unknown, what = 'runsOn label'): string | undefined {
  const t = textProblem(label, what);
  if (t) return t;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(label as string)) {
    return `${what} ${show(label)} is not a runner label; use letters, digits, "_", "." and "-", e.g. "ubuntu-24.04"`;
  }
  return undefined;
}

/** A node version spec for actions/setup-node. @internal */
export function nodeVersionProblem(version: unknown, what = 'nodeVersion'): string | undefined {
  const t = textProblem(version, what);
  if (t) return t;
  if (!/^[A-Za-z0-9][A-Za-z0-9.*/+x-]{0,39}$/.test(version as string)) {
    return `${what} ${show(version)} is not a Node.js version spec; use e.g. "22", "22.x" or "lts/*"`;
  }
  return undefined;
}

/** A one-line shell command written by the project author (not untrusted input). @internal */
export function commandProblem(command: unknown, what: string): string | undefined {
  const t = textProblem(command, what);
  if (t) return t;
  if ((command as string).trim().length === 0) return `${what} must not be blank`;
  return undefined;
}

/** A GitHub expression string literal: single quotes, with `'` doubled. @internal */
export function exprString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
