import { Construct } from 'constructs';
import { assertValid } from '../core/problems';
import type { DockerfileStage, DocumentedVariable, MultiStageDockerfile } from '../dockerfile';
import { buildPythonDockerfile, BuiltPreset } from './python-builder';
import type { PythonDockerfileOptions } from './python-dockerfile-options';
import { attachDocs, renderPresetDocs } from './python-docs';

/** Options of the development Python preset. */
export interface PythonDevDockerfileOptions extends PythonDockerfileOptions {
  /**
   * Copy these paths of the build context into the image too (the source is normally bind-mounted).
   * @default [] - nothing: mount the source with `docker run -v "$PWD:/app"`
   */
  readonly sources?: string[];
}

/**
 * The development Dockerfile of a Python application, `docker/Dockerfile.dev` by default: the same
 * `base` and `dependencies` stages as the production preset, with the development dependencies
 * (DependencyManifest dev files/extras/sections) added, and a `development` stage that expects the
 * source as a bind mount and runs the framework's development server (Django `runserver`,
 * gunicorn/uvicorn `--reload`) as the non-root user. No health check unless given.
 */
export class PythonDevDockerfile extends Construct {
  /** The Dockerfile. */
  public readonly dockerfile: MultiStageDockerfile;
  /** Stage `base`: shared runtime foundation (root). */
  public readonly base: DockerfileStage;
  /** Stage `dependencies`: builds the wheels, development dependencies included. */
  public readonly dependencies: DockerfileStage;
  /** Stage `development`: the development image (the build target). */
  public readonly final: DockerfileStage;
  /** Path of the generated markdown, unless disabled. */
  public readonly docsPath?: string;
  /** UID of the runtime user. */
  public readonly uid: number;
  /** GID of the runtime user. */
  public readonly gid: number;
  /** The port the development server listens on. */
  public readonly port: number;
  private readonly built: BuiltPreset;

  constructor(scope: Construct, id: string, options: PythonDevDockerfileOptions = {}) {
    super(scope, id);
    this.built = buildPythonDockerfile(this, options, {
      kind: 'development',
      defaultPath: 'docker/Dockerfile.dev',
      finalStageName: 'development',
      sources: options.sources,
      defaultSources: [],
      collectStatic: false,
      labels: {},
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
    return renderPresetDocs({ title: 'Development image', constructPath: this.node.scopes.slice(1).map(s => s.node.id).join('/'), built: this.built, development: true }, marker);
  }
}
