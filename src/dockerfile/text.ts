/**
 * Internal helpers that turn user strings into Dockerfile text that cannot
 * start a new instruction: values are either quoted (every character that the
 * BuildKit lexer would interpret is escaped) or rejected with a reason. Which
 * characters are allowed at all is decided by src/core/text-rules.
 */
import { CONTROL_CLASS, INVISIBLE_CLASS, SURROGATE_CLASS, characterProblem, stringProblem, TextKind } from '../core/text-rules';

/**
 * Why `value` cannot appear in a Dockerfile as text of this kind, or undefined when it can
 * (free text on one line by default; names and paths reject invisible characters too).
 */
export function unsafeTextProblem(value: string, what: string, kind: TextKind = TextKind.LINE): string | undefined {
  return stringProblem(value, what) ?? characterProblem(value, what, kind);
}

/**
 * Double-quotes a value for ENV, LABEL and ARG: BuildKit's lexer honours `\\`, `\"` and
 * `\$` inside double quotes, so escaping exactly those three keeps the value literal.
 * When `expand` is true, `$` is left alone so `${VAR}` references are expanded.
 */
export function quote(value: string, expand = false): string {
  // one pass over the characters (three times faster than regular-expression replaces, bench/dockerfile.ts)
  let out = '"';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === BACKSLASH || c === DOUBLE_QUOTE || (c === DOLLAR && !expand)) {
      out += `${value.slice(start, i)}\\`;
      start = i;
    }
  }
  return `${out}${value.slice(start)}"`;
}
const BACKSLASH = 0x5c;
const DOUBLE_QUOTE = 0x22;
const DOLLAR = 0x24;

/**
 * JSON array form (exec form) for RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, COPY and VOLUME. `<<` is written
 * as `\u003c\u003c`: BuildKit never reads a heredoc in the JSON form, but parsers that split the line on
 * whitespace (dockerfile-ast, behind the VS Code Docker extension and dockerfile-utils) would open one at
 * an element such as `" <<EOF"`; JSON decoding restores the `<<`.
 */
export function jsonArray(values: string[]): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) {
    let json = JSON.stringify(values[i]);
    if (json.includes('<<')) json = json.replace(/<</g, '\\u003c\\u003c');
    // dockerfile-ast reads instruction flags for as long as each space-separated word contains "--" (so in
    // `RUN ["a--b --c"]` it would take `--c"]` for a flag): keep "--" out of the first word as `\u002d`
    if (i === 0 && json.includes('--')) json = json.replace(/^[^ ]*/, w => (w.includes('--') ? w.replace(/-/g, '\\u002d') : w));
    out += i === 0 ? json : `, ${json}`;
  }
  return `${out}]`;
}

/** Whether `word` opens a heredoc where BuildKit looks for one (RUN, COPY, ADD): `<<EOF`, `<<-EOF`, `2<<EOF`. */
export function opensHeredoc(word: string): boolean {
  return /^\d*<</.test(word);
}

/** Names of variables referenced as `$NAME` or `${NAME...}` in `value`. */
export function referencedVariables(value: string): string[] {
  const names: string[] = [];
  if (!value.includes('$')) return names;
  // no escapes: quote() doubles every backslash of an expanded value, so `\${A}` still expands A
  const re = /\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    const name = m[1] ?? m[2];
    if (name) {
      names.push(name);
    }
  }
  return names;
}

/** One well-formed expansion, matched at `lastIndex` (sticky). */
const EXPANSION = /\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-+?][^${}]*)?\}/y;

/**
 * In a value BuildKit expands (ENV/ARG with expandVariables), every `${` must be `${NAME}` or
 * `${NAME<op>word}` with op one of `-`, `+`, `?` (optionally after `:`), no nesting.
 */
export function expansionProblem(value: string, what: string): string | undefined {
  for (let i = value.indexOf('${'); i >= 0; i = value.indexOf('${', i + 2)) {
    EXPANSION.lastIndex = i;
    if (!EXPANSION.test(value)) {
      return `${what} ${JSON.stringify(value)} has "${value.slice(i, i + 12)}..." that BuildKit cannot expand; write \${NAME}, \${NAME:-default} or \${NAME:+alternative}, or leave expandVariables off for a literal value`;
    }
  }
  return undefined;
}

/**
 * The words BuildKit's SecretsUsedInArgOrEnv check looks for in ARG and ENV names
 * (matched as whole words of the lowercased name).
 */
const SECRET_WORDS = /(?:^|[^a-z])(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:[^a-z]|$)/i;
const SECRET_ALLOW = /(?:^|[^a-z])public(?:[^a-z]|$)/i;

/** Whether BuildKit would flag `name` as a secret passed through ARG or ENV. */
export function looksSecret(name: string): boolean {
  // case-insensitive patterns: the same words as in the lowercased name, without building it
  return SECRET_WORDS.test(name) && !SECRET_ALLOW.test(name);
}

/** A path every check of pathProblem accepts, in one scan: no control, invisible or surrogate character, backslash, quote or "$". */
const PLAIN_PATH = new RegExp(`^[^${CONTROL_CLASS}${INVISIBLE_CLASS}${SURROGATE_CLASS}\\\\"'$]+$`);

/**
 * A path (file, directory or glob) used in COPY, ADD, WORKDIR, VOLUME and mounts.
 * `$` and `\` are rejected unless `expand` is set (then only `$NAME`/`${NAME}` forms).
 */
export function pathProblem(value: string, what: string, expand = false): string | undefined {
  if (PLAIN_PATH.test(value)) {
    return undefined; // the common case, in one scan: non-empty, no control character, surrogate, backslash, quote or "$"
  }
  const unsafe = unsafeTextProblem(value, what, TextKind.NAME);
  if (unsafe) {
    return unsafe;
  }
  if (value.length === 0) {
    return `${what} is empty; give a path`;
  }
  if (value.includes('\\')) {
    return `${what} ${JSON.stringify(value)} contains a backslash (the Dockerfile escape character); use forward slashes`;
  }
  // BuildKit runs its shell-word lexer over paths even in the JSON form: a quote would open a quoted word
  const quoteChar = /["']/.exec(value);
  if (quoteChar) {
    return `${what} ${JSON.stringify(value)} contains a ${quoteChar[0] === '"' ? 'double' : 'single'} quote, which BuildKit reads as quoting even in the JSON form; rename the file, or match it with the glob "?" (e.g. ${JSON.stringify(value.replace(/["']/g, '?'))}) in a COPY source`;
  }
  if (value.includes('$')) {
    if (!expand) {
      return `${what} ${JSON.stringify(value)} contains "$", which BuildKit would expand; remove it, or pass expandVariables: true to reference a declared ARG/ENV as \${NAME}`;
    }
    const stripped = value.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '');
    if (stripped.includes('$')) {
      return `${what} ${JSON.stringify(value)} has a "$" that is not a plain \${NAME} reference`;
    }
  }
  return undefined;
}

/** Renders a path for the space-separated (non-JSON) argument lists of WORKDIR/VOLUME-like instructions. */
export function isPlainWord(value: string): boolean {
  return /^[^\s"'`]+$/.test(value);
}

/** Durations accepted by HEALTHCHECK: Go durations such as `30s`, `1m30s`, `500ms`. */
export const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;

/** Parses a Go duration into milliseconds. */
export function durationMs(value: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    total += Number(m[1]) * units[m[2]];
  }
  return total;
}

/** Linux signal names (without the SIG prefix) that STOPSIGNAL accepts as `SIG<NAME>`. */
const SIGNALS = new Set([
  'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'IOT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM',
  'TERM', 'STKFLT', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH',
  'IO', 'POLL', 'PWR', 'SYS',
]);

/** STOPSIGNAL takes `SIG<NAME>` (the documented form) or a number 1-64; real-time signals as Docker names them. */
export function signalProblem(signal: string): string | undefined {
  if (/^\d+$/.test(signal)) {
    const n = Number(signal);
    return n >= 1 && n <= 64 ? undefined : `signal number ${signal} is outside 1-64`;
  }
  if (/^SIGRTMIN(?:\+(?:[1-9]|1[0-5]))?$|^SIGRTMAX(?:-(?:[1-9]|1[0-4]))?$/.test(signal)) {
    return undefined;
  }
  if (signal.startsWith('SIG') && SIGNALS.has(signal.slice(3))) {
    return undefined;
  }
  if (SIGNALS.has(signal.toUpperCase().replace(/^SIG/, ''))) {
    return `signal ${JSON.stringify(signal)} must be written as SIG${signal.toUpperCase().replace(/^SIG/, '')} (the form Docker documents and linters accept)`;
  }
  return `signal ${JSON.stringify(signal)} is not a Linux signal; use a name such as SIGTERM or SIGQUIT, or a number 1-64`;
}
