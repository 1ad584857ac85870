import { Construct } from 'constructs';
import { assertValid } from '../core/problems';
import type { DockerfileStage, DocumentedVariable, MultiStageDockerfile } from '../dockerfile';
import { buildPythonDockerfile, BuiltPreset } from './python-builder';
import type { PythonDockerfileOptions } from './python-dockerfile-options';
import { attachDocs, renderPresetDocs } from './python-docs';
import { PYTHON_IGNORE_PATTERNS } from './python-ignore';

/** Options of the production Python preset. */
export interface PythonAppDockerfileOptions extends PythonDockerfileOptions {
  /**
   * Paths of the build context copied into the application directory, owned by the runtime user
   * (`.` copies the whole context minus the ignore file's patterns; a directory keeps its name).
   * @default ["."]
   */
  readonly sources?: string[];
  /**
   * Run `python3 manage.py collectstatic --noinput` as the runtime user after copying the source
   * (Django only; the settings must work at build time).
   * @default false
   */
  readonly collectStatic?: boolean;
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
 *   the source owned by the runtime user, optional collectstatic, EXPOSE, HEALTHCHECK, exec-form CMD.
 *
 * Instructions added to `base` run as root and reach both later stages; instructions added to `final`
 * come after the preset's and run as the runtime user. Also writes a Python ignore file where BuildKit
 * reads it and, in a projen project, a markdown file documenting build arguments and environment variables.
 */
export class PythonAppDockerfile extends Construct {
  /** The ignore patterns used unless `ignore.patterns` is given (the preset adds its own generated files). */
  public static readonly DEFAULT_IGNORE_PATTERNS: string[] = [...PYTHON_IGNORE_PATTERNS];

  /** The Dockerfile. */
  public readonly dockerfile: MultiStageDockerfile;
  /** Stage `base`: shared runtime foundation (root). */
  public readonly base: DockerfileStage;
  /** Stage `dependencies`: builds the wheels. */
  public readonly dependencies: DockerfileStage;
  /** Stage `final`: the production image (the build target). */
  public readonly final: DockerfileStage;
  /** Path of the generated markdown, unless disabled. */
  public readonly docsPath?: string;
  /** UID of the runtime user. */
  public readonly uid: number;
  /** GID of the runtime user. */
  public readonly gid: number;
  /** The port the application listens on. */
  public readonly port: number;
  private readonly built: BuiltPreset;

  constructor(scope: Construct, id: string, options: PythonAppDockerfileOptions = {}) {
    super(scope, id);
    this.built = buildPythonDockerfile(this, options, {
      kind: 'production',
      defaultPath: 'docker/Dockerfile.prod',
      finalStageName: 'final',
      sources: options.sources,
      defaultSources: ['.'],
      collectStatic: options.collectStatic ?? false,
      labels: options.labels ?? {},
    });
    ({ dockerfile: this.dockerfile, base: this.base, dependencies: this.dependencies, final: this.final } = this.built);
    ({ docsPath: this.docsPath, uid: this.uid, gid: this.gid, port: this.port } = this.built);
    attachDocs(this, this.docsPath, marker => this.docs(marker));
  }

  /** Validates everything and returns the Dockerfile text; throws listing every problem. */
  public render(): string {
    assertValid(this);
    return this.dockerfile.render();
  }

  /** Validates everything and returns the ignore file's text. */
  public renderIgnore(): string {
    assertValid(this);
    return this.dockerfile.renderIgnore();
  }

  /** Validates everything and returns the generated markdown. */
  public renderDocs(): string {
    assertValid(this);
    return this.docs(undefined);
  }

  /** Every build argument and environment variable of the Dockerfile, with descriptions. */
  public documentedVariables(): DocumentedVariable[] {
    return this.dockerfile.documentedVariables();
  }

  private docs(marker: string | undefined): string {
    return renderPresetDocs({ title: 'Production image', constructPath: this.node.scopes.slice(1).map(s => s.node.id).join('/'), built: this.built, development: false }, marker);
  }
}
