/**
 * Internal helpers that turn user strings into Dockerfile text that cannot
 * start a new instruction: values are either quoted (every character that the
 * BuildKit lexer would interpret is escaped) or rejected with a reason.
 */

// C0 controls, DEL and C1 controls: a newline or carriage return would start a new instruction,
// the others are invisible and never meant. Tab is rejected too: BuildKit treats it as a separator.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** CONTROL plus every UTF-16 surrogate: text without any of these is well-formed and safe. */
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/;

/** Why `value` cannot appear in a Dockerfile at all, or undefined when it can. */
export function unsafeTextProblem(value: string, what: string): string | undefined {
  if (typeof value !== 'string') {
    return `${what} must be a string, got ${typeof value}`;
  }
  if (!SUSPECT.test(value)) {
    return undefined; // the common case, in one scan: no control character and no surrogate at all
  }
  if (!isWellFormed(value)) {
    return `${what} ${JSON.stringify(value)} contains a lone UTF-16 surrogate; pass well-formed text`;
  }
  const m = CONTROL.exec(value);
  if (m) {
    return `${what} ${JSON.stringify(value)} contains the control character U+${m[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} (a newline would start a new instruction); remove it`;
  }
  return undefined;
}

/**
 * Double-quotes a value for ENV, LABEL and ARG: BuildKit's lexer honours `\\`, `\"` and
 * `\$` inside double quotes, so escaping exactly those three keeps the value literal.
 * When `expand` is true, `$` is left alone so `${VAR}` references are expanded.
 */
export function quote(value: string, expand = false): string {
  if (!QUOTED_SPECIAL.test(value)) return `"${value}"`;
  let out = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  if (!expand) {
    out = out.replace(/\$/g, '\\$');
  }
  return `"${out}"`;
}
const QUOTED_SPECIAL = /[\\"$]/;

/**
 * JSON array form (exec form) for RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, COPY and VOLUME. `<<` is written
 * as `\u003c\u003c`: BuildKit never reads a heredoc in the JSON form, but parsers that split the line on
 * whitespace (dockerfile-ast, behind the VS Code Docker extension and dockerfile-utils) would open one at
 * an element such as `" <<EOF"`; JSON decoding restores the `<<`.
 */
export function jsonArray(values: string[]): string {
  const parts = values.map(v => {
    const json = JSON.stringify(v);
    return json.includes('<<') ? json.replace(/<</g, '\\u003c\\u003c') : json;
  });
  // dockerfile-ast reads instruction flags for as long as each space-separated word contains "--" (so in
  // `RUN ["a--b --c"]` it would take `--c"]` for a flag): keep "--" out of the first word as `\u002d`
  if (parts.length > 0 && parts[0].includes('--')) parts[0] = parts[0].replace(/^[^ ]*/, w => (w.includes('--') ? w.replace(/-/g, '\\u002d') : w));
  return `[${parts.join(', ')}]`;
}

/** Whether `word` opens a heredoc where BuildKit looks for one (RUN, COPY, ADD): `<<EOF`, `<<-EOF`, `2<<EOF`. */
export function opensHeredoc(word: string): boolean {
  return /^\d*<</.test(word);
}

/** Names of variables referenced as `$NAME` or `${NAME...}` in `value`. */
export function referencedVariables(value: string): string[] {
  const names: string[] = [];
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

/**
 * In a value BuildKit expands (ENV/ARG with expandVariables), every `${` must be `${NAME}` or
 * `${NAME<op>word}` with op one of `-`, `+`, `?` (optionally after `:`), no nesting.
 */
export function expansionProblem(value: string, what: string): string | undefined {
  for (let i = value.indexOf('${'); i >= 0; i = value.indexOf('${', i + 2)) {
    const m = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-+?][^${}]*)?\}/.exec(value.slice(i));
    if (!m) {
      return `${what} ${JSON.stringify(value)} has "${value.slice(i, i + 12)}..." that BuildKit cannot expand; write \${NAME}, \${NAME:-default} or \${NAME:+alternative}, or leave expandVariables off for a literal value`;
    }
  }
  return undefined;
}

/** A variable or argument name: letters, digits and underscores, not starting with a digit. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The words BuildKit's SecretsUsedInArgOrEnv check looks for in ARG and ENV names
 * (matched as whole words of the lowercased name).
 */
const SECRET_WORDS = /(?:^|[^a-z])(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:[^a-z]|$)/;
const SECRET_ALLOW = /(?:^|[^a-z])public(?:[^a-z]|$)/;

/** Whether BuildKit would flag `name` as a secret passed through ARG or ENV. */
export function looksSecret(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_WORDS.test(lower) && !SECRET_ALLOW.test(lower);
}

// eslint-disable-next-line no-control-regex
const PLAIN_PATH = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\\"'$]+$/;

/**
 * A path (file, directory or glob) used in COPY, ADD, WORKDIR, VOLUME and mounts.
 * `$` and `\` are rejected unless `expand` is set (then only `$NAME`/`${NAME}` forms).
 */
export function pathProblem(value: string, what: string, expand = false): string | undefined {
  if (PLAIN_PATH.test(value)) {
    return undefined; // the common case, in one scan: non-empty, no control character, surrogate, backslash, quote or "$"
  }
  const unsafe = unsafeTextProblem(value, what);
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

/** Whether `value` has no lone UTF-16 surrogate (String.prototype.isWellFormed, which Node 20's TypeScript lib lacks). */
export function isWellFormed(value: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
}
