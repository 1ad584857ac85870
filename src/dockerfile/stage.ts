import { Construct } from 'constructs';
import { BaseImage } from './base-image';
import { CopyContentInstruction, CopyInstruction } from './copy-instructions';
import { fromLockProblem, renderedFromReference, resolveFromReference } from './from-reference';
import type { HealthCheck } from './health-check';
import type { Instruction, ValidationContext } from './instruction';
import type { AddOptions, CopyOptions, RunOptions, VariableOptions, WorkdirOptions } from './instruction-options';
import {
  ArgInstruction, CommandInstruction, CommentInstruction, EnvInstruction, ExposeInstruction, HealthcheckInstruction, LabelInstruction,
  OnBuildInstruction, RunInstruction, ShellInstruction, StopSignalInstruction, UserInstruction, VolumeInstruction, WorkdirInstruction,
} from './instructions';
import type { MultiStageDockerfile } from './multi-stage-dockerfile';
import type { OnBuildTrigger } from './on-build-trigger';
import type { Platform } from './platform';
import type { Port } from './port';
import { STAGE_NAME } from '../core/docker-names';
import { parseImageReference } from '../core/image-names';

/** Options of a build stage. */
export interface DockerfileStageOptions {
  /** What the stage starts from: an image, an earlier stage, or scratch. */
  readonly from: BaseImage;
  /**
   * The stage name (`FROM ... AS <name>`): lowercase, unique in the file.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The platform the stage is built for.
   * @default - the target platform
   */
  readonly platform?: Platform;
  /**
   * Accept that this stage's final user is root when it is the build target.
   * @default false
   */
  readonly allowRootUser?: boolean;
  /**
   * Environment variables the base image is known to define, so `${NAME}` references to them pass the
   * UndefinedVar check (PATH, HOME and HOSTNAME are always known).
   * @default []
   */
  readonly baseImageVariables?: string[];
}

/**
 * A `FROM` build stage of a MultiStageDockerfile with a typed method per instruction.
 * Other stages are passed as objects, never as names.
 */
export class DockerfileStage extends Construct {
  /** Whether `x` is a DockerfileStage. */
  public static isDockerfileStage(x: unknown): x is DockerfileStage {
    return x instanceof DockerfileStage;
  }

  /** The name of the stage (`FROM ... AS <name>`). */
  public readonly stageName: string;
  /** The Dockerfile this stage belongs to. */
  public readonly dockerfile: MultiStageDockerfile;
  /** What the stage starts from. */
  public readonly from: BaseImage;
  /** The platform, if set. */
  public readonly platform?: Platform;
  /** @internal */
  public readonly _instructions: Instruction[] = [];
  private readonly allowRootUser: boolean;
  private readonly baseImageVariables: string[];
  private readonly position: number;

  constructor(dockerfile: MultiStageDockerfile, id: string, options: DockerfileStageOptions) {
    super(dockerfile, id);
    this.dockerfile = dockerfile;
    this.stageName = options.name ?? id;
    this.from = options.from;
    this.platform = options.platform;
    this.allowRootUser = options.allowRootUser ?? false;
    this.baseImageVariables = options.baseImageVariables ?? [];
    this.position = dockerfile._registerStage(this);
    this.node.addValidation({ validate: () => this._validate() });
  }

  /** Adds a comment (each line prefixed with `#`) before the next instruction. */
  public comment(text: string): DockerfileStage {
    return this.push(new CommentInstruction(text));
  }

  /** `ARG name[=default]`: a build argument of this stage. */
  public arg(name: string, defaultValue?: string, options: VariableOptions = {}): DockerfileStage {
    if (options.description) this.comment(options.description);
    return this.push(new ArgInstruction(name, defaultValue, options));
  }

  /** `ENV name="value"`: the value is literal unless `expandVariables` is set. */
  public env(name: string, value: string, options: VariableOptions = {}): DockerfileStage {
    if (options.description) this.comment(options.description);
    return this.push(new EnvInstruction(name, value, options));
  }

  /** `LABEL key="value"`. */
  public label(key: string, value: string): DockerfileStage {
    return this.push(new LabelInstruction(key, value));
  }

  /** `WORKDIR`: must be absolute. */
  public workdir(path: string, options: WorkdirOptions = {}): DockerfileStage {
    return this.push(new WorkdirInstruction(path, options.expandVariables ?? false));
  }

  /** `RUN` in shell form: one line, run by the image's shell. */
  public run(command: string, options: RunOptions = {}): DockerfileStage {
    return this.push(new RunInstruction('shell', command, options));
  }

  /** `RUN` in exec form: no shell. */
  public runExec(command: string[], options: RunOptions = {}): DockerfileStage {
    return this.push(new RunInstruction('exec', [...command], options));
  }

  /** `RUN <<'EOF'`: a multi-line script as a heredoc, run by the image's shell (or its shebang). */
  public runScript(script: string, options: RunOptions = {}): DockerfileStage {
    return this.push(new RunInstruction('heredoc', script, options));
  }

  /** `COPY` of paths from the build context, an earlier stage or an image. */
  public copy(sources: string[], destination: string, options: CopyOptions = {}): DockerfileStage {
    return this.push(new CopyInstruction('COPY', [...sources], destination, copySettings(options)));
  }

  /** `COPY <<'EOF' destination`: writes `content` to a file (a newline is added when missing). */
  public copyContent(content: string, destination: string, options: CopyOptions = {}): DockerfileStage {
    return this.push(new CopyContentInstruction(content, destination, copySettings(options)));
  }

  /** `ADD`: only for URLs, git repositories and archives to extract (otherwise use copy()). */
  public add(sources: string[], destination: string, options: AddOptions = {}): DockerfileStage {
    return this.push(new CopyInstruction('ADD', [...sources], destination, { ...copySettings(options), checksum: options.checksum }));
  }

  /** `USER user[:group]`: numeric ids are recommended (Kubernetes runAsNonRoot can verify them). */
  public user(user: string, group?: string): DockerfileStage {
    return this.push(new UserInstruction(user, group));
  }

  /** `EXPOSE`. */
  public expose(...ports: Port[]): DockerfileStage {
    return this.push(new ExposeInstruction(ports));
  }

  /** `VOLUME`. */
  public volume(...paths: string[]): DockerfileStage {
    return this.push(new VolumeInstruction(paths));
  }

  /** `HEALTHCHECK` (or `HEALTHCHECK NONE`). */
  public healthcheck(check: HealthCheck): DockerfileStage {
    return this.push(new HealthcheckInstruction({
      execCommand: check.execCommand ? [...check.execCommand] : undefined,
      shellCommand: check.shellCommand,
      options: { ...check.options },
    }));
  }

  /** `ENTRYPOINT` in exec form. */
  public entrypoint(command: string[]): DockerfileStage {
    return this.push(new CommandInstruction('ENTRYPOINT', [...command], undefined));
  }

  /** `ENTRYPOINT` in shell form: signals do not reach the process; the file skips JSONArgsRecommended. */
  public entrypointShell(command: string): DockerfileStage {
    return this.push(new CommandInstruction('ENTRYPOINT', undefined, command));
  }

  /** `CMD` in exec form. */
  public cmd(command: string[]): DockerfileStage {
    return this.push(new CommandInstruction('CMD', [...command], undefined));
  }

  /** `CMD` in shell form: signals do not reach the process; the file skips JSONArgsRecommended. */
  public cmdShell(command: string): DockerfileStage {
    return this.push(new CommandInstruction('CMD', undefined, command));
  }

  /** `SHELL`: the shell used by later shell-form instructions. */
  public shell(command: string[]): DockerfileStage {
    return this.push(new ShellInstruction([...command]));
  }

  /** `STOPSIGNAL`: a signal name such as SIGTERM, or a number. */
  public stopSignal(signal: string): DockerfileStage {
    return this.push(new StopSignalInstruction(signal));
  }

  /** `ONBUILD`: an instruction run when this image is used as a base. */
  public onBuild(trigger: OnBuildTrigger): DockerfileStage {
    return this.push(new OnBuildInstruction(trigger._instruction));
  }

  /** The user the stage's processes run as: the last USER, inherited from a stage base, else undefined (root). */
  public get effectiveUser(): string | undefined {
    for (let i = this._instructions.length - 1; i >= 0; i--) {
      const inst = this._instructions[i];
      if (inst instanceof UserInstruction) return inst.render().slice('USER '.length);
    }
    return this.from.stage?.effectiveUser;
  }

  /** Index of this stage in its Dockerfile. */
  public get index(): number {
    return this.position;
  }

  /** @internal */
  public _renderFrom(): string {
    const platform = this.platform ? `--platform=${this.platform.value} ` : '';
    const base = this.from.stage ? this.from.stage.stageName : this._imageReference();
    return `FROM ${platform}${base} AS ${this.stageName}`;
  }

  /** The image reference the `FROM` renders: locked by digest when the project locks it (see from-reference.ts). @internal */
  public _imageReference(): string | undefined {
    const reference = this.from.reference;
    return reference === undefined ? undefined : renderedFromReference(reference, this.dockerfile._globalArgs, this);
  }

  private push(instruction: Instruction): DockerfileStage {
    this._instructions.push(instruction);
    return this;
  }

  /** @internal */
  public _validate(): string[] {
    const problems: string[] = [];
    const problem = (m: string) => problems.push(m);
    const df = this.dockerfile;
    const myIndex = this.index;
    if (!STAGE_NAME.test(this.stageName)) {
      problem(`stage name "${this.stageName}" must be lowercase letters, digits, ".", "_" or "-", starting with a letter (BuildKit StageNameCasing); pass name: "${this.stageName.toLowerCase().replace(/[^a-z0-9._-]/g, '-').replace(/^[^a-z]+/, '') || 'stage'}"`);
    }
    if (['scratch', 'context'].includes(this.stageName)) {
      problem(`stage name "${this.stageName}" is reserved (BuildKit ReservedStageName); choose another name`);
    }
    const dup = df.stages.find(s => s !== this && s.stageName === this.stageName);
    if (dup && dup.index < myIndex) {
      problem(`stage name "${this.stageName}" is already used by ${dup.node.path} (BuildKit DuplicateStageName, hadolint DL3024); give one of them another name`);
    }
    const reference = (stage: DockerfileStage, how: string) => {
      if (stage === this) problem(`${how} refers to the stage itself (hadolint DL3023); refer to an earlier stage`);
      else if (stage.dockerfile !== df) problem(`${how} refers to stage ${stage.node.path} of another Dockerfile; only stages of ${df.node.path} can be used`);
      else if (stage.index > myIndex) problem(`${how} refers to stage "${stage.stageName}", which is defined later (a forward reference or cycle); define "${stage.stageName}" before "${this.stageName}"`);
    };
    // FROM
    if (this.from.stage) {
      reference(this.from.stage, 'FROM');
    } else if (this.from.reference !== undefined) {
      this.validateImage(this.from.reference, problem);
    }
    if (this.platform) {
      const p = this.platform._problem();
      if (p) problem(p);
    }
    // instructions, in order, with the variables in scope
    const variables = new Set<string>(['PATH', 'HOME', 'HOSTNAME', ...this.baseImageVariables, ...this.inheritedEnv()]);
    const ctx: ValidationContext & { hasWorkdir: boolean } = {
      stage: this, variables, hasWorkdir: this.inheritsWorkdir(), problem, reference,
    };
    const counts: Record<string, number> = { CMD: 0, ENTRYPOINT: 0, HEALTHCHECK: 0 };
    for (const inst of this._instructions) {
      inst.validate(ctx);
      const keyword = inst.keyword;
      if (keyword === 'WORKDIR') ctx.hasWorkdir = true;
      else if (keyword === 'CMD' || keyword === 'ENTRYPOINT' || keyword === 'HEALTHCHECK') counts[keyword]++;
    }
    for (const [keyword, rule] of [['CMD', 'DL4003'], ['ENTRYPOINT', 'DL4004'], ['HEALTHCHECK', 'DL3012']]) {
      if (counts[keyword] > 1) {
        problem(`stage "${this.stageName}" has ${counts[keyword]} ${keyword} instructions (BuildKit MultipleInstructionsDisallowed, hadolint ${rule}); only the last takes effect, keep one`);
      }
    }
    if (df.target === this && !this.allowRootUser) {
      const user = this.effectiveUser;
      const name = user?.split(':')[0];
      if (name === undefined || name === 'root' || /^0+$/.test(name)) {
        problem(`the build target "${this.stageName}" runs as ${user === undefined ? 'root (no USER instruction)' : `"${user}"`} (hadolint DL3002); add stage.user('10001', '10001') with a numeric non-root UID, or pass allowRootUser: true`);
      }
    }
    return problems;
  }

  private validateImage(reference: string, problem: (m: string) => void) {
    if (reference === 'scratch') return;
    const from = resolveFromReference(reference, this.dockerfile._globalArgs);
    if (from.problem) {
      problem(from.problem);
      return;
    }
    const resolved = from.resolved;
    const parsed = parseImageReference(resolved);
    if (typeof parsed === 'string') {
      problem(`FROM ${parsed}`);
    } else if (!this.from.allowUnpinned) {
      if (!parsed.tag && !parsed.digest) {
        problem(`FROM "${reference}" has no tag (hadolint DL3006); pin a version such as "${resolved}:<version>" or a digest, or pass allowUnpinned: true`);
      } else if (parsed.tag === 'latest' && !parsed.digest) {
        problem(`FROM "${reference}" uses the "latest" tag (hadolint DL3007); pin a version or a digest, or pass allowUnpinned: true`);
      }
    }
    if (typeof parsed !== 'string') {
      const lock = fromLockProblem(reference, from, this);
      if (lock) problem(lock);
    }
  }

  private inheritedEnv(): string[] {
    const names: string[] = [];
    for (let s = this.from.stage; s; s = s.from.stage) {
      for (const i of s._instructions) if (i instanceof EnvInstruction) names.push(i.name);
      names.push(...s.baseImageVariables);
    }
    return names;
  }

  private inheritsWorkdir(): boolean {
    for (let s = this.from.stage; s; s = s.from.stage) {
      if (s._instructions.some(i => i instanceof WorkdirInstruction)) return true;
    }
    return false;
  }
}

function copySettings(options: CopyOptions) {
  return {
    from: options.from ? { stage: options.from.sourceStage, image: options.from.sourceImage, contextName: options.from.contextName } : undefined,
    chown: options.chown,
    chmod: options.chmod,
    link: options.link,
    expandVariables: options.expandVariables,
  };
}

// keep BaseImage referenced for jsii's type graph
void BaseImage;
