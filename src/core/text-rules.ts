/**
 * The one definition of which characters may appear in text the library writes into a
 * Dockerfile, a workflow or a Terraform file. Every module that checks a user string calls
 * `characterProblem` (or tests `CONTROL` / `INVISIBLE` for a fast path built from them).
 *
 * - Control characters (C0, DEL, C1, U+2028, U+2029) are never allowed on one line: a newline or a
 *   carriage return would start a new instruction, key or command; the rest are never meant.
 * - Invisible characters — bidi controls (the "Trojan Source" characters) and zero-width characters,
 *   the byte-order mark included — are allowed in free text (an ENV value, a label, a heredoc body:
 *   written escaped or literally, they change no structure) but not in names and paths, where they
 *   make two different names look the same.
 * - A lone UTF-16 surrogate is never well-formed text.
 * @internal
 */

/** The control characters, as a regular-expression character class body. @internal */
export const CONTROL_CLASS = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029';
/**
 * Bidi controls (ALM, LRM, RLM, LRE..RLO, LRI..PDI) and zero-width characters (ZWSP, ZWNJ, ZWJ,
 * word joiner and the invisible operators, BOM), as a character class body.
 * @internal
 */
export const INVISIBLE_CLASS = '\\u061c\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';
/** UTF-16 surrogates, as a character class body. @internal */
export const SURROGATE_CLASS = '\\ud800-\\udfff';

/** Any control character. @internal */
export const CONTROL = new RegExp(`[${CONTROL_CLASS}]`);
/** Any invisible character. @internal */
export const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`);
const SUSPECT_LINE = new RegExp(`[${CONTROL_CLASS}${SURROGATE_CLASS}]`);
const SUSPECT_NAME = new RegExp(`[${CONTROL_CLASS}${INVISIBLE_CLASS}${SURROGATE_CLASS}]`);
const CONTROL_GLOBAL = new RegExp(`[${CONTROL_CLASS}]`, 'g');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What a string is, which decides the characters it may hold. @internal */
export enum TextKind {
  /** Free text on one line (a value, a command, a description line): no control character. */
  LINE = 'line',
  /** A multi-line body (a heredoc): no control character but newline and tab. */
  BODY = 'body',
  /** A name, path, reference or identifier: no control and no invisible character. */
  NAME = 'name',
}

/** Whether `value` has no lone UTF-16 surrogate (String.prototype.isWellFormed, which Node 20's TypeScript lib lacks). @internal */
export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

function codePoint(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
}

/** The first character of `value` that `kind` forbids, with what it is; undefined when none. */
function firstForbidden(value: string, kind: TextKind): { char: string; what: string } | undefined {
  if (kind === TextKind.BODY) {
    CONTROL_GLOBAL.lastIndex = 0;
    for (let m = CONTROL_GLOBAL.exec(value); m; m = CONTROL_GLOBAL.exec(value)) {
      if (m[0] !== '\n' && m[0] !== '\t') return { char: m[0], what: 'the control character' };
    }
    return undefined;
  }
  const control = CONTROL.exec(value);
  if (control) return { char: control[0], what: 'the control character' };
  if (kind === TextKind.NAME) {
    const invisible = INVISIBLE.exec(value);
    if (invisible) return { char: invisible[0], what: 'the invisible (bidi or zero-width) character' };
  }
  return undefined;
}

/**
 * Why `value` cannot be written as text of this kind, or undefined when it can. The message names
 * the value, the character and the fix (`fix`, or "remove it").
 * @internal
 */
export function characterProblem(value: string, what: string, kind: TextKind = TextKind.LINE, fix = 'remove it'): string | undefined {
  if (kind !== TextKind.BODY && !(kind === TextKind.NAME ? SUSPECT_NAME : SUSPECT_LINE).test(value)) {
    return undefined; // the common case, in one scan
  }
  const shown = kind === TextKind.BODY ? '' : ` ${JSON.stringify(value)}`;
  if (!isWellFormed(value)) return `${what}${shown} contains a lone UTF-16 surrogate; pass well-formed text`;
  const bad = firstForbidden(value, kind);
  return bad ? `${what}${shown} contains ${bad.what} ${codePoint(bad.char)}; ${fix}` : undefined;
}

/** Whether `value` is a string that `kind` accepts. @internal */
export function isCleanText(value: unknown, kind: TextKind = TextKind.LINE): value is string {
  return typeof value === 'string' && characterProblem(value, '', kind) === undefined;
}

/**
 * Why `value` is not a string (or, with `nonEmpty`, is empty), or undefined.
 * @internal
 */
export function stringProblem(value: unknown, what: string, nonEmpty = false): string | undefined {
  if (typeof value !== 'string') return `${what} must be a string, got ${value === null ? 'null' : typeof value}`;
  if (nonEmpty && value.length === 0) return `${what} must not be empty`;
  return undefined;
}
