import type { IConstruct } from 'constructs';

/**
 * Thrown at synth time when one or more constructs are invalid. Lists every
 * problem found, each prefixed with the path of the construct it concerns.
 *
 * Printed as an uncaught error (`npx projen`, `cdktf synth`), it shows each problem once and no
 * stack trace: the construct path, the rule and the fix are the whole message. Set DOCKYARD_DEBUG=1
 * to keep the stack. It stays an ordinary, catchable Error.
 */
export class DockyardValidationError extends Error {
  /** Every problem, as `[construct path] message`. */
  public readonly problems!: string[];

  constructor(problems: string[]) {
    super(`cdk-dockyard found ${problems.length} problem(s); nothing was written:\n${problems.map(p => `  - ${p}`).join('\n')}`);
    this.name = 'DockyardValidationError';
    // not enumerable: Node's printer would list the problems a second time
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false, writable: false });
    if (!process.env.DOCKYARD_DEBUG) {
      Object.defineProperty(this, 'stack', { value: `${this.name}: ${this.message}`, enumerable: false, writable: true, configurable: true });
    }
  }
}

/**
 * Runs `node.validate()` on every construct below (and including) `root` and
 * returns each message prefixed with the construct's path.
 * @internal
 */
export function collectProblems(root: IConstruct): string[] {
  const problems: string[] = [];
  for (const c of root.node.findAll()) {
    for (const message of c.node.validate()) {
      problems.push(`[${c.node.path || '<root>'}] ${message}`);
    }
  }
  return problems;
}

/**
 * Validates the tree below `root` and throws a single error listing all problems.
 * @internal
 */
export function assertValid(root: IConstruct): void {
  const problems = collectProblems(root);
  if (problems.length > 0) {
    throw new DockyardValidationError(problems);
  }
}
