import * as posix from 'node:path/posix';
import { Construct } from 'constructs';
import { DockerIgnore, DockerIgnoreOptions, IgnoreFilePlacement } from './docker-ignore';
import type { VariableOptions } from './instruction-options';
import { ArgInstruction, EnvInstruction, RunInstruction } from './instructions';
import { DockerfileStage, DockerfileStageOptions } from './stage';
import { quote, unsafeTextProblem, looksSecret } from './text';
import { VARIABLE_NAME } from '../core/docker-names';
import { declareFiles, GeneratedFile } from '../core/file-hosts';
import { parseImageReference } from '../core/image-names';
import { assertValid } from '../core/problems';
import { repositoryPathProblem } from '../core/repository-paths';

/** Options of a MultiStageDockerfile. */
export interface MultiStageDockerfileOptions {
  /**
   * Path of the Dockerfile, relative to the project root.
   * @default "Dockerfile"
   */
  readonly path?: string;
  /**
   * The build context, relative to the project root.
   * @default "."
   */
  readonly context?: string;
  /**
   * A `# syntax=` directive, e.g. `docker/dockerfile:1.10` (BuildKit pulls that frontend image, so it
   * needs registry access at build time).
   * @default - none: the engine's built-in frontend
   */
  readonly syntax?: string;
  /**
   * Add `# check=error=true`, so a build fails on any BuildKit build-check warning.
   * @default true
   */
  readonly checkErrors?: boolean;
  /**
   * The ignore file.
   * @default - the default patterns, beside the Dockerfile
   */
  readonly ignore?: DockerIgnoreOptions;
}

/** A build argument or environment variable of the file, for documentation. */
export interface DocumentedVariable {
  /** `ARG` or `ENV`. */
  readonly kind: string;
  /** The stage, or undefined for a global ARG. */
  readonly stage?: string;
  /** The variable name. */
  readonly name: string;
  /** The default (ARG) or value (ENV), if any. */
  readonly value?: string;
  /** The description, if any. */
  readonly description?: string;
}

/**
 * A multi-stage Dockerfile: its stages in order, global ARGs, directives, build
 * target and ignore file. The model only renders text (`render()`); in a projen
 * project the projen adapter writes its files on `npx projen` (read-only,
 * validated before anything is written).
 */
export class MultiStageDockerfile extends Construct {
  /** Path of the Dockerfile relative to the project root. */
  public readonly path: string;
  /** Build context relative to the project root. */
  public readonly context: string;
  /** The ignore file. */
  public readonly ignore: DockerIgnore;
  /** @internal */
  public readonly _globalArgs = new Map<string, ArgInstruction>();
  private readonly stageList: DockerfileStage[] = [];
  private readonly syntax?: string;
  private readonly checkErrors: boolean;
  private explicitTarget?: DockerfileStage;
  private readonly hosted: boolean;

  constructor(scope: Construct, id: string, options: MultiStageDockerfileOptions = {}) {
    super(scope, id);
    this.path = options.path ?? 'Dockerfile';
    this.context = options.context ?? '.';
    this.syntax = options.syntax;
    this.checkErrors = options.checkErrors ?? true;
    this.ignore = new DockerIgnore(options.ignore);
    this.node.addValidation({ validate: () => this.validateFile() });

    const files: GeneratedFile[] = [{ path: this.path, render: marker => this._renderUnchecked(marker) }];
    const ignorePath = this.ignoreFilePath;
    if (ignorePath !== undefined) {
      files.push({ path: ignorePath, render: marker => `${marker ? `# ${marker}\n` : ''}${this.ignore.render()}` });
    }
    this.hosted = declareFiles(this, files);
  }

  /** Adds a stage after the existing ones and returns it. */
  public addStage(id: string, options: DockerfileStageOptions): DockerfileStage {
    return new DockerfileStage(this, id, options);
  }

  /** Declares a global ARG (before the first FROM), usable as `${NAME}` in image references. */
  public addArg(name: string, defaultValue?: string, options: VariableOptions = {}): MultiStageDockerfile {
    this._globalArgs.set(name, new ArgInstruction(name, defaultValue, options));
    return this;
  }

  /** The stages, in file order. */
  public get stages(): DockerfileStage[] {
    return [...this.stageList];
  }

  /**
   * The stage built by default and by the publish workflow (`--target`): the stage assigned here,
   * else the last stage. Assign one of this file's stages to change it.
   */
  public get target(): DockerfileStage {
    const t = this.explicitTarget ?? this.stageList[this.stageList.length - 1];
    if (!t) throw new Error(`[${this.node.path}] has no stage; add one with addStage()`);
    return t;
  }

  public set target(stage: DockerfileStage) {
    this.explicitTarget = stage;
  }

  /** Path of the ignore file relative to the project root (where BuildKit reads it), or undefined when disabled. */
  public get ignoreFilePath(): string | undefined {
    if (!this.ignore.enabled) return undefined;
    return this.ignore.placement === IgnoreFilePlacement.CONTEXT_ROOT
      ? posix.join(this.context, '.dockerignore')
      : `${this.path}.dockerignore`;
  }

  /** Every ARG and ENV of the file, with descriptions, in file order. */
  public documentedVariables(): DocumentedVariable[] {
    const out: DocumentedVariable[] = [];
    for (const a of this._globalArgs.values()) {
      out.push({ kind: 'ARG', name: a.name, value: a.defaultValue, description: a.options.description });
    }
    for (const s of this.stageList) {
      for (const i of s._instructions) {
        if (i instanceof ArgInstruction) out.push({ kind: 'ARG', stage: s.stageName, name: i.name, value: i.defaultValue, description: i.options.description });
        if (i instanceof EnvInstruction) out.push({ kind: 'ENV', stage: s.stageName, name: i.name, value: i.value, description: i.options.description });
      }
    }
    return out;
  }

  /** The ids of the build secrets the file mounts (`RunMount.secret({ id })`), in file order. */
  public secretIds(): string[] {
    const ids: string[] = [];
    for (const s of this.stageList) {
      for (const i of s._instructions) {
        if (!(i instanceof RunInstruction)) continue;
        for (const m of i.mounts) {
          const id = m.type === 'secret' ? m.field('id') : undefined;
          if (id !== undefined && !ids.includes(id)) ids.push(id);
        }
      }
    }
    return ids;
  }

  /** Validates the file and its stages and returns the Dockerfile text; throws listing every problem. */
  public render(): string {
    assertValid(this);
    return this._renderUnchecked(undefined);
  }

  /** Validates and returns the ignore file's text. */
  public renderIgnore(): string {
    assertValid(this);
    return this.ignore.render();
  }

  /** @internal */
  public _registerStage(stage: DockerfileStage): number {
    return this.stageList.push(stage) - 1;
  }

  /** @internal */
  public _renderUnchecked(marker: string | undefined): string {
    const lines: string[] = [];
    if (this.syntax) lines.push(`# syntax=${this.syntax}`);
    const skips = new Set<string>();
    for (const s of this.stageList) {
      if (s.platform?.constant) skips.add('FromPlatformFlagConstDisallowed');
      for (const i of s._instructions) if (i.skipChecks) for (const c of i.skipChecks) skips.add(c);
    }
    for (const a of this._globalArgs.values()) for (const c of a.skipChecks ?? []) skips.add(c);
    const check = [skips.size ? `skip=${[...skips].sort().join(',')}` : '', this.checkErrors ? 'error=true' : ''].filter(Boolean);
    if (check.length) lines.push(`# check=${check.join(';')}`);
    if (marker) lines.push(`# ${marker}`);
    // BuildKit reads every leading `# key=value` comment as a parser directive (`# escape=`` ` would change
    // the escape character, `# syntax=` the frontend): an empty line ends the directives, so a user comment
    // (a global ARG description) can never become one.
    if ([...this._globalArgs.values()][0]?.options.description) lines.push('');
    for (const a of this._globalArgs.values()) {
      if (a.options.description) lines.push(...a.options.description.split('\n').map(l => `# ${l}`));
      lines.push(a.render());
    }
    // the header, then each stage after an empty line; built by concatenation (V8 ropes, flattened once)
    let text = lines.length ? `${lines.join('\n')}\n` : '';
    for (const s of this.stageList) {
      text += `${text.length ? '\n' : ''}${s._renderFrom()}\n`;
      for (const i of s._instructions) text += `${i.render()}\n`;
    }
    return text;
  }

  /**
   * Whether a host writes this Dockerfile's files: true inside a projen project, whose adapter
   * writes them on `npx projen`; false elsewhere (call `render()`).
   */
  public get writtenByProjen(): boolean {
    return this.hosted;
  }

  private validateFile(): string[] {
    const problems: string[] = [];
    if (this.stageList.length === 0) problems.push('the Dockerfile has no stage; add one with addStage()');
    for (const [what, p] of [['path', this.path], ['context', this.context]] as const) {
      const problem = repositoryPathProblem(p, what, 'project root');
      if (problem) problems.push(problem);
    }
    if (this.syntax !== undefined && typeof parseImageReference(this.syntax) === 'string') {
      problems.push(`syntax ${JSON.stringify(this.syntax)} must be an image reference such as docker/dockerfile:1.10`);
    }
    if (this.explicitTarget && this.explicitTarget.dockerfile !== this) {
      problems.push(`target ${this.explicitTarget.node.path} is not a stage of this Dockerfile; assign one of its own stages to target`);
    }
    for (const a of this._globalArgs.values()) {
      if (!VARIABLE_NAME.test(a.name)) problems.push(`global ARG name ${JSON.stringify(a.name)} is not a valid name`);
      else if (looksSecret(a.name) && !a.options.allowSecretName) problems.push(`global ARG ${a.name} looks like a secret (BuildKit SecretsUsedInArgOrEnv); use a secret mount, or pass allowSecretName: true`);
      for (const line of (a.options.description ?? '').split('\n')) {
        const p = unsafeTextProblem(line, `global ARG ${a.name} description`);
        if (p) problems.push(p);
      }
      if (a.defaultValue !== undefined) {
        const p = unsafeTextProblem(a.defaultValue, `global ARG ${a.name} default`);
        if (p) problems.push(p);
        else void quote(a.defaultValue);
      }
    }
    problems.push(...this.ignore._problems());
    return problems;
  }
}
