import type { IConstruct } from 'constructs';
import { Component, Project } from 'projen';
import { collectProblems, DockyardValidationError } from '../core/problems';

const GATE_ID = 'DockyardValidationGate';
const END_ID = 'DockyardSynthesisEnd';

/**
 * A projen component, one per project, that validates every construct of the project tree in
 * `preSynthesize`: projen runs every `preSynthesize` before it deletes or writes any file, so an
 * invalid model writes nothing, and all problems are reported at once. It also scopes the synth
 * cache: values derived from the model are computed once per synthesis (see `synthCached`).
 * @internal
 */
class ValidationGate extends Component {
  /** Derived values, kept from the start of a synthesis to its end; undefined outside synthesis. */
  public cache?: WeakMap<object, unknown>;

  public preSynthesize(): void {
    this.cache = new WeakMap();
    // the project's last component: its synthesize() runs after every file has rendered, and ends the cache
    this.project.node.tryRemoveChild(END_ID);
    new SynthesisEnd(this.project, END_ID, this);
    const problems = collectProblems(this.project);
    if (problems.length > 0) {
      throw new DockyardValidationError(problems);
    }
  }

  public postSynthesize(): void {
    this.cache = undefined;
  }
}

/** Ends a synthesis: drops the derived values (projen skips postSynthesize under PROJEN_DISABLE_POST). */
class SynthesisEnd extends Component {
  constructor(project: Project, id: string, private readonly gate: ValidationGate) {
    super(project, id);
  }

  public synthesize(): void {
    this.gate.cache = undefined;
  }
}

/** The projen project that `scope` lives in, or undefined when it is not in a projen tree. @internal */
export function findProject(scope: IConstruct): Project | undefined {
  for (const s of [...scope.node.scopes].reverse()) {
    if (Project.isProject(s)) return s;
  }
  return undefined;
}

/** Makes sure the project validates the whole tree before synthesis. @internal */
export function ensureValidationGate(project: Project): void {
  if (!project.node.tryFindChild(GATE_ID)) new ValidationGate(project, GATE_ID);
}

/**
 * `compute()`, computed once per synthesis of `project` for `key` (validation, rendering and the
 * manifest all read the same value); computed afresh outside synthesis, when the model may still change.
 * @internal
 */
export function synthCached<T>(project: Project, key: object, compute: () => T): T {
  const gate = project.node.tryFindChild(GATE_ID);
  const cache = gate instanceof ValidationGate ? gate.cache : undefined;
  if (!cache) return compute();
  if (!cache.has(key)) cache.set(key, compute());
  return cache.get(key) as T;
}
