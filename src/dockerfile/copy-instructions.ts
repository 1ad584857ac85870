/**
 * COPY and ADD: sources, destination and flags (from a stage, an image or a named context; owner,
 * mode, link, checksum), and COPY of inline content as a heredoc.
 */
import { checkHeredocBody, heredoc } from './command-text';
import type { Instruction, ValidationContext } from './instruction';
import { checkReferences } from './instructions';
import type { DockerfileStage } from './stage';
import { isPlainWord, jsonArray, opensHeredoc, pathProblem, unsafeTextProblem } from './text';
import { parseImageReference } from '../core/image-names';

export interface CopySettings {
  readonly from?: { stage?: DockerfileStage; image?: string; contextName?: string };
  readonly chown?: string;
  readonly chmod?: string;
  readonly link?: boolean;
  readonly expandVariables?: boolean;
  readonly checksum?: string;
}

const OWNER = /^(?:[a-z_][a-z0-9_-]*[$]?|\d+)(?::(?:[a-z_][a-z0-9_-]*|\d+))?$/;
const ARCHIVE_OR_URL = /^(?:https?:\/\/|git@)|\.(?:tar|tgz|tar\.gz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i;

/** A symbolic mode as chmod(1) and BuildKit's COPY --chmod (Dockerfile 1.10+) take it: `u=rwX,go=rX`. */
const SYMBOLIC_MODE = /^[ugoa]*[-+=][rwxXst]*(?:,[ugoa]*[-+=][rwxXst]*)*$/;

/** Validates (with `ctx`) or renders (each flag followed by a space) the flags of a COPY/ADD. */
function copyFlags(keyword: string, settings: CopySettings, ctx?: ValidationContext): string {
  const from = settings.from;
  if (ctx) {
    if (from?.stage) {
      ctx.reference(from.stage, `${keyword} --from`);
    } else if (from?.image !== undefined) {
      const parsed = parseImageReference(from.image);
      if (typeof parsed === 'string') ctx.problem(`${keyword} --from image ${parsed}`);
      else if (!parsed.tag && !parsed.digest) ctx.problem(`${keyword} --from image "${from.image}" has no tag or digest (hadolint DL3006); pin it`);
    } else if (from?.contextName !== undefined && !/^[a-z0-9][a-z0-9._-]*$/.test(from.contextName)) {
      ctx.problem(`${keyword} --from context name "${from.contextName}" must be lowercase letters, digits, ".", "_" or "-"`);
    }
    if (settings.chown !== undefined && !OWNER.test(settings.chown)) ctx.problem(`${keyword} --chown "${settings.chown}" must be user[:group] as names or numeric ids, e.g. "10001:10001"`);
    if (settings.chmod !== undefined && !/^0?[0-7]{3}$/.test(settings.chmod) && !SYMBOLIC_MODE.test(settings.chmod)) {
      ctx.problem(`${keyword} --chmod "${settings.chmod}" must be an octal mode such as 0644 or 755, or a symbolic one such as u=rwX,go=rX`);
    }
    if (settings.checksum !== undefined && !/^sha256:[0-9a-f]{64}$/.test(settings.checksum)) ctx.problem(`${keyword} --checksum "${settings.checksum}" must be sha256:<64 hex digits>`);
    return '';
  }
  let out = '';
  if (from?.stage) out += `--from=${from.stage.stageName} `;
  else if (from?.image !== undefined) out += `--from=${from.image} `;
  else if (from?.contextName !== undefined) out += `--from=${from.contextName} `;
  if (settings.chown !== undefined) out += `--chown=${settings.chown} `;
  if (settings.chmod !== undefined) out += `--chmod=${settings.chmod} `;
  if (settings.checksum !== undefined) out += `--checksum=${settings.checksum} `;
  if (settings.link) out += '--link ';
  return out;
}

/** An ADD URL reaches BuildKit's word lexer too: `$`, quotes, backslashes and whitespace must be percent-encoded. */
function urlProblem(url: string): string | undefined {
  const unsafe = unsafeTextProblem(url, 'ADD source URL');
  if (unsafe) return unsafe;
  const m = /[$"'\\\s]/.exec(url);
  return m ? `ADD source URL ${JSON.stringify(url)} contains ${JSON.stringify(m[0])}, which BuildKit would expand or read as quoting; percent-encode it (${m[0] === "'" ? '%27' : encodeURIComponent(m[0])})` : undefined;
}

/** `COPY`/`ADD` of paths. */
export class CopyInstruction implements Instruction {
  constructor(
    public readonly keyword: 'COPY' | 'ADD',
    private readonly sources: string[],
    private readonly destination: string,
    private readonly settings: CopySettings,
  ) {}
  public validate(ctx: ValidationContext): void {
    copyFlags(this.keyword, this.settings, ctx);
    const expand = !!this.settings.expandVariables;
    if (!Array.isArray(this.sources) || this.sources.length === 0) ctx.problem(`${this.keyword} needs at least one source`);
    for (const s of this.sources ?? []) {
      const p = this.keyword === 'ADD' && /^https?:\/\//.test(s) ? urlProblem(s) : pathProblem(s, `${this.keyword} source`, expand);
      if (p) {ctx.problem(p);} else if (!this.settings.from && (s === '..' || s.startsWith('../') || s.includes('/../') || s.endsWith('/..'))) {
        ctx.problem(`${this.keyword} source "${s}" leaves the build context; sources are relative to the context root`);
      }
      if (expand) checkReferences(ctx, `${this.keyword} source`, s);
    }
    const d = pathProblem(this.destination, `${this.keyword} destination`, expand);
    if (d) {ctx.problem(d);} else {
      if (expand) checkReferences(ctx, `${this.keyword} destination`, this.destination);
      if (this.sources.length > 1 && !this.destination.endsWith('/')) {
        ctx.problem(`${this.keyword} with several sources needs a destination ending in "/" (hadolint DL3021): use "${this.destination}/"`);
      }
      if (!this.destination.startsWith('/') && !this.destination.startsWith('$') && !ctx.hasWorkdir) {
        ctx.problem(`${this.keyword} destination "${this.destination}" is relative but the stage has no WORKDIR (hadolint DL3045); call stage.workdir('/app') first or use an absolute path`);
      }
    }
    if (this.keyword === 'ADD' && this.sources.every(s => !ARCHIVE_OR_URL.test(s))) {
      ctx.problem(`ADD of plain files ${JSON.stringify(this.sources)} (hadolint DL3020): use copy(); ADD is for URLs, git repositories and archives to extract`);
    }
  }
  public render(): string {
    // plain words unless one could be read as a flag (`--from=...`), the JSON form, or a heredoc (`<<EOF`)
    let plain = isPlainArgument(this.destination);
    for (let i = 0; plain && i < this.sources.length; i++) plain = isPlainArgument(this.sources[i]);
    const body = plain ? `${this.sources.join(' ')} ${this.destination}` : jsonArray([...this.sources, this.destination]);
    return `${this.keyword} ${copyFlags(this.keyword, this.settings)}${body}`;
  }
}

/** A COPY/ADD argument written as a plain word: no whitespace or quote, not read as a flag, the JSON form or a heredoc. */
function isPlainArgument(a: string): boolean {
  return isPlainWord(a) && !/^[-[\]]/.test(a) && !a.includes('<<');
}

/** `COPY <<'EOF' /dest` with inline file content. */
export class CopyContentInstruction implements Instruction {
  public readonly keyword = 'COPY';
  constructor(private readonly content: string, private readonly destination: string, private readonly settings: CopySettings) {}
  public validate(ctx: ValidationContext): void {
    copyFlags('COPY', this.settings, ctx);
    checkHeredocBody(ctx, 'COPY content', this.content);
    const d = pathProblem(this.destination, 'COPY destination');
    if (d) ctx.problem(d);
    else if (!isPlainWord(this.destination)) ctx.problem(`COPY content destination "${this.destination}" must not contain whitespace or quotes`);
    else if (opensHeredoc(this.destination)) ctx.problem(`COPY content destination "${this.destination}" starts with "<<" and would open a second heredoc; choose another file name`);
    else if (this.destination.endsWith('/')) ctx.problem(`COPY content destination "${this.destination}" must be a file path, not a directory`);
    else if (!this.destination.startsWith('/') && !ctx.hasWorkdir) ctx.problem(`COPY destination "${this.destination}" is relative but the stage has no WORKDIR (hadolint DL3045)`);
  }
  public render(): string {
    const [open, body] = heredoc(this.content);
    return `COPY ${copyFlags('COPY', this.settings)}${open} ${this.destination}\n${body}`;
  }
}

