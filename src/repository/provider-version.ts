/**
 * The GitHub provider version constraint: the settings emit `sha_pinning_required`, which
 * integrations/github added in 6.11.0, so every version the constraint admits must be 6.11.0 or later.
 * @internal
 */

/** The first provider version with every attribute the settings write. */
const MINIMUM: readonly number[] = [6, 11, 0];

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Why `constraint` (Terraform syntax: `~> 6.11`, `>= 6.11, < 7`, `6.12.1`) admits a provider older than
 * 6.11.0, or is not a constraint; undefined when every version it admits is 6.11.0 or later.
 * @internal
 */
export function providerVersionProblem(constraint: unknown): string | undefined {
  const fix = 'use "~> 6.11" (the default) or a constraint whose lowest version is 6.11.0 or later';
  if (typeof constraint !== 'string' || constraint.trim().length === 0) {
    return `providerVersionConstraint ${JSON.stringify(constraint)} admits any provider version, but the settings write sha_pinning_required, which needs integrations/github 6.11.0 or later: ${fix}`;
  }
  let lowest: number[] | undefined;
  for (const part of constraint.split(',')) {
    const m = /^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?\s*$/.exec(part);
    if (!m) return `providerVersionConstraint ${JSON.stringify(constraint)} is not a Terraform version constraint (e.g. "~> 6.11"): ${fix}`;
    const op = m[1] ?? '=';
    const version = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
    if (op === '=' || op === '>=' || op === '~>' || op === '>') {
      if (lowest === undefined || compare(version, lowest) > 0) lowest = version;
    }
  }
  if (lowest === undefined || compare(lowest, MINIMUM) < 0) {
    return `providerVersionConstraint ${JSON.stringify(constraint)} admits provider versions older than 6.11.0, but the settings write sha_pinning_required, which those versions reject: ${fix}`;
  }
  return undefined;
}
