import type { Construct } from 'constructs';
import { PythonDockerfileBase } from './python-dockerfile-base';
import type { PythonDockerfileOptions } from './python-dockerfile-options';
import { PYTHON_IGNORE_PATTERNS } from './python-ignore';

/** Options of the production Python preset. */
export interface PythonAppDockerfileOptions extends PythonDockerfileOptions {
  /**
   * Paths of the build context copied into the application directory (`.` copies the whole context
   * minus the ignore file's patterns; a directory keeps its name). They are owned by root with mode
   * 0755: the runtime user can read and run them but not change, add or delete anything.
   * @default ["."]
   */
  readonly sources?: string[];
  /**
   * Run `python3 manage.py collectstatic --noinput` after copying the source, as root and before `USER`,
   * so the collected files are root-owned and read-only to the runtime user like the rest of the
   * application (Django only; the settings must work at build time; put STATIC_ROOT inside the working
   * directory, e.g. `BASE_DIR / "staticfiles"`).
   * @default false
   */
  readonly collectStatic?: boolean;
  /**
   * The only directories the runtime user may write: created (`mkdir -p`) and handed to the runtime
   * user (`chown -R`) as root, after the source and collectstatic, before `USER`. Absolute, or relative
   * to the working directory (e.g. `media` for uploads, `/var/cache/app`). Everything else in the image
   * is read-only to the application. Not the working directory itself (or a parent), not the virtual
   * environment. Data that must outlive the container belongs on a volume mounted there.
   * @default [] - nothing is writable but what the base image leaves writable (e.g. /tmp)
   */
  readonly writablePaths?: string[];
  /**
   * Constant image labels (e.g. `org.opencontainers.image.title`). Labels that change with every
   * build (revision, created) belong to the publish workflow, not here: see the generated docs.
   * @default {}
   */
  readonly labels?: { [key: string]: string };
}

/**
 * The production Dockerfile of a Python (Django, WSGI or ASGI) application, `docker/Dockerfile.prod`
 * by default: three stages built with the public Dockerfile model, each exposed for further instructions.
 *
 * - `base`: Python/pip environment, WORKDIR, runtime system packages, a non-root user with fixed UID/GID.
 * - `dependencies`: build-only system packages, the dependency manifest copied first, `pip wheel` into
 *   /wheels with a pip cache mount.
 * - `final`: a virtual environment installed from a bind mount of the wheels (no wheel in any layer),
 *   the source owned by root and read-only to the runtime user, optional collectstatic (as root), the
 *   `writablePaths` handed to the runtime user, then USER, EXPOSE, HEALTHCHECK, exec-form CMD.
 *
 * Instructions added to `base` run as root and reach both later stages; instructions added to `final`
 * come after the preset's and run as the runtime user. In a projen `python.PythonProject`, the dependency
 * manifest and (when its constraint names exactly one minor version) the Python version are taken from
 * the project unless given. Also writes a Python ignore file where BuildKit
 * reads it and, in a projen project, a markdown file documenting build arguments and environment variables.
 */
export class PythonAppDockerfile extends PythonDockerfileBase {
  /** The ignore patterns used unless `ignore.patterns` is given (the preset adds its own generated files). */
  public static readonly DEFAULT_IGNORE_PATTERNS: string[] = [...PYTHON_IGNORE_PATTERNS];

  constructor(scope: Construct, id: string, options: PythonAppDockerfileOptions = {}) {
    super(scope, id, options, true);
  }
}
