/**
 * The projen side of the lock (src/core/image-locks.ts): whether a project locks its base images and
 * actions, and what `dockyard.lock.json` (beside .projenrc, at the root project's outdir) says.
 *
 * Locking is on when the lock file exists, or when the root project's `DockyardLock` has `required: true`.
 * In collect mode (the refresh command's synthesis, `DOCKYARD_LOCK_COLLECT`), locking is off: the synthesis
 * only reports what must be locked. The file is read once per synthesis.
 * @internal
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { IConstruct } from 'constructs';
import type { Project } from 'projen';
import { findProject, synthCached } from './validation-gate';
import type { ImageLockAnswer } from '../core/image-locks';
import { parseImageReference } from '../core/image-names';
import { DockyardValidationError } from '../core/problems';
import type { LockFile } from '../lock/lock-file';
import { collectFile, LOCK_FILE_NAME } from '../lock/lock-request';
import type { ActionPin } from '../workflow/action-pin';
import type { WorkflowUse } from '../workflow/project-pipelines';
import { lockedActionPin } from '../workflow/workflow-step';

/** The projen task that refreshes the lock. @internal */
export const LOCK_TASK = 'dockyard:lock';
/** The command that refreshes the lock, as errors name it. @internal */
export const LOCK_COMMAND = `npx projen ${LOCK_TASK}`;

/** What the lock component of a root project says (the parts the rest of the library reads). @internal */
export interface LockComponent {
  readonly _isDockyardLock: true;
  /** The lock file, relative to the root project's outdir. */
  readonly _lockFile: string;
  readonly _required: boolean;
  /** action → the tag to pin, as named in the options. */
  readonly _actionTags: { readonly [action: string]: string };
  /** The `uses:` of the refresh workflow as written (overrides included), when it writes one. */
  _refreshUses(): WorkflowUse[];
  /** The actions the refresh workflow pins from the table, and its file; undefined when it writes none. */
  _refreshActions(): { readonly workflow: string; readonly actions: readonly string[] } | undefined;
}

/** The lock component of `project`'s root project, if it has one. @internal */
export function lockComponentOf(project: Project): LockComponent | undefined {
  return project.root.components.find((c): c is LockComponent & typeof c => (c as Partial<LockComponent>)._isDockyardLock === true);
}

/** What a synthesis knows about the lock. @internal */
export interface LockState {
  /** Absolute path of the lock file. */
  readonly path: string;
  /** Its path as written in messages (relative to the root project). */
  readonly name: string;
  /** Whether FROM lines and actions take their pins from the lock. */
  readonly on: boolean;
  /** Why locking is on, for messages. */
  readonly because: string;
  /** Whether this synthesis only collects what to lock. */
  readonly collecting: boolean;
  /** The lock file, when it exists and is valid. */
  readonly lock?: LockFile;
  /** Why the lock file cannot be read, when it exists but is malformed. */
  readonly fileProblem?: string;
  /** Whether the lock file exists. */
  readonly exists: boolean;
  /** The root project's lock component. */
  readonly component?: LockComponent;
}

const STATE_KEY = {};
const PINS_KEY = {};

function readState(project: Project): LockState {
  const root = project.root;
  const component = lockComponentOf(root);
  const file = component?._lockFile ?? LOCK_FILE_NAME;
  const path = join(root.outdir, file);
  const name = relative(root.outdir, path) || file;
  const collecting = collectFile() !== undefined;
  const exists = existsSync(path);
  const because = exists ? `${name} exists` : 'DockyardLock has required: true';
  const on = !collecting && (exists || component?._required === true);
  if (!on || !exists) return { path, name, on, because, collecting, exists, component };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { readLockFile } = require('../lock/lock-file') as typeof import('../lock/lock-file');
    return { path, name, on, because, collecting, exists, component, lock: readLockFile(path) };
  } catch (error) {
    const problems = error instanceof DockyardValidationError ? error.problems : [String(error)];
    return { path, name, on, because, collecting, exists, component, fileProblem: `${problems.join('; ')} (or run "${LOCK_COMMAND}" to rewrite it)` };
  }
}

/** The lock state of the project `project` belongs to (read once per synthesis). @internal */
export function lockState(project: Project): LockState {
  return synthCached(project, STATE_KEY, () => readState(project));
}

/** The pins the lock holds, one per action (empty when locking is off); they carry the inputs the lock recorded. @internal */
export function lockActionPins(project: Project): ActionPin[] {
  return synthCached(project, PINS_KEY, () => {
    const state = lockState(project);
    if (!state.on || !state.lock) return [];
    const actions = state.lock.actions;
    return Object.keys(actions).map(a => lockedActionPin(a, actions[a].sha, actions[a].version, actions[a].inputs));
  });
}

/** The lock's pin of `action`, when locking is on and the lock has one. @internal */
export function lockPinOf(project: Project, action: string): ActionPin | undefined {
  return lockActionPins(project).find(p => p.action === action);
}

/** `pin`, or the lock's pin of the same action when locking is on and the lock has one. @internal */
export function lockedPin(project: Project, pin: ActionPin): ActionPin {
  return lockActionPins(project).find(p => p.action === pin?.action) ?? pin;
}

/**
 * The projen provider of image locks: the locked reference of `owner`'s `FROM`, a problem naming the fix,
 * or undefined when `owner` is not in a projen project or its project does not lock.
 * @internal
 */
export function lockImageInProjen(reference: string, resolved: string | undefined, owner: IConstruct): ImageLockAnswer | undefined {
  const project = findProject(owner);
  if (!project) return undefined;
  const state = lockState(project);
  if (!state.on) return undefined;
  if (state.fileProblem) return {}; // reported once, by the lock component
  if (resolved === undefined) {
    return { problem: `FROM "${reference}" uses a build argument BuildKit sets per build (\${TARGETARCH}...), so it names no single image to lock by digest (locking is on: ${state.because}); write the reference without it` };
  }
  const parsed = parseImageReference(resolved);
  if (typeof parsed === 'string' || parsed.digest !== undefined) return undefined; // invalid (reported by the stage), or pinned by you
  const fix = `run "${LOCK_COMMAND}" to resolve it (locking is on: ${state.because})`;
  const shown = resolved === reference ? `FROM "${reference}"` : `FROM "${reference}" (${resolved})`;
  const entry = state.lock?.images[resolved];
  if (!entry) return { problem: `${shown} has no digest in ${state.name}; ${fix}` };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseImageName } = require('../lock/image-name') as typeof import('../lock/image-name');
  let where: string;
  try {
    const name = parseImageName(resolved);
    where = `${name.registry}/${name.repository}`;
  } catch (error) {
    return { problem: `${shown} cannot be locked: ${error instanceof DockyardValidationError ? error.problems.join('; ') : String(error)}` };
  }
  if (`${entry.registry}/${entry.repository}` !== where) {
    return { problem: `${shown} is locked in ${state.name} as ${entry.registry}/${entry.repository}, but the reference names ${where} (a stale or edited entry); run "${LOCK_COMMAND}" to rewrite it` };
  }
  return { reference: `${resolved}@${entry.digest}` };
}
