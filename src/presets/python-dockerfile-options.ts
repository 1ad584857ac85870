import type { BaseImage, DockerIgnoreOptions, HealthCheck, RunNetwork } from '../dockerfile';
import type { DependencyManifest } from './dependency-manifest';
import type { PythonFramework } from './python-framework';
import type { PythonOsFamily } from './python-os-family';
import type { SystemPackages } from './system-packages';

/** Options shared by the production and development Python presets. */
export interface PythonDockerfileOptions {
  /**
   * Path of the Dockerfile, relative to the project root.
   * @default "docker/Dockerfile.prod" (production), "docker/Dockerfile.dev" (development)
   */
  readonly path?: string;
  /**
   * The build context, relative to the project root.
   * @default "."
   */
  readonly context?: string;
  /**
   * Python version of the official `python` images (`ARG PYTHON_VERSION`), `3.<minor>[.<patch>]`, 3.8 or later.
   * In a projen `python.PythonProject` whose Python constraint (uv's `requires-python`, Poetry's `python`
   * dependency) names exactly one minor version (`==3.12.*`, `~=3.12.0`, `>=3.12,<3.13`, `~3.12`), that
   * version is the default; a value the project's constraint excludes is an error naming both.
   * @default - the one version the project's constraint names, else "3.11"
   */
  readonly pythonVersion?: string;
  /**
   * The distribution of the official image: Alpine (apk) or Debian (apt-get).
   * @default PythonOsFamily.ALPINE
   */
  readonly osFamily?: PythonOsFamily;
  /**
   * The image the runtime stages (`base`, `final`) start from. Must belong to `osFamily` and provide `python3`.
   * @default - `python:${PYTHON_VERSION}-<osFamily tag>`, e.g. python:3.11-alpine
   */
  readonly runtimeImage?: BaseImage;
  /**
   * A separate image for the dependencies stage (e.g. a full image with compilers). Its Python and
   * C library must match the runtime image's, since compiled wheels are installed there.
   * @default - the dependencies stage starts from the `base` stage
   */
  readonly buildImage?: BaseImage;
  /**
   * Working directory and application root in the image.
   * @default "/app"
   */
  readonly workdir?: string;
  /**
   * Extra environment variables of the `base` stage (also override the preset's defaults).
   * For a documented variable, call `preset.base.env(name, value, { description })` instead.
   * @default {}
   */
  readonly environment?: { [name: string]: string };
  /**
   * System packages needed only to build wheels (compilers, headers), installed in the dependencies
   * stage, never in the final image. Must match `osFamily` (SystemPackages.apk on Alpine, .apt on Debian).
   * @default - none
   */
  readonly buildPackages?: SystemPackages;
  /**
   * System packages the application needs at run time (shared libraries such as libpq), installed in `base`.
   * @default - none
   */
  readonly runtimePackages?: SystemPackages;
  /**
   * Network of the RUN steps that install system packages (e.g. RunNetwork.HOST for a builder whose
   * default network cannot reach the mirror; needs `--allow network.host`).
   * @default RunNetwork.DEFAULT
   */
  readonly packageNetwork?: RunNetwork;
  /**
   * Where the dependencies are declared. In a projen `python.PythonProject` (with the build context at
   * its root) the default is what the project writes: pip's `requirements.txt` (and `requirements-dev.txt`
   * in development), uv's `pyproject.toml` (`[dependency-groups]` dev in development) or Poetry's
   * (`DependencyManifest.poetry()`), so `project.addDependency(...)` reaches the image.
   * @default - the project's manifest, else DependencyManifest.requirements()
   */
  readonly dependencies?: DependencyManifest;
  /**
   * Other files or directories of the build context the manifest refers to (local packages such as
   * `vendor/mylib`, constraints files), copied at the same relative path before the wheels are built.
   * @default []
   */
  readonly dependencyFiles?: string[];
  /**
   * Extra arguments of `pip wheel` (e.g. `["--no-index", "--find-links", "vendor/wheels"]`), shell-quoted.
   * @default []
   */
  readonly pipWheelArgs?: string[];
  /**
   * Extra arguments of the `pip install` that installs the wheels into the virtual environment, shell-quoted.
   * @default []
   */
  readonly pipInstallArgs?: string[];
  /**
   * The virtual environment the wheels are installed into (put first on PATH).
   * @default "/opt/venv"
   */
  readonly venvPath?: string;
  /**
   * Name of the non-root runtime user (and its group).
   * @default "app"
   */
  readonly userName?: string;
  /**
   * Numeric UID of the runtime user (not 0).
   * @default 10001
   */
  readonly uid?: number;
  /**
   * Numeric GID of the runtime user's group (not 0).
   * @default - the UID
   */
  readonly gid?: number;
  /**
   * The kind of application, which decides the default command and environment.
   * @default - none: `command` is then required
   */
  readonly framework?: PythonFramework;
  /**
   * The port the application listens on (EXPOSE and the health check).
   * @default 8000
   */
  readonly port?: number;
  /**
   * The exec-form ENTRYPOINT (a list of words; no shell).
   * @default - none
   */
  readonly entrypoint?: string[];
  /**
   * The exec-form CMD (a list of words; no shell).
   * @default - the framework's command
   */
  readonly command?: string[];
  /**
   * The health check.
   * @default - production: an HTTP GET of `healthCheckPath` with python3 (any answer below 500 is healthy); development: none
   */
  readonly healthCheck?: HealthCheck;
  /**
   * Path requested by the default health check (in development, giving a path turns the default check on).
   * @default "/"
   */
  readonly healthCheckPath?: string;
  /**
   * The ignore file. Patterns given here replace the Python defaults (PythonAppDockerfile.DEFAULT_IGNORE_PATTERNS).
   * @default - the Python defaults, beside the Dockerfile
   */
  readonly ignore?: DockerIgnoreOptions;
  /**
   * Path of the generated markdown that documents the build arguments, environment variables and stages.
   * @default - the Dockerfile path + ".md", e.g. docker/Dockerfile.prod.md
   */
  readonly docsPath?: string;
  /**
   * Write no documentation file.
   * @default false
   */
  readonly disableDocs?: boolean;
  /**
   * Add `# check=error=true` so a build fails on any BuildKit check warning.
   * @default true
   */
  readonly checkErrors?: boolean;
  /**
   * A `# syntax=` directive (BuildKit pulls that frontend at build time).
   * @default - none
   */
  readonly syntax?: string;
}
