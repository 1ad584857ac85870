/**
 * The instruction implementations behind DockerfileStage's methods. Internal:
 * users reach them only through the typed methods of DockerfileStage.
 */
import { checkExec, checkHeredocBody, checkShell, firstShellWord, heredoc, shellWords, SPACE_SEPARATED } from './command-text';
import type { Instruction, ValidationContext } from './instruction';
import type { VariableOptions } from './instruction-options';
import type { RunMount, RunNetwork } from './run-mount';
import {
  DURATION, durationMs, expansionProblem, isPlainWord, jsonArray, looksSecret, opensHeredoc, pathProblem, quote, referencedVariables,
  signalProblem, unsafeTextProblem,
} from './text';
import { VARIABLE_NAME } from '../core/docker-names';

/** `# text` lines. */
export class CommentInstruction implements Instruction {
  public readonly keyword = '#';
  constructor(private readonly text: string) {}
  public validate(ctx: ValidationContext): void {
    // a comment may span lines; each line is prefixed with '#', so only other control characters are a problem
    for (const line of this.text.split('\n')) {
      const p = unsafeTextProblem(line, 'comment');
      if (p) ctx.problem(p);
    }
  }
  public render(): string {
    return this.text.split('\n').map(l => (l.length ? `# ${l}` : '#')).join('\n');
  }
}

/** Shared checks for a variable name and its value (ARG, ENV). */
function checkVariable(ctx: ValidationContext, keyword: string, name: string, value: string | undefined, expand: boolean, allowSecret: boolean) {
  if (!VARIABLE_NAME.test(name)) {
    ctx.problem(`${keyword} name ${JSON.stringify(name)} is not a valid name; use letters, digits and underscores (KEY=value form)`);
  } else if (looksSecret(name) && !allowSecret) {
    ctx.problem(`${keyword} ${name} looks like a secret (BuildKit SecretsUsedInArgOrEnv): build args and env vars stay in the image history; mount it with RunMount.secret({ id: '${name.toLowerCase()}' }) instead, or pass allowSecretName: true if it is not a secret`);
  }
  if (value !== undefined) {
    const p = unsafeTextProblem(value, `${keyword} ${name} value`);
    if (p) {ctx.problem(p);} else if (expand) {
      const e = expansionProblem(value, `${keyword} ${name} value`);
      if (e) ctx.problem(e);
      else checkReferences(ctx, `${keyword} ${name}`, value);
    }
  }
}

/** Every `${NAME}` in an expanded value must be declared earlier (BuildKit UndefinedVar). */
export function checkReferences(ctx: ValidationContext, where: string, value: string) {
  for (const name of referencedVariables(value)) {
    if (!ctx.variables.has(name)) {
      ctx.problem(`${where} references \${${name}}, which is not declared in this stage (BuildKit UndefinedVar); declare it first with stage.arg('${name}') or stage.env('${name}', ...)`);
    }
  }
}

/** `ARG NAME[="default"]`. */
export class ArgInstruction implements Instruction {
  public readonly keyword = 'ARG';
  public readonly skipChecks?: string[];
  constructor(public readonly name: string, public readonly defaultValue: string | undefined, public readonly options: VariableOptions) {
    this.skipChecks = options.allowSecretName && looksSecret(name) ? ['SecretsUsedInArgOrEnv'] : undefined;
  }
  public validate(ctx: ValidationContext): void {
    checkVariable(ctx, 'ARG', this.name, this.defaultValue, !!this.options.expandVariables, !!this.options.allowSecretName);
    ctx.variables.add(this.name);
  }
  public render(): string {
    const v = this.defaultValue === undefined ? '' : `=${quote(this.defaultValue, this.options.expandVariables)}`;
    return `ARG ${this.name}${v}`;
  }
}

/** `ENV NAME="value"`. */
export class EnvInstruction implements Instruction {
  public readonly keyword = 'ENV';
  public readonly skipChecks?: string[];
  constructor(public readonly name: string, public readonly value: string, public readonly options: VariableOptions) {
    this.skipChecks = options.allowSecretName && looksSecret(name) ? ['SecretsUsedInArgOrEnv'] : undefined;
  }
  public validate(ctx: ValidationContext): void {
    checkVariable(ctx, 'ENV', this.name, this.value, !!this.options.expandVariables, !!this.options.allowSecretName);
    ctx.variables.add(this.name);
  }
  public render(): string {
    return `ENV ${this.name}=${quote(this.value, this.options.expandVariables)}`;
  }
}

const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** `LABEL key="value"`. */
export class LabelInstruction implements Instruction {
  public readonly keyword = 'LABEL';
  constructor(private readonly key: string, private readonly value: string) {}
  public validate(ctx: ValidationContext): void {
    if (!LABEL_KEY.test(this.key)) {
      ctx.problem(`LABEL key ${JSON.stringify(this.key)} must match ${LABEL_KEY.source} (e.g. org.opencontainers.image.source)`);
    }
    const p = unsafeTextProblem(this.value, `LABEL ${this.key} value`);
    if (p) ctx.problem(p);
  }
  public render(): string {
    return `LABEL ${this.key}=${quote(this.value)}`;
  }
}

/** `WORKDIR /abs/path`. */
export class WorkdirInstruction implements Instruction {
  public readonly keyword = 'WORKDIR';
  constructor(public readonly path: string, private readonly expand: boolean) {}
  public validate(ctx: ValidationContext): void {
    const p = pathProblem(this.path, 'WORKDIR', this.expand);
    if (p) return ctx.problem(p);
    if (!isPlainWord(this.path)) {
      ctx.problem(`WORKDIR ${JSON.stringify(this.path)} contains whitespace or quotes; choose a plain absolute path`);
    }
    if (!this.path.startsWith('/') && !/^\$\{?[A-Za-z_]/.test(this.path)) {
      ctx.problem(`WORKDIR "${this.path}" is relative (BuildKit WorkdirRelativePath, hadolint DL3000): it depends on the base image's directory; use an absolute path such as "/app"`);
    }
    if (this.expand) checkReferences(ctx, 'WORKDIR', this.path);
  }
  public render(): string {
    return `WORKDIR ${this.path}`;
  }
}

export interface RunSettings {
  readonly mounts?: RunMount[];
  readonly network?: RunNetwork;
}

const NETWORKS = new Set<string>(['default', 'none', 'host']);

/** Validates (with `ctx`) or renders (each flag followed by a space) the flags of a RUN. */
function runFlags(ctx: ValidationContext | undefined, settings: RunSettings): string {
  const mounts = settings.mounts ?? [];
  const network = settings.network;
  if (ctx) {
    for (const m of mounts) {
      for (const p of m._problems()) ctx.problem(`RUN ${p}`);
      if (m.fromStage) ctx.reference(m.fromStage, 'RUN --mount=type=bind,from=');
    }
    if (network !== undefined && !NETWORKS.has(network)) ctx.problem(`RUN network ${JSON.stringify(network)} must be RunNetwork.DEFAULT, NONE or HOST`);
    return '';
  }
  let out = '';
  for (const m of mounts) out += `${m._render()} `;
  if (network && network !== 'default') out += `--network=${network} `;
  return out;
}

/** `RUN` in shell form, exec form or as a heredoc script. */
export class RunInstruction implements Instruction {
  public readonly keyword = 'RUN';
  constructor(
    private readonly form: 'shell' | 'exec' | 'heredoc',
    private readonly command: string | string[],
    private readonly settings: RunSettings,
  ) {}
  /** The mounts of this RUN. */
  public get mounts(): readonly RunMount[] {
    return this.settings.mounts ?? [];
  }
  public validate(ctx: ValidationContext): void {
    runFlags(ctx, this.settings);
    if (this.form === 'exec') {
      checkExec(ctx, 'RUN', this.command as string[]);
    } else if (this.form === 'shell') {
      checkShell(ctx, 'RUN', this.command as string);
      // BuildKit opens a heredoc at any unquoted word `<<EOF`/`2<<EOF` of a RUN line and reads the following
      // lines (our next instructions) as its body; dockerfile-ast does so even inside quotes or after `\`
      const command = typeof this.command === 'string' ? this.command : '';
      const word = command.includes('<') ? [...shellWords(command, / +/), ...shellWords(command, /\s+/)].find(opensHeredoc) : undefined;
      if (word) {
        ctx.problem(`RUN command ${JSON.stringify(this.command)} contains the heredoc operator "${word}", which would read the following lines as its body; use runScript() for a script`);
      }
      // dockerfile-ast (VS Code, dockerfile-utils) reads flags for as long as each word contains "--"
      const first = firstShellWord(command, SPACE_SEPARATED);
      if (first?.includes('--') && !first.startsWith('--')) {
        ctx.problem(`RUN command ${JSON.stringify(this.command)} starts with the word "${first}", whose "--" makes Dockerfile parsers read later "--" words as RUN flags; use runExec() or call the program differently`);
      }
    } else {
      checkHeredocBody(ctx, 'RUN script', this.command as string);
    }
  }
  public render(): string {
    const flags = runFlags(undefined, this.settings);
    if (this.form === 'exec') return `RUN ${flags}${jsonArray(this.command as string[])}`;
    if (this.form === 'shell') return `RUN ${flags}${this.command as string}`;
    const [open, body] = heredoc(this.command as string);
    return `RUN ${flags}${open}\n${body}`;
  }
}

const USER_OR_GROUP = /^(?:[a-z_][a-z0-9_-]*[$]?|\d+)$/;

/** `USER user[:group]`. */
export class UserInstruction implements Instruction {
  public readonly keyword = 'USER';
  constructor(public readonly user: string, public readonly group: string | undefined) {}
  public validate(ctx: ValidationContext): void {
    for (const [what, v] of [['user', this.user], ['group', this.group]] as const) {
      if (v !== undefined && !USER_OR_GROUP.test(v)) ctx.problem(`USER ${what} ${JSON.stringify(v)} must be a name (lowercase letters, digits, "_" or "-") or a numeric id`);
    }
  }
  public isRoot(): boolean {
    return this.user === 'root' || /^0+$/.test(this.user);
  }
  public render(): string {
    return `USER ${this.user}${this.group === undefined ? '' : `:${this.group}`}`;
  }
}

/** EXPOSE ports. */
export class ExposeInstruction implements Instruction {
  public readonly keyword = 'EXPOSE';
  constructor(private readonly ports: Array<{ _problem(): string | undefined; _render(): string }>) {}
  public validate(ctx: ValidationContext): void {
    if (this.ports.length === 0) ctx.problem('EXPOSE needs at least one port');
    for (const p of this.ports) {
      const m = p._problem();
      if (m) ctx.problem(m);
    }
  }
  public render(): string {
    return `EXPOSE ${this.ports.map(p => p._render()).join(' ')}`;
  }
}

/** `VOLUME ["/data"]`. */
export class VolumeInstruction implements Instruction {
  public readonly keyword = 'VOLUME';
  constructor(private readonly paths: string[]) {}
  public validate(ctx: ValidationContext): void {
    if (this.paths.length === 0) ctx.problem('VOLUME needs at least one path');
    for (const p of this.paths) {
      const m = pathProblem(p, 'VOLUME path') ?? (p.startsWith('/') ? undefined : `VOLUME path "${p}" must be absolute`);
      if (m) ctx.problem(m);
    }
  }
  public render(): string {
    return `VOLUME ${jsonArray(this.paths)}`;
  }
}

/** CMD or ENTRYPOINT, exec form unless explicitly shell form. */
export class CommandInstruction implements Instruction {
  public readonly skipChecks?: string[];
  constructor(public readonly keyword: 'CMD' | 'ENTRYPOINT', private readonly exec: string[] | undefined, private readonly shell: string | undefined) {
    this.skipChecks = shell !== undefined ? ['JSONArgsRecommended'] : undefined;
  }
  public validate(ctx: ValidationContext): void {
    if (this.exec) checkExec(ctx, this.keyword, this.exec);
    else checkShell(ctx, this.keyword, this.shell ?? '');
  }
  public render(): string {
    return `${this.keyword} ${this.exec ? jsonArray(this.exec) : this.shell}`;
  }
}

/** HEALTHCHECK. */
export class HealthcheckInstruction implements Instruction {
  public readonly keyword = 'HEALTHCHECK';
  constructor(private readonly check: { execCommand?: string[]; shellCommand?: string; options: Record<string, string | number | undefined> }) {}
  public validate(ctx: ValidationContext): void {
    const o = this.check.options;
    for (const key of ['interval', 'timeout', 'startPeriod', 'startInterval']) {
      const v = o[key];
      if (v === undefined) continue;
      if (typeof v !== 'string' || !DURATION.test(v)) ctx.problem(`HEALTHCHECK ${key} ${JSON.stringify(v)} is not a duration; use e.g. "30s", "1m30s" or "500ms"`);
      else if (key !== 'startPeriod' && durationMs(v) < 1) ctx.problem(`HEALTHCHECK ${key} "${v}" must be at least 1ms`);
    }
    if (o.retries !== undefined && (!Number.isInteger(o.retries) || (o.retries as number) < 1)) ctx.problem(`HEALTHCHECK retries ${o.retries} must be a positive integer`);
    if (this.check.execCommand) checkExec(ctx, 'HEALTHCHECK CMD', this.check.execCommand);
    else if (this.check.shellCommand !== undefined) checkShell(ctx, 'HEALTHCHECK CMD', this.check.shellCommand);
  }
  public isNone(): boolean {
    return !this.check.execCommand && this.check.shellCommand === undefined;
  }
  public render(): string {
    if (this.isNone()) return 'HEALTHCHECK NONE';
    const o = this.check.options;
    const flags = [
      o.interval !== undefined ? `--interval=${o.interval}` : '',
      o.timeout !== undefined ? `--timeout=${o.timeout}` : '',
      o.startPeriod !== undefined ? `--start-period=${o.startPeriod}` : '',
      o.startInterval !== undefined ? `--start-interval=${o.startInterval}` : '',
      o.retries !== undefined ? `--retries=${o.retries}` : '',
    ].filter(Boolean).join(' ');
    const cmd = this.check.execCommand ? jsonArray(this.check.execCommand) : this.check.shellCommand;
    return `HEALTHCHECK ${flags ? `${flags} ` : ''}CMD ${cmd}`;
  }
}

/** `SHELL ["/bin/sh", "-c"]`. */
export class ShellInstruction implements Instruction {
  public readonly keyword = 'SHELL';
  constructor(private readonly args: string[]) {}
  public validate(ctx: ValidationContext): void {
    checkExec(ctx, 'SHELL', this.args);
  }
  public render(): string {
    return `SHELL ${jsonArray(this.args)}`;
  }
}

/** `STOPSIGNAL`. */
export class StopSignalInstruction implements Instruction {
  public readonly keyword = 'STOPSIGNAL';
  constructor(private readonly signal: string) {}
  public validate(ctx: ValidationContext): void {
    const p = signalProblem(this.signal);
    if (p) ctx.problem(`STOPSIGNAL ${p}`);
  }
  public render(): string {
    return `STOPSIGNAL ${this.signal}`;
  }
}

/** `ONBUILD <instruction>`. */
export class OnBuildInstruction implements Instruction {
  public readonly keyword = 'ONBUILD';
  constructor(private readonly trigger: Instruction) {}
  public validate(ctx: ValidationContext): void {
    this.trigger.validate(ctx);
  }
  public render(): string {
    return `ONBUILD ${this.trigger.render()}`;
  }
}
