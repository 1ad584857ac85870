/**
 * Internal checks and quoting for the strings the Python presets put into shell-form RUN commands
 * and exec-form arguments. Names reaching a shell are either matched against a strict grammar
 * (packages, users, paths) or single-quoted (pip arguments).
 */
import * as posix from 'node:path/posix';
import { isCleanText, TextKind } from '../core/text-rules';

/** A word the shell reads literally without quotes. */
const PLAIN_SHELL_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes `value` for a POSIX shell: plain words stay as they are, anything else is single-quoted
 * (a single quote inside becomes `'\''`), so the shell never expands, splits or globs it.
 */
export function shellQuote(value: string): string {
  if (PLAIN_SHELL_WORD.test(value)) return value;
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * Why `value` is not a safe relative path inside the build context, or undefined when it is.
 * Accepts plain paths (letters, digits, `._-/@+`); rejects absolute paths, `..` escapes, globs and
 * anything a shell or the Dockerfile parser would interpret.
 */
export function contextPathProblem(value: unknown, what: string, fix: string): string | undefined {
  if (!isCleanText(value, TextKind.NAME) || value.length === 0) {
    return `${what} ${JSON.stringify(value)} is not a path; ${fix}`;
  }
  if (value.startsWith('/')) {
    return `${what} "${value}" is absolute; paths are relative to the build context root, ${fix}`;
  }
  const normal = posix.normalize(value);
  if (normal === '..' || normal.startsWith('../')) {
    return `${what} "${value}" leaves the build context (".." goes above the context root); ${fix}`;
  }
  if (!/^[A-Za-z0-9_.@+/-]+$/.test(value)) {
    return `${what} ${JSON.stringify(value)} contains characters other than letters, digits and "._-/@+" (no spaces, quotes, globs or "$"); ${fix}`;
  }
  return undefined;
}

/** Why `value` is not a plain absolute path in the image (e.g. `/app`), or undefined. */
export function imagePathProblem(value: unknown, what: string, example: string): string | undefined {
  if (!isCleanText(value, TextKind.NAME) || !/^\/[A-Za-z0-9_.@+/-]*$/.test(value) || value.split('/').includes('..')) {
    return `${what} ${JSON.stringify(value)} must be a plain absolute path (letters, digits, "._-/@+", no ".."), e.g. "${example}"`;
  }
  if (value !== '/' && value.endsWith('/')) {
    return `${what} "${value}" must not end with "/"; use "${value.replace(/\/+$/, '')}"`;
  }
  return undefined;
}

/** A Python dotted module path such as `mysite` or `apps.web`. */
export const PYTHON_MODULE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Why an exec-form command (`["executable", "arg", ...]`) looks wrong, or undefined:
 * not an array of strings, empty, or a whole shell command line passed as its first element.
 */
export function execFormProblem(value: unknown, what: string): string | undefined {
  if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
    return `${what} must be an exec-form list of strings such as ["gunicorn", "mysite.wsgi:application"], got ${JSON.stringify(value)}`;
  }
  if (value.length === 0) {
    return `${what} is empty; give the executable and its arguments, e.g. ["gunicorn", "mysite.wsgi:application"]`;
  }
  const first = value[0] as string;
  if (first.trim() !== first || first.length === 0 || /\s/.test(first)) {
    const words = first.trim().split(/\s+/).filter(Boolean);
    return `${what} ${JSON.stringify(value)} passes a whole shell command line as one string, but exec form runs no shell; `
      + `split it into words: ${JSON.stringify([...words, ...value.slice(1)])}`;
  }
  for (const v of value as string[]) {
    if (!isCleanText(v)) return `${what} argument ${JSON.stringify(v)} contains a control character (a newline would end the instruction); remove it`;
  }
  return undefined;
}
