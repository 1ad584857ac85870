/**
 * The projen side of the project facts (src/core/project-facts.ts): what a projen `python.PythonProject`
 * knows about its dependency manifest and its Python version, read from the files projen will write
 * (so overrides count), never from projen's options.
 * @internal
 */
import type { IConstruct } from 'constructs';
import { FileBase, IResolver, python } from 'projen';
import { findProject } from './validation-gate';
import { PythonDependencyManager, PythonProjectFacts } from '../core/project-facts';

/** A TOML table as parsed. */
interface Table { readonly [key: string]: unknown }

/** The facts of the projen Python project `scope` lives in, or undefined when it is in none. @internal */
export function pythonFactsInProjen(scope: IConstruct): PythonProjectFacts | undefined {
  const project = findProject(scope);
  if (!(project instanceof python.PythonProject)) return undefined;
  const deps = project.depsManager;
  if (deps instanceof python.Pip) {
    const written = (files: string[]) => files.filter(f => project.tryFindFile(f) !== undefined);
    return {
      dependencyManager: PythonDependencyManager.PIP,
      requirementsFiles: written(['requirements.txt']),
      devRequirementsFiles: written(['requirements-dev.txt']),
      devGroups: [],
    };
  }
  const isUv = deps instanceof python.Uv;
  if (!isUv && !(deps instanceof python.Poetry)) return undefined;
  const pyproject = writtenToml(project.tryFindFile('pyproject.toml'));
  if (isUv) {
    const groups = Object.keys(table(pyproject['dependency-groups']));
    const defaults = table(table(pyproject.tool).uv)['default-groups'];
    const wanted = Array.isArray(defaults) ? defaults.map(String) : ['dev'];
    const requires = table(pyproject.project)['requires-python'];
    return {
      dependencyManager: PythonDependencyManager.UV,
      requirementsFiles: [],
      devRequirementsFiles: [],
      devGroups: wanted.filter(g => groups.includes(g)),
      ...(typeof requires === 'string' ? { pythonConstraint: requires, pythonConstraintSource: 'pyproject.toml [project] requires-python' } : {}),
    };
  }
  const poetry = table(table(pyproject.tool).poetry);
  const groups = Object.entries(table(poetry.group)).filter(([, g]) => table(g).optional !== true).map(([name]) => name);
  const pythonDep = table(poetry.dependencies).python;
  return {
    dependencyManager: PythonDependencyManager.POETRY,
    requirementsFiles: [],
    devRequirementsFiles: [],
    devGroups: groups,
    ...(typeof pythonDep === 'string' ? { pythonConstraint: pythonDep, pythonConstraintSource: 'pyproject.toml [tool.poetry.dependencies] python' } : {}),
  };
}

function table(value: unknown): Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Table : {};
}

/** What projen writes for `file` (a TOML file), parsed; empty when there is no such file. */
function writtenToml(file: FileBase | undefined): Table {
  if (!file) return {};
  // the same resolver projen's FileBase.synthesize passes, so lazy values and overrides are resolved as when written
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resolve } = require('projen/lib/_resolve') as { resolve(value: unknown, options?: object): unknown };
  const resolver: IResolver = { resolve: (value, options) => resolve(value, options) };
  const text = (file as unknown as { synthesizeContent(r: IResolver): string | undefined }).synthesizeContent(resolver);
  if (text === undefined) return {};
  // projen's own TOML library (a bundled dependency of projen)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const toml = require(require.resolve('@iarna/toml', { paths: [require.resolve('projen')] })) as { parse(text: string): unknown };
  return table(toml.parse(text));
}
