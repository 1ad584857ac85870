import { Construct } from 'constructs';
import { assertValid } from '../core/problems';
import type { DockerfileStage, DocumentedVariable, MultiStageDockerfile } from '../dockerfile';
import { buildPythonDockerfile, BuiltPreset } from './python-builder';
import type { PythonDockerfileOptions } from './python-dockerfile-options';
import { renderPresetDocs } from './python-docs';
import { declareFiles } from '../core/file-hosts';

/** The options only the production preset has (read by the shared base). */
interface ProductionOnlyOptions {
  readonly sources?: string[];
  readonly collectStatic?: boolean;
  readonly labels?: { [key: string]: string };
  readonly writablePaths?: string[];
}

/**
 * What the production and development Python presets share: the three stages, the facts of the
 * image, and the methods that render the Dockerfile, its ignore file and its generated docs.
 */
export abstract class PythonDockerfileBase extends Construct {
  /** The Dockerfile. */
  public readonly dockerfile: MultiStageDockerfile;
  /** Stage `base`: shared runtime foundation (root). */
  public readonly base: DockerfileStage;
  /** Stage `dependencies`: builds the wheels. */
  public readonly dependencies: DockerfileStage;
  /** The last stage (`final` in production, `development` in development): the build target. */
  public readonly final: DockerfileStage;
  /** Path of the generated markdown, unless disabled. */
  public readonly docsPath?: string;
  /** UID of the runtime user. */
  public readonly uid: number;
  /** GID of the runtime user. */
  public readonly gid: number;
  /** The port the application (or development server) listens on. */
  public readonly port: number;
  private readonly built: BuiltPreset;
  private readonly production: boolean;

  /**
   * @param production the production image (`docker/Dockerfile.prod`, stage `final`, source copied in)
   *   rather than the development one (`docker/Dockerfile.dev`, stage `development`, source bind-mounted)
   */
  protected constructor(scope: Construct, id: string, options: PythonDockerfileOptions, production: boolean) {
    super(scope, id);
    this.production = production;
    const prod = options as ProductionOnlyOptions;
    this.built = buildPythonDockerfile(this, options, production
      ? {
        kind: 'production',
        defaultPath: 'docker/Dockerfile.prod',
        finalStageName: 'final',
        sources: prod.sources,
        defaultSources: ['.'],
        collectStatic: prod.collectStatic ?? false,
        labels: prod.labels ?? {},
        writablePaths: prod.writablePaths,
      }
      : {
        kind: 'development',
        defaultPath: 'docker/Dockerfile.dev',
        finalStageName: 'development',
        sources: prod.sources,
        defaultSources: [],
        collectStatic: false,
        labels: {},
        writablePaths: undefined,
      });
    ({ dockerfile: this.dockerfile, base: this.base, dependencies: this.dependencies, final: this.final } = this.built);
    ({ docsPath: this.docsPath, uid: this.uid, gid: this.gid, port: this.port } = this.built);
    if (this.docsPath !== undefined) declareFiles(this, [{ path: this.docsPath, render: marker => this.docs(marker) }]);
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
    // the path below the root (a projen project's id holds its outdir, which must not reach the docs)
    const constructPath = this.node.scopes.slice(1).map(s => s.node.id).join('/');
    return renderPresetDocs({
      title: this.production ? 'Production image' : 'Development image',
      constructPath,
      built: this.built,
      development: !this.production,
    }, marker);
  }
}
