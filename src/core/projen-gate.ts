import type { IConstruct } from 'constructs';
import { Component, Project } from 'projen';
import { DockyardValidationError, collectProblems } from './problems';

const GATE_ID = 'DockyardValidationGate';

/**
 * A projen component, one per project, that validates every construct of the
 * project tree in `preSynthesize`: projen runs every `preSynthesize` before it
 * deletes or writes any file, so an invalid model writes nothing, and all
 * problems are reported at once.
 * @internal
 */
class ValidationGate extends Component {
  public preSynthesize(): void {
    const problems = collectProblems(this.project);
    if (problems.length > 0) {
      throw new DockyardValidationError(problems);
    }
  }
}

/**
 * The projen project that `scope` lives in, or undefined when it is not in a projen tree.
 * @internal
 */
export function findProject(scope: IConstruct): Project | undefined {
  for (const s of [...scope.node.scopes].reverse()) {
    if (Project.isProject(s)) {
      return s;
    }
  }
  return undefined;
}

/**
 * Makes sure the project validates the whole tree before synthesis.
 * @internal
 */
export function ensureValidationGate(project: Project): void {
  if (!project.node.tryFindChild(GATE_ID)) {
    new ValidationGate(project, GATE_ID);
  }
}
