import { PIPFILE_LOCK_TO_REQUIREMENTS, POETRY_TO_REQUIREMENTS, PYPROJECT_TO_REQUIREMENTS } from './manifest-scripts';
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
  /**
   * The PEP 735 `[dependency-groups]` the development Dockerfile adds (uv writes its development
   * dependencies there); `{include-group = "..."}` entries are followed. The build fails with a clear
   * message when a group is missing from pyproject.toml.
   * @default []
   */
  readonly devGroups?: string[];
}

/** Options of a Poetry `pyproject.toml` manifest. */
export interface PoetryManifestOptions {
  /**
   * The Poetry dependency groups (`[tool.poetry.group.<name>.dependencies]`) the development Dockerfile
   * adds; for `dev`, the older `[tool.poetry.dev-dependencies]` table is read when there is no such group.
   * @default ["dev"]
   */
  readonly devGroups?: string[];
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
      devGroups: [],
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
      devGroups: options.devGroups ?? [],
      includeDevelop: false,
    });
  }

  /**
   * Poetry's `[tool.poetry.dependencies]` in `pyproject.toml` (what projen's Poetry writes), turned into
   * requirements with Python's own `tomllib` (Python 3.11 or later in the build image): `^` and `~`
   * become PEP 440 ranges, a bare version `==`, `path`/`git`/`url` entries direct references (copy a
   * local path with `dependencyFiles`), `python`/`platform` restrictions markers; `optional` entries are
   * left out. Constraints a requirement cannot express (`||`, lists of constraints) fail the build with
   * the dependency's name. A Poetry 2 project that declares PEP 621 `[project] dependencies` uses
   * `pyproject()` instead.
   */
  public static poetry(options: PoetryManifestOptions = {}): DependencyManifest {
    return new DependencyManifest('poetry', {
      files: ['pyproject.toml'],
      devFiles: [],
      devExtras: [],
      devGroups: options.devGroups ?? ['dev'],
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
      devGroups: [],
      includeDevelop: options.includeDevelopInDev ?? true,
    });
  }

  /** `requirements`, `pyproject`, `poetry` or `pipfile-lock`. */
  public readonly kind: string;
  private readonly spec: ManifestSpec;

  private constructor(kind: string, spec: ManifestSpec) {
    this.kind = kind;
    this.spec = spec;
  }

  /** Whether reading the manifest needs Python's tomllib (3.11+). @internal */
  public get _needsTomllib(): boolean {
    return this.kind === 'pyproject' || this.kind === 'poetry';
  }

  /** The manifest files to copy, relative to the context. @internal */
  public _files(dev: boolean): string[] {
    return [...this.spec.files, ...(dev ? this.spec.devFiles : [])];
  }

  /** @internal */
  public _problems(what: string): string[] {
    const problems: string[] = [];
    const lists: Array<[string, unknown]> = [
      ['files', this.spec.files], ['devFiles', this.spec.devFiles], ['devExtras', this.spec.devExtras], ['devGroups', this.spec.devGroups],
    ];
    for (const [name, list] of lists) {
      if (!Array.isArray(list)) problems.push(`${what} ${name} must be a list, got ${JSON.stringify(list)}`);
    }
    if (problems.length) return problems;
    if (this.spec.files.length === 0) problems.push(`${what} lists no requirements file; give at least one, e.g. files: ["requirements.txt"]`);
    for (const f of [...this.spec.files, ...this.spec.devFiles]) {
      const p = contextPathProblem(f, `${what} file`, 'give a path inside the build context such as "requirements.txt"');
      if (p) problems.push(p);
    }
    for (const [list, example] of [['devExtras', 'an extra'], ['devGroups', 'a dependency group']] as const) {
      for (const e of this.spec[list]) {
        if (typeof e !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(e)) {
          problems.push(`${what} ${list} entry ${JSON.stringify(e)} is not ${example} name such as "dev"`);
        }
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
        const args = dev ? [...this.spec.devExtras.map(e => `extra:${e}`), ...this.spec.devGroups.map(g => `group:${g}`)] : [];
        return `python3 -c ${shellQuote(PYPROJECT_TO_REQUIREMENTS)}${args.map(a => ` ${shellQuote(a)}`).join('')} > /tmp/requirements.txt && ${wheel(['/tmp/requirements.txt'])}`;
      }
      case 'poetry': {
        const groups = dev ? this.spec.devGroups : [];
        return `python3 -c ${shellQuote(POETRY_TO_REQUIREMENTS)}${groups.map(g => ` ${shellQuote(g)}`).join('')} > /tmp/requirements.txt && ${wheel(['/tmp/requirements.txt'])}`;
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
  readonly devGroups: string[];
  readonly includeDevelop: boolean;
}
