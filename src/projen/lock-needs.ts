/**
 * What a project tree needs locked, read from its model (not from files, so it works before the first
 * successful synthesis): every registry `FROM` of its Dockerfiles (the tag, with global ARG defaults
 * resolved) and every action its generated workflows pin from the pin table (the publish workflows with
 * their extra steps, projen's own workflows, the lock refresh workflow), each with the tag to pin when one
 * is named. And the checks that hold once it is locked: an entry for each, at the named tag, and every
 * `with:` key an input the locked commit declares.
 * @internal
 */
import { github, Project } from 'projen';
import { LOCK_COMMAND, LockComponent, lockActionPins, LockState } from './lock-state';
import { parseImageReference } from '../core/image-names';
import { resolveFromReference } from '../dockerfile/from-reference';
import { DockerfileStage } from '../dockerfile/stage';
import type { ActionPin } from '../workflow/action-pin';
import { SHIPPED_ACTIONS } from '../workflow/action-pins';
import { publishWorkflowsOf } from '../workflow/project-pipelines';
import { projenActionUses, projenWorkflows, resolveData, splitUses } from '../workflow/projen-workflows';
import { jobsOf, WorkflowYamlFile } from '../workflow/workflow-file';
import { declaredInputs } from '../workflow/workflow-step';

/** An action the generated workflows pin, and where. @internal */
export interface NeededAction {
  readonly action: string;
  /** The tag to pin (named in `actionTags`, or the version of a pin you passed), else the newest release. */
  readonly tag?: string;
  /** Where the tag was named. */
  readonly tagSource?: string;
  /** The workflow files that use it. */
  readonly workflows: string[];
}

/** The project and every subproject below it. @internal */
export function projectTree(root: Project): Project[] {
  return [root, ...root.subprojects.flatMap(projectTree)];
}

/** Every registry `FROM` of the tree's Dockerfiles that a lock pins: tags (global ARG defaults resolved), sorted. @internal */
export function neededImages(root: Project): string[] {
  const images = new Set<string>();
  for (const c of root.node.findAll()) {
    if (!DockerfileStage.isDockerfileStage(c) || c.from.stage || c.from.reference === undefined || c.from.reference === 'scratch') continue;
    const from = resolveFromReference(c.from.reference, c.dockerfile._globalArgs);
    if (from.problem || from.usesBuildVariable) continue;
    const parsed = parseImageReference(from.resolved);
    if (typeof parsed === 'string' || parsed.digest !== undefined) continue;
    images.add(from.resolved);
  }
  return [...images].sort();
}

function isShipped(pin: ActionPin): boolean {
  const row = SHIPPED_ACTIONS[pin.action];
  return row !== undefined && row.sha === pin.sha && row.version === pin.version;
}

/** Every action the tree's generated workflows pin from the table, with its named tag; and the conflicts found. @internal */
export function neededActions(root: Project, lock: LockComponent | undefined): { actions: Map<string, NeededAction>; problems: string[] } {
  const problems: string[] = [];
  const used = new Map<string, Set<string>>();
  const named = new Map<string, { tag: string; source: string }>();
  const use = (action: string, workflow: string) => {
    if (!used.has(action)) used.set(action, new Set());
    used.get(action)!.add(workflow);
  };
  const name = (pin: ActionPin, source: string) => {
    if (isShipped(pin) || typeof pin?.action !== 'string') return;
    const previous = named.get(pin.action);
    if (previous && previous.tag !== pin.version) {
      problems.push(`${pin.action} is pinned at ${previous.tag} (${previous.source}) and at ${pin.version} (${source}); the lock holds one commit per action: pin one version, or name it in DockyardLock's actionTags`);
    } else if (!previous) {
      named.set(pin.action, { tag: pin.version, source });
    }
  };
  for (const project of projectTree(root)) {
    const publish = publishWorkflowsOf(project);
    for (const w of publish) {
      w._actionPins.forEach((p, i) => name(p, `actionPins[${i}] of ${w.workflowPath}`));
      w._stepPins.forEach(({ pin, what }) => name(pin, `${what} of ${w.workflowPath}`));
      for (const pin of w.pipeline._usedPins()) use(pin.action, w.workflowPath);
    }
    if (github.GitHub.of(project) && publish.every(w => w._pinsProjenWorkflows)) {
      // every step-level `uses:` of projen's workflows, the ones projen pins by SHA itself included (the lock moves them too)
      for (const u of projenActionUses(project)) if (u.overridable) use(u.action, u.workflow);
    }
  }
  const refresh = lock?._refreshActions();
  for (const action of refresh?.actions ?? []) use(action, refresh!.workflow);
  for (const [action, tag] of Object.entries(lock?._actionTags ?? {})) {
    if (!used.has(action)) {
      problems.push(`actionTags names ${action}, which no generated workflow uses (they use ${[...used.keys()].sort().join(', ') || 'no action'}); remove it or correct the name`);
      continue;
    }
    named.set(action, { tag, source: 'actionTags' });
  }
  const actions = new Map<string, NeededAction>();
  for (const action of [...used.keys()].sort()) {
    const n = named.get(action);
    actions.set(action, { action, tag: n?.tag, tagSource: n?.source, workflows: [...used.get(action)!].sort() });
  }
  return { actions, problems };
}

/** Every needed action the lock does not hold, or holds at another tag than the one named. @internal */
export function actionEntryProblems(state: LockState, actions: ReadonlyMap<string, NeededAction>): string[] {
  if (!state.on || state.fileProblem) return [];
  const problems: string[] = [];
  for (const a of actions.values()) {
    const entry = state.lock?.actions[a.action];
    if (!entry) {
      problems.push(`${a.workflows.join(', ')} use${a.workflows.length === 1 ? 's' : ''} ${a.action}, which ${state.name} does not lock; run "${LOCK_COMMAND}" to pin it (locking is on: ${state.because})`);
    } else if (a.tag !== undefined && entry.version !== a.tag) {
      problems.push(`${a.action} is locked at ${entry.version} in ${state.name}, but ${a.tagSource} asks for ${a.tag} (a stale entry); run "${LOCK_COMMAND}" to pin ${a.tag}`);
    }
  }
  return problems;
}

type Obj = Record<string, unknown>;

/** `with:` keys a step passes to an action the locked commit does not declare (`skip`: `action\0key` checked elsewhere). */
function stepInputProblems(
  workflow: string, jobs: Array<[string, Obj]>, pinOf: (uses: string) => ActionPin | undefined, lockName: string,
  skip: ReadonlySet<string> = new Set(),
): string[] {
  const problems: string[] = [];
  for (const [id, job] of jobs) {
    const steps = Array.isArray(job.steps) ? job.steps as unknown[] : [];
    steps.forEach((s, i) => {
      const step = (typeof s === 'object' && s !== null ? s : {}) as Obj;
      const pin = typeof step.uses === 'string' ? pinOf(step.uses) : undefined;
      const inputs = pin ? declaredInputs(pin) : undefined;
      if (!pin || !inputs) return;
      const withs = typeof step.with === 'object' && step.with !== null ? Object.keys(step.with) : [];
      for (const key of withs) {
        if (!inputs.includes(key) && !skip.has(`${pin.action}\0${key}`)) {
          problems.push(`${workflow} jobs.${id}.steps[${i}] passes "${key}" to ${pin.action}, which ${pin.version} (${pin.sha}, as ${lockName} locks it) does not declare (it declares ${inputs.join(', ') || 'no input'}); name a tag that has it in DockyardLock's actionTags, or drop the input`);
        }
      }
    });
  }
  return problems;
}

/** Every `with:` key of every generated workflow of the tree that the locked commit of its action does not declare. @internal */
export function lockedInputProblems(root: Project, state: LockState, refresh: WorkflowYamlFile | undefined): string[] {
  if (!state.on || !state.lock) return [];
  const problems: string[] = [];
  for (const project of projectTree(root)) {
    const pins = lockActionPins(project);
    const byUses = new Map(pins.map(p => [p.uses, p] as const));
    const byAction = new Map(pins.map(p => [p.action, p] as const));
    const publish = publishWorkflowsOf(project);
    for (const w of publish) {
      // the keys of your own steps are checked, against the same inputs, by the publish workflow (naming the option)
      const own = new Set(w._stepPins.flatMap(({ pin, withKeys }) => withKeys.map(k => `${pin.action}\0${k}`)));
      problems.push(...stepInputProblems(w.workflowPath, jobsOf((w.file as WorkflowYamlFile).finalObject()), u => byUses.get(u), state.name, own));
    }
    if (github.GitHub.of(project) && publish.every(w => w._pinsProjenWorkflows)) {
      for (const w of projenWorkflows(project)) {
        const jobs = Object.entries(w.jobs).map(([id, job]) => [id, { steps: resolveData((job as { steps?: unknown }).steps) }] as [string, Obj]);
        // every step-level `uses:` of projen's workflows takes the lock's pin of its action
        const pinOf = (uses: string) => {
          const parts = splitUses(uses);
          return parts ? byAction.get(parts.action) : undefined;
        };
        problems.push(...stepInputProblems(w.file!.path, jobs, pinOf, state.name));
      }
    }
    if (project === root && refresh) problems.push(...stepInputProblems(refresh.path, jobsOf(refresh.finalObject()), u => byUses.get(u), state.name));
  }
  return problems;
}
