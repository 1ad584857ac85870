import { PIPFILE_LOCK_TO_REQUIREMENTS, PYPROJECT_TO_REQUIREMENTS } from './manifest-scripts';
import { contextPathProblem, shellQuote } from './text';

/** Options of a requirements-file manifest. */
export interface RequirementsManifestOptions {
  /**
   * Requirements files (relative to the build context), passed to pip as `-r <file>` in order.
   * @default ["requirements.txt"]
   */
  readonly files?: string[];
  /**
   * Extra requirements files of the development Dockerfile (e.g. `requirements-dev.txt`);
   * the production Dockerfile ignores them.
   * @default []
   */
  readonly devFiles?: string[];
}

/** Options of a `pyproject.toml` manifest. */
export interface PyprojectManifestOptions {
  /**
   * The `[project.optional-dependencies]` groups the development Dockerfile adds; the build
   * fails with a clear message when a group is missing from pyproject.toml.
   * @default ["dev"]
   */
  readonly devExtras?: string[];
}

/** Options of a `Pipfile.lock` manifest. */
export interface PipfileLockManifestOptions {
  /**
   * Add the lock file's `develop` section in the development Dockerfile.
   * @default true
   */
  readonly includeDevelopInDev?: boolean;
}

/**
 * Where a Python application declares its dependencies. The dependencies stage copies only these
 * files before building wheels, so the wheel layer is rebuilt only when they change.
 */
export class DependencyManifest {
  /** pip requirements files (`pip wheel -r requirements.txt`). */
  public static requirements(options: RequirementsManifestOptions = {}): DependencyManifest {
    return new DependencyManifest('requirements', {
      files: options.files ?? ['requirements.txt'],
      devFiles: options.devFiles ?? [],
      devExtras: [],
      includeDevelop: false,
    });
  }

  /**
   * The `[project] dependencies` of `pyproject.toml` (PEP 621), read with Python's own `tomllib`
   * (Python 3.11 or later in the build image). Dependencies declared as `dynamic` are not supported.
   */
  public static pyproject(options: PyprojectManifestOptions = {}): DependencyManifest {
    return new DependencyManifest('pyproject', {
      files: ['pyproject.toml'],
      devFiles: [],
      devExtras: options.devExtras ?? ['dev'],
      includeDevelop: false,
    });
  }

  /**
   * The pinned versions of `Pipfile.lock` (its `default` section; `develop` too in development).
   * Entries without a version (paths, VCS) fail the build with a message naming them.
   */
  public static pipfileLock(options: PipfileLockManifestOptions = {}): DependencyManifest {
    return new DependencyManifest('pipfile-lock', {
      files: ['Pipfile.lock'],
      devFiles: [],
      devExtras: [],
      includeDevelop: options.includeDevelopInDev ?? true,
    });
  }

  /** `requirements`, `pyproject` or `pipfile-lock`. */
  public readonly kind: string;
  private readonly spec: ManifestSpec;

  private constructor(kind: string, spec: ManifestSpec) {
    this.kind = kind;
    this.spec = spec;
  }

  /** Whether reading the manifest needs Python's tomllib (3.11+). @internal */
  public get _needsTomllib(): boolean {
    return this.kind === 'pyproject';
  }

  /** The manifest files to copy, relative to the context. @internal */
  public _files(dev: boolean): string[] {
    return [...this.spec.files, ...(dev ? this.spec.devFiles : [])];
  }

  /** @internal */
  public _problems(what: string): string[] {
    const problems: string[] = [];
    const lists: Array<[string, unknown]> = [['files', this.spec.files], ['devFiles', this.spec.devFiles], ['devExtras', this.spec.devExtras]];
    for (const [name, list] of lists) {
      if (!Array.isArray(list)) problems.push(`${what} ${name} must be a list, got ${JSON.stringify(list)}`);
    }
    if (problems.length) return problems;
    if (this.spec.files.length === 0) problems.push(`${what} lists no requirements file; give at least one, e.g. files: ["requirements.txt"]`);
    for (const f of [...this.spec.files, ...this.spec.devFiles]) {
      const p = contextPathProblem(f, `${what} file`, 'give a path inside the build context such as "requirements.txt"');
      if (p) problems.push(p);
    }
    for (const e of this.spec.devExtras) {
      if (typeof e !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(e)) {
        problems.push(`${what} devExtras entry ${JSON.stringify(e)} is not an extra name such as "dev"`);
      }
    }
    return problems;
  }

  /** The shell command that builds every wheel into `wheelDir` (run in the working directory). @internal */
  public _wheelCommand(dev: boolean, wheelDir: string, pipArgs: string[]): string {
    const wheel = (requirements: string[]) =>
      ['python3', '-m', 'pip', 'wheel', '--wheel-dir', wheelDir, ...requirements.flatMap(r => ['-r', r]), ...pipArgs].map(shellQuote).join(' ');
    switch (this.kind) {
      case 'pyproject': {
        const extras = dev ? this.spec.devExtras : [];
        return `python3 -c ${shellQuote(PYPROJECT_TO_REQUIREMENTS)}${extras.map(e => ` ${shellQuote(e)}`).join('')} > /tmp/requirements.txt && ${wheel(['/tmp/requirements.txt'])}`;
      }
      case 'pipfile-lock': {
        const sections = dev && this.spec.includeDevelop ? ['default', 'develop'] : ['default'];
        return `python3 -c ${shellQuote(PIPFILE_LOCK_TO_REQUIREMENTS)} ${sections.join(' ')} > /tmp/requirements.txt && ${wheel(['/tmp/requirements.txt'])}`;
      }
      default:
        return wheel(this._files(dev));
    }
  }
}

interface ManifestSpec {
  readonly files: string[];
  readonly devFiles: string[];
  readonly devExtras: string[];
  readonly includeDevelop: boolean;
}
