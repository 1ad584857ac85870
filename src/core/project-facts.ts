/**
 * What the project a model construct lives in already knows, offered without the model knowing who
 * knows it: a provider (the projen adapter in src/projen is one) answers for the constructs of its
 * projects, and the model asks every registered provider. Outside any provider the model knows
 * nothing more than its options say. Same pattern as `file-hosts.ts`.
 * @internal
 */
import type { IConstruct } from 'constructs';

/** How a Python project declares its dependencies. @internal */
export enum PythonDependencyManager {
  /** pip requirements files (`requirements.txt`, `requirements-dev.txt`). */
  PIP = 'pip',
  /** Poetry: `[tool.poetry.dependencies]` and `[tool.poetry.group.<name>.dependencies]` of pyproject.toml. */
  POETRY = 'poetry',
  /** uv: PEP 621 `[project] dependencies` and PEP 735 `[dependency-groups]` of pyproject.toml. */
  UV = 'uv',
}

/** What a Python project (e.g. projen's `python.PythonProject`) knows about itself. @internal */
export interface PythonProjectFacts {
  /** The tool that writes the dependency manifest. */
  readonly dependencyManager: PythonDependencyManager;
  /** Runtime requirements files the project writes, relative to its root (pip only). */
  readonly requirementsFiles: string[];
  /** Development requirements files the project writes, relative to its root (pip only). */
  readonly devRequirementsFiles: string[];
  /** The dependency groups a development install adds (uv: its default groups; Poetry: the non-optional groups). */
  readonly devGroups: string[];
  /** The project's Python version constraint, as written (`==3.12.*`, `~3.12`), if any. */
  readonly pythonConstraint?: string;
  /** Where the constraint is written, for messages (e.g. `pyproject.toml [project] requires-python`). */
  readonly pythonConstraintSource?: string;
}

/** Something that knows the facts of the projects it manages. @internal */
export interface ProjectFactsProvider {
  /** The facts of the Python project `scope` lives in, or undefined when `scope` is not in one it knows. */
  pythonFacts(scope: IConstruct): PythonProjectFacts | undefined;
}

const providers: ProjectFactsProvider[] = [];

/** Registers a provider (once). @internal */
export function registerProjectFactsProvider(provider: ProjectFactsProvider): void {
  if (!providers.includes(provider)) providers.push(provider);
}

/** The facts of the Python project `scope` lives in, from the first provider that knows it. @internal */
export function findPythonProjectFacts(scope: IConstruct): PythonProjectFacts | undefined {
  for (const p of providers) {
    const facts = p.pythonFacts(scope);
    if (facts) return facts;
  }
  return undefined;
}
