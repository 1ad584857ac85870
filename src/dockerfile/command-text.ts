/**
 * Checks of the command text of RUN, CMD, ENTRYPOINT and HEALTHCHECK: exec-form arguments, shell-form
 * commands (one line, never read as a flag, the exec form or a continuation) and heredoc bodies.
 */
import type { ValidationContext } from './instruction';
import { unsafeTextProblem } from './text';
import { characterProblem, stringProblem, TextKind } from '../core/text-rules';

/** Exec-form arguments: JSON-encoded, so any well-formed text without control characters is safe. */
export function checkExec(ctx: ValidationContext, what: string, args: string[]) {
  if (!Array.isArray(args) || args.length === 0) {
    ctx.problem(`${what} needs at least one argument (exec form: ["executable", "arg", ...])`);
    return;
  }
  args.forEach((a, i) => {
    const p = unsafeTextProblem(a, `${what} argument ${i}`);
    if (p) ctx.problem(p);
  });
}

/**
 * The words of a shell-form command with backslashes removed, split as dockerfile-ast does (spaces) or
 * as BuildKit may (any Unicode space): how the most lenient parser could read them (dockerfile-ast
 * unescapes `\-` and `\<`).
 */
export function shellWords(command: string, separator: RegExp): string[] {
  return command.split(separator).map(w => w.replace(/\\/g, '')).filter(w => w.length > 0);
}

/** The words of `split(/ +/)` and of `split(/\s+/)`, as matches (global: reset before use). */
export const SPACE_SEPARATED = /[^ ]+/g;
const WHITESPACE_SEPARATED = /\S+/g;

/** `shellWords(command, separator)[0]` without splitting the whole command: `word` matches the words. */
export function firstShellWord(command: string, word: RegExp): string | undefined {
  word.lastIndex = 0;
  for (let m = word.exec(command); m !== null; m = word.exec(command)) {
    const w = m[0].includes('\\') ? m[0].replace(/\\/g, '') : m[0];
    if (w.length > 0) return w;
  }
  return undefined;
}

const PLAIN_START = /^[A-Za-z0-9_./]/;
const TRAILING = /[\s\\]$/;

/** A shell-form command stays on one line and cannot continue into the next instruction. */
export function checkShell(ctx: ValidationContext, what: string, command: string) {
  const p = unsafeTextProblem(command, what);
  if (p) {
    ctx.problem(`${p}; for a multi-line script use runScript() (a heredoc)`);
    return;
  }
  // the common case: starts with a program name and ends in neither a space nor a backslash, so none of the
  // checks below can apply
  if (PLAIN_START.test(command) && !TRAILING.test(command)) return;
  if (!/\S/.test(command)) ctx.problem(`${what} command is empty`);
  if (/\\\s*$/.test(command)) ctx.problem(`${what} command ${JSON.stringify(command)} ends with a backslash, which would continue into the next instruction; remove it`);
  if (/^\s*\\\s/.test(command)) ctx.problem(`${what} command ${JSON.stringify(command)} starts with an escaped space ("\\ "), which Dockerfile parsers read differently (dockerfile-ast drops it, BuildKit keeps it); remove the backslash`);
  if (firstShellWord(command, WHITESPACE_SEPARATED)?.startsWith('--')) ctx.problem(`${what} command ${JSON.stringify(command)} starts with "--", which BuildKit reads as a flag of the instruction; use the typed options (mounts, network) and start the command with the program`);
  if (/^\s*\[/.test(command)) ctx.problem(`${what} command ${JSON.stringify(command)} starts with "[" and would be read as exec form; use the exec-form method instead`);
}

export function checkHeredocBody(ctx: ValidationContext, what: string, body: string) {
  const p = stringProblem(body, what) ?? characterProblem(body, what, TextKind.BODY, 'only newlines and tabs are allowed');
  if (p) ctx.problem(p);
}

/**
 * Opens a quoted heredoc whose delimiter does not occur anywhere in `body` (not only as a whole line:
 * dockerfile-ast applies Dockerfile escapes inside bodies, so it would end `\$EOF` at `EOF`); returns the
 * opener and the body with its terminator.
 */
export function heredoc(body: string): [string, string] {
  let delimiter = 'EOF';
  for (let i = 1; body.includes(delimiter); i++) delimiter = `EOF_${i}`;
  const text = body.endsWith('\n') ? body : `${body}\n`;
  return [`<<'${delimiter}'`, `${text}${delimiter}`];
}
