/**
 * How a Dockerfile's `FROM` gets locked to a digest without the model knowing who holds the lock: a
 * provider (the projen adapter in src/projen reads `dockyard.lock.json`) answers for the stages of the
 * projects it locks, and the model asks every registered provider. Outside any provider a `FROM`
 * renders as written. Same pattern as `file-hosts.ts` and `project-facts.ts`.
 * @internal
 */
import type { IConstruct } from 'constructs';

/** A provider's answer for one `FROM`: the reference to render, or the problem that stops it. @internal */
export interface ImageLockAnswer {
  /** `name:tag@sha256:<64 hex>`: what the `FROM` renders as. */
  readonly reference?: string;
  /** Why the `FROM` cannot be rendered locked (no entry, a stale entry, ...), naming the fix. */
  readonly problem?: string;
}

/** Something that locks the base images of the projects it knows. @internal */
export interface ImageLockProvider {
  /**
   * The answer for `owner`'s `FROM reference`, whose global ARG defaults substituted give `resolvedReference`
   * (undefined when it uses a build variable that has no default, such as `${TARGETARCH}`); undefined when
   * `owner` is not in a project this provider locks.
   */
  lockImage(reference: string, resolvedReference: string | undefined, owner: IConstruct): ImageLockAnswer | undefined;
}

const providers: ImageLockProvider[] = [];

/** Registers a provider (once). @internal */
export function registerImageLockProvider(provider: ImageLockProvider): void {
  if (!providers.includes(provider)) providers.push(provider);
}

function answer(reference: string, resolvedReference: string | undefined, owner: IConstruct): ImageLockAnswer | undefined {
  for (const p of providers) {
    const a = p.lockImage(reference, resolvedReference, owner);
    if (a) return a;
  }
  return undefined;
}

/** The locked reference (`name:tag@sha256:…`) for `owner`'s `FROM`, or undefined when it is not locked. @internal */
export function lockedReference(reference: string, resolvedReference: string | undefined, owner: IConstruct): string | undefined {
  return answer(reference, resolvedReference, owner)?.reference;
}

/** Why `owner`'s `FROM` cannot be locked, or undefined when it is locked or locking is off. @internal */
export function imageLockProblem(reference: string, resolvedReference: string | undefined, owner: IConstruct): string | undefined {
  return answer(reference, resolvedReference, owner)?.problem;
}
