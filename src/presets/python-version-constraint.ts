/**
 * Python version constraints as projects write them — PEP 440 specifiers (`requires-python = "==3.12.*"`)
 * and Poetry's (`python = "~3.12"`) — read as ranges of versions, to tell whether a constraint names
 * exactly one minor version and whether a version of the official image satisfies it. A constraint
 * this reader does not understand (pre-releases, local versions, `!=` narrowing) is treated as no
 * information: nothing is taken from it and nothing is rejected because of it (`!=` clauses are skipped).
 * @internal
 */

/** How a constraint is written. @internal */
export enum ConstraintDialect {
  /** PEP 440 version specifiers, comma-separated (`requires-python`). */
  PEP440 = 'pep440',
  /** Poetry's constraints: PEP 440 plus `^`, `~`, bare versions, `*`, spaces as "and", `||` as "or". */
  POETRY = 'poetry',
}

type Version = readonly [number, number, number];
interface Bound { readonly v: Version; readonly inclusive: boolean }
/** Versions between the bounds (an absent bound is open). */
interface Interval { readonly lower?: Bound; readonly upper?: Bound }

const VERSION = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;
const WILDCARD = /^(\d+)(?:\.(\d+))?\.\*$/;
const CLAUSE = /^(===|==|!=|~=|<=|>=|<|>|\^|~)?(.*)$/;

function version(text: string): { v: Version; parts: number } | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).filter(p => p !== undefined).length;
  return { v: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], parts };
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

const at = (v: Version): Interval => ({ lower: { v, inclusive: true }, upper: { v, inclusive: true } });
const from = (v: Version, below: Version): Interval => ({ lower: { v, inclusive: true }, upper: { v: below, inclusive: false } });

/** The versions one clause allows, `null` for "any" (a clause that does not narrow), undefined when not understood. */
function clause(text: string, dialect: ConstraintDialect): Interval | null | undefined {
  if (text === '*' || text === '') return null;
  const [, op = '', rest] = CLAUSE.exec(text) ?? [];
  const wild = WILDCARD.exec(rest);
  if (wild && (op === '==' || (op === '' && dialect === ConstraintDialect.POETRY))) {
    const major = Number(wild[1]);
    return wild[2] === undefined ? from([major, 0, 0], [major + 1, 0, 0]) : from([major, Number(wild[2]), 0], [major, Number(wild[2]) + 1, 0]);
  }
  if (op === '!=') return null;
  const parsed = version(rest);
  if (!parsed) return undefined;
  const { v, parts } = parsed;
  switch (op) {
    case '':
      return dialect === ConstraintDialect.POETRY ? at(v) : undefined;
    case '==': case '===': return at(v);
    case '>=': return { lower: { v, inclusive: true } };
    case '>': return { lower: { v, inclusive: false } };
    case '<=': return { upper: { v, inclusive: true } };
    case '<': return { upper: { v, inclusive: false } };
    case '~=':
      // drop the last given component and bump the one before it: ~=3.12 is >=3.12,<4; ~=3.12.1 is >=3.12.1,<3.13
      if (parts < 2) return undefined;
      return from(v, parts === 2 ? [v[0] + 1, 0, 0] : [v[0], v[1] + 1, 0]);
    case '~':
      if (dialect !== ConstraintDialect.POETRY) return undefined;
      return from(v, parts === 1 ? [v[0] + 1, 0, 0] : [v[0], v[1] + 1, 0]);
    case '^':
      if (dialect !== ConstraintDialect.POETRY) return undefined;
      // the first non-zero component given is the one that may not change
      if (v[0] > 0 || parts === 1) return from(v, [v[0] + 1, 0, 0]);
      if (v[1] > 0 || parts === 2) return from(v, [0, v[1] + 1, 0]);
      return from(v, [0, 0, v[2] + 1]);
    default:
      return undefined;
  }
}

function intersect(a: Interval, b: Interval): Interval {
  const lower = !a.lower ? b.lower : !b.lower ? a.lower
    : compare(a.lower.v, b.lower.v) !== 0 ? (compare(a.lower.v, b.lower.v) > 0 ? a.lower : b.lower)
      : { v: a.lower.v, inclusive: a.lower.inclusive && b.lower.inclusive };
  const upper = !a.upper ? b.upper : !b.upper ? a.upper
    : compare(a.upper.v, b.upper.v) !== 0 ? (compare(a.upper.v, b.upper.v) < 0 ? a.upper : b.upper)
      : { v: a.upper.v, inclusive: a.upper.inclusive && b.upper.inclusive };
  return { lower, upper };
}

function empty(i: Interval): boolean {
  if (!i.lower || !i.upper) return false;
  const c = compare(i.lower.v, i.upper.v);
  return c > 0 || (c === 0 && !(i.lower.inclusive && i.upper.inclusive));
}

/**
 * A parsed constraint: the union of intervals it allows. Undefined when any clause is not understood.
 * @internal
 */
export function parseConstraint(text: string, dialect: ConstraintDialect): Interval[] | undefined {
  if (typeof text !== 'string') return undefined;
  const alternatives = dialect === ConstraintDialect.POETRY ? text.split('||') : [text];
  const out: Interval[] = [];
  for (const alternative of alternatives) {
    // "> = 3.12" and ">= 3.12" are ">=3.12"; Poetry also reads spaces between clauses as "and"
    const compact = alternative.trim().replace(/([<>=!~^])\s+(?=[<>=!~^\d*])/g, '$1');
    const clauses = compact.split(dialect === ConstraintDialect.POETRY ? /\s*,\s*|\s+/ : /\s*,\s*/).filter(c => c.length > 0);
    let range: Interval = {};
    for (const c of clauses.length ? clauses : ['*']) {
      const allowed = clause(c, dialect);
      if (allowed === undefined) return undefined;
      if (allowed !== null) range = intersect(range, allowed);
    }
    if (!empty(range)) out.push(range);
  }
  return out;
}

/** The highest minor version (major, minor) an interval reaches, or undefined when it is open above. */
function topMinor(i: Interval): readonly [number, number] | undefined {
  if (!i.upper) return undefined;
  const [major, minor, patch] = i.upper.v;
  if (i.upper.inclusive || patch > 0) return [major, minor];
  return minor > 0 ? [major, minor - 1] : undefined;
}

/**
 * The one version a constraint names: `3.12` when every version it allows is a 3.12.x release, `3.12.4`
 * when it allows exactly 3.12.4; undefined for ranges wider than one minor, open ranges, or text not understood.
 * @internal
 */
export function singleVersion(text: string, dialect: ConstraintDialect): string | undefined {
  const intervals = parseConstraint(text, dialect);
  if (!intervals || intervals.length === 0) return undefined;
  const names = new Set<string>();
  for (const i of intervals) {
    if (!i.lower) return undefined;
    const top = topMinor(i);
    if (!top || top[0] !== i.lower.v[0] || top[1] !== i.lower.v[1]) return undefined;
    const exact = i.upper && i.lower.inclusive && i.upper.inclusive && compare(i.lower.v, i.upper.v) === 0;
    names.add(exact ? i.lower.v.join('.') : `${top[0]}.${top[1]}`);
  }
  return names.size === 1 ? [...names][0] : undefined;
}

/**
 * Whether an image of Python `imageVersion` (`3.12`: the newest 3.12.x; `3.12.4`: exactly that) can satisfy
 * the constraint; undefined when the constraint is not understood.
 * @internal
 */
export function allowsVersion(text: string, dialect: ConstraintDialect, imageVersion: string): boolean | undefined {
  const intervals = parseConstraint(text, dialect);
  const parsed = version(imageVersion);
  if (!intervals || !parsed) return undefined;
  const series = parsed.parts >= 3 ? at(parsed.v) : from(parsed.v, [parsed.v[0], parsed.v[1] + 1, 0]);
  return intervals.some(i => !empty(intersect(i, series)));
}

/** The lowest minor version the constraint allows (for a suggestion), if it has a lower bound. @internal */
export function lowestMinor(text: string, dialect: ConstraintDialect): string | undefined {
  const intervals = parseConstraint(text, dialect);
  const lows = (intervals ?? []).map(i => i.lower?.v).filter((v): v is Version => v !== undefined).sort(compare);
  return lows.length ? `${lows[0][0]}.${lows[0][1]}` : undefined;
}
