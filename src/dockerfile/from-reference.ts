/**
 * What a stage's `FROM` reference means: the reference with every global ARG replaced by its default (what
 * BuildKit pulls when no `--build-arg` is given), and, when the project locks its base images, the locked
 * reference the `FROM` renders as (`name:tag@sha256:…`, see src/core/image-locks.ts).
 * @internal
 */
import type { IConstruct } from 'constructs';
import type { ArgInstruction } from './instructions';
import { referencedVariables } from './text';
import { imageLockProblem, lockedReference } from '../core/image-locks';

/** Build arguments BuildKit defines in the global scope. @internal */
export const PREDEFINED_ARGS = new Set([
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
]);

/** A `FROM` reference with its global ARGs resolved. @internal */
export interface ResolvedFrom {
  /** The reference with every global ARG default substituted (predefined build arguments as empty strings). */
  readonly resolved: string;
  /** Whether the reference uses a predefined build argument (`${TARGETARCH}`...), which has no default to resolve. */
  readonly usesBuildVariable: boolean;
  /** Why the reference cannot be resolved (an ARG that is not global, or has no default), naming the fix. */
  readonly problem?: string;
}

/** Resolves `reference` against the Dockerfile's global ARGs. @internal */
export function resolveFromReference(reference: string, globals: ReadonlyMap<string, ArgInstruction>): ResolvedFrom {
  let resolved = reference;
  let usesBuildVariable = false;
  for (const name of referencedVariables(reference)) {
    const arg = globals.get(name);
    if (!arg && !PREDEFINED_ARGS.has(name)) {
      return { resolved, usesBuildVariable, problem: `FROM "${reference}" uses \${${name}}, which is not a global ARG (BuildKit UndefinedArgInFrom); declare it with dockerfile.addArg('${name}', ...) before the first stage` };
    }
    if (arg && arg.defaultValue === undefined) {
      return { resolved, usesBuildVariable, problem: `FROM "${reference}" uses \${${name}}, which has no default (BuildKit InvalidDefaultArgInFrom); give the ARG a default` };
    }
    if (!arg) usesBuildVariable = true;
    resolved = resolved.split(`\${${name}}`).join(arg?.defaultValue ?? '').split(`$${name}`).join(arg?.defaultValue ?? '');
  }
  return { resolved, usesBuildVariable };
}

/** The lock's answer for a `FROM` of `owner`: the problem, if any (validation). @internal */
export function fromLockProblem(reference: string, from: ResolvedFrom, owner: IConstruct): string | undefined {
  return imageLockProblem(reference, from.usesBuildVariable ? undefined : from.resolved, owner);
}

/**
 * What a registry `FROM` renders as: the locked reference when the project locks it, which carries no
 * `${…}` (the digest wins over any build argument), else the reference as written.
 * @internal
 */
export function renderedFromReference(reference: string, globals: ReadonlyMap<string, ArgInstruction>, owner: IConstruct): string {
  if (reference === 'scratch') return reference;
  const from = resolveFromReference(reference, globals);
  if (from.problem) return reference;
  return lockedReference(reference, from.usesBuildVariable ? undefined : from.resolved, owner) ?? reference;
}
