import { ActionPin } from './action-pin';
import { SHIPPED_ACTIONS } from './action-pins';
import type { Step } from './model';
import { textProblem } from './rules';
import { VARIABLE_NAME } from '../core/docker-names';
import { characterProblem, stringProblem, TextKind } from '../core/text-rules';

/**
 * A step of your own in the publish workflow's jobs (`preBuildSteps`, `postBuildSteps`): either an action,
 * passed as an `ActionPin` so it is pinned to a commit by construction, or a bash script.
 */
export interface WorkflowStep {
  /** The step's name, shown in the run log. */
  readonly name: string;
  /**
   * The step id, for `steps.<id>.outputs` in later steps.
   * @default - none
   */
  readonly id?: string;
  /**
   * A condition (a GitHub expression without `${{ }}`, e.g. `github.event_name == 'push'`).
   * @default - always runs
   */
  readonly condition?: string;
  /**
   * The action to run (set this or `run`).
   * @default - a script step (`run`)
   */
  readonly uses?: ActionPin;
  /**
   * The action's inputs; each key must be an input its action.yml declares (when the pin table knows them).
   * @default {}
   */
  readonly with?: { [input: string]: string };
  /**
   * A bash script (set this or `uses`). Pass untrusted values through `env`, never as `${{ }}` in the script.
   * @default - an action step (`uses`)
   */
  readonly run?: string;
  /**
   * Environment variables of the step; values may use `${{ secrets.NAME }}` or other expressions.
   * @default {}
   */
  readonly env?: { [name: string]: string };
  /**
   * The working directory of a script step, relative to the repository root.
   * @default - the repository root
   */
  readonly workingDirectory?: string;
}

/** The inputs of pins read from a lock file (the lock records each action's inputs at its commit). */
const lockedInputs = new WeakMap<ActionPin, readonly string[]>();

/** A pin read from the lock file, which knows the inputs its action declares at that commit. @internal */
export function lockedActionPin(action: string, sha: string, version: string, inputs: readonly string[]): ActionPin {
  const pin = ActionPin.of(action, sha, version);
  lockedInputs.set(pin, [...inputs]);
  return pin;
}

/** The inputs `pin`'s action declares: the lock's record for a locked pin, else the shipped table's (undefined when unknown). @internal */
export function declaredInputs(pin: ActionPin): readonly string[] | undefined {
  return lockedInputs.get(pin) ?? SHIPPED_ACTIONS[pin.action]?.inputs;
}

/** Every problem of one step, each naming `what` (e.g. `preBuildSteps[0]`), the rule and the fix. @internal */
export function stepProblems(step: WorkflowStep, what: string): string[] {
  const out: (string | undefined)[] = [];
  out.push(textProblem(step?.name, `${what}.name`));
  if (step?.id !== undefined && !/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/.test(step.id)) {
    out.push(`${what}.id ${JSON.stringify(step.id)} is not a step id; use letters, digits, "_" and "-", starting with a letter or "_"`);
  }
  if (step?.condition !== undefined) out.push(textProblem(step.condition, `${what}.condition`));
  const hasUses = step?.uses !== undefined;
  const hasRun = step?.run !== undefined;
  if (hasUses === hasRun) out.push(`${what} must have exactly one of uses (an ActionPin) and run (a script)`);
  if (hasUses) {
    out.push(...step.uses!._problems());
    const declared = declaredInputs(step.uses!);
    for (const key of Object.keys(step.with ?? {})) {
      if (declared && !declared.includes(key)) out.push(`${what}.with.${key} is not an input of ${step.uses!.action} (it declares ${declared.join(', ')}); fix the input name`);
      out.push(textProblem(step.with![key], `${what}.with.${key}`));
    }
  } else if (step?.with !== undefined) {
    out.push(`${what}.with is set on a script step; inputs belong to an action step (uses)`);
  }
  if (hasRun) {
    out.push(stringProblem(step.run, `${what}.run`, true) ?? characterProblem(step.run!, `${what}.run`, TextKind.BODY));
    if (typeof step.run === 'string' && step.run.includes('${{')) {
      out.push(`${what}.run contains "\${{", which GitHub would expand into the script (script injection); pass the value through env and read "$NAME" in the script`);
    }
  }
  for (const [name, value] of Object.entries(step?.env ?? {})) {
    if (!VARIABLE_NAME.test(name)) out.push(`${what}.env name ${JSON.stringify(name)} is not a variable name`);
    out.push(stringProblem(value, `${what}.env.${name}`, false) ?? characterProblem(value, `${what}.env.${name}`, TextKind.NAME));
  }
  if (step?.workingDirectory !== undefined) out.push(textProblem(step.workingDirectory, `${what}.workingDirectory`));
  return out.filter((x): x is string => x !== undefined);
}

/** The step in the workflow model. @internal */
export function toModelStep(step: WorkflowStep): Step {
  return {
    name: step.name,
    id: step.id,
    if: step.condition,
    uses: step.uses?.uses,
    with: step.with,
    shell: step.run !== undefined ? 'bash' : undefined,
    workingDirectory: step.workingDirectory,
    env: step.env,
    run: step.run === undefined ? undefined : step.run.endsWith('\n') ? step.run : `${step.run}\n`,
  };
}
