/**
 * What a Python preset takes from the project it lives in (through src/core/project-facts.ts, which the
 * projen adapter answers for a projen `python.PythonProject`): the dependency manifest the project writes
 * and the Python version its constraint names, when it names exactly one. Options always win; a
 * `pythonVersion` the project's constraint excludes is reported at synth time, naming both.
 * @internal
 */
import * as posix from 'node:path/posix';
import type { IConstruct } from 'constructs';
import { DependencyManifest } from './dependency-manifest';
import { allowsVersion, ConstraintDialect, lowestMinor, singleVersion } from './python-version-constraint';
import { findPythonProjectFacts, PythonDependencyManager, PythonProjectFacts } from '../core/project-facts';

/** What the project knows, as the preset uses it. @internal */
export interface ProjectDefaults {
  readonly facts?: PythonProjectFacts;
  /** The manifest the project writes. */
  readonly manifest?: DependencyManifest;
  /** The one Python version the project's constraint names, if it names exactly one. */
  readonly pythonVersion?: string;
}

/** The project's facts, applied only when the build context is the project root (where the project writes its manifests). */
function factsFor(scope: IConstruct, context: string): PythonProjectFacts | undefined {
  if (typeof context !== 'string' || posix.normalize(context) !== '.') return undefined;
  return findPythonProjectFacts(scope);
}

function dialect(facts: PythonProjectFacts): ConstraintDialect {
  return facts.dependencyManager === PythonDependencyManager.POETRY ? ConstraintDialect.POETRY : ConstraintDialect.PEP440;
}

/**
 * What the preset takes from the project `scope` lives in. The Python version is the one the project's
 * constraint names, when it names exactly one; when it names a range that excludes `defaultVersion` (uv's
 * default `>=3.12,<4.0` excludes 3.11), the lowest minor version of the range, so a default project builds.
 * @internal
 */
export function projectDefaults(scope: IConstruct, context: string, defaultVersion: string): ProjectDefaults {
  const facts = factsFor(scope, context);
  if (!facts) return {};
  let manifest: DependencyManifest | undefined;
  switch (facts.dependencyManager) {
    case PythonDependencyManager.PIP:
      manifest = facts.requirementsFiles.length
        ? DependencyManifest.requirements({ files: facts.requirementsFiles, devFiles: facts.devRequirementsFiles }) : undefined;
      break;
    case PythonDependencyManager.UV:
      manifest = DependencyManifest.pyproject({ devExtras: [], devGroups: facts.devGroups });
      break;
    case PythonDependencyManager.POETRY:
      manifest = DependencyManifest.poetry({ devGroups: facts.devGroups });
      break;
  }
  const constraint = facts.pythonConstraint;
  let pythonVersion = constraint !== undefined ? singleVersion(constraint, dialect(facts)) : undefined;
  if (pythonVersion === undefined && constraint !== undefined && allowsVersion(constraint, dialect(facts), defaultVersion) === false) {
    pythonVersion = lowestMinor(constraint, dialect(facts));
  }
  return { facts, manifest, pythonVersion };
}

/**
 * The problem of the Python version the preset uses against the project's constraint, read again at
 * synth time (so a constraint changed after the preset was created is seen). `origin` says where the
 * version came from. Empty when the constraint allows it or is not understood.
 * @internal
 */
export function versionConflicts(scope: IConstruct, context: string, version: string, origin: 'option' | 'project' | 'default'): string[] {
  const facts = factsFor(scope, context);
  const constraint = facts?.pythonConstraint;
  if (!facts || constraint === undefined) return [];
  const d = dialect(facts);
  if (allowsVersion(constraint, d, version) !== false) return [];
  const where = `the project's Python constraint ${JSON.stringify(constraint)} (${facts.pythonConstraintSource ?? 'the project'})`;
  const single = singleVersion(constraint, d);
  const suggestion = single ?? lowestMinor(constraint, d);
  const pass = suggestion ? `pass pythonVersion: "${suggestion}"` : 'pass a pythonVersion the constraint allows';
  switch (origin) {
    case 'option':
      return [`pythonVersion "${version}" conflicts with ${where}${single ? `, which allows only Python ${single}` : ''}; `
        + `${single ? `drop pythonVersion to take ${single} from the project, or ${pass}` : pass}, or change the project's constraint`];
    case 'project':
      return [`pythonVersion "${version}" was taken from the project when the preset was created, but ${where} no longer allows it; `
        + `create the preset after the project's Python version is set, or ${pass}`];
    default:
      return [`the default pythonVersion "${version}" is outside ${where}; ${pass}, or change the project's constraint`];
  }
}
