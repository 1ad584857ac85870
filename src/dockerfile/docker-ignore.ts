import { unsafeTextProblem } from './text';
import { TextKind } from '../core/text-rules';

/** Where BuildKit reads the ignore file from. */
export enum IgnoreFilePlacement {
  /** `<Dockerfile path>.dockerignore`, beside the Dockerfile: each Dockerfile can have its own. */
  BESIDE_DOCKERFILE = 'beside-dockerfile',
  /** `.dockerignore` at the root of the build context, shared by every Dockerfile using that context. */
  CONTEXT_ROOT = 'context-root',
}

/** Options of the ignore file of a Dockerfile. */
export interface DockerIgnoreOptions {
  /**
   * Patterns to exclude from the build context (`!pattern` re-includes).
   * @default - DEFAULT_IGNORE_PATTERNS: `.git`, `node_modules`, logs, `.env` files, the `infra` folder,
   *   Terraform/cdktf state and working folders, private keys and certificates
   */
  readonly patterns?: string[];
  /**
   * Where the file is written.
   * @default IgnoreFilePlacement.BESIDE_DOCKERFILE
   */
  readonly placement?: IgnoreFilePlacement;
  /**
   * Write no ignore file at all.
   * @default false
   */
  readonly disabled?: boolean;
}

/**
 * What never belongs in a build context, and so never in an image layer: VCS metadata, dependencies of
 * the host, logs, `.env` files, the infrastructure code and Terraform's state (which holds secrets in
 * plain text), and private keys and certificates. `.dockerignore` syntax (Go `filepath.Match` globs
 * where `**` matches any number of folders, itself included); BuildKit drops a trailing "/", so folders are
 * written without one.
 */
export const INFRA_AND_SECRET_PATTERNS = [
  'infra',
  '**/*.tfstate',
  '**/*.tfstate.*',
  '**/.terraform',
  '**/cdktf.out',
  '**/*.pem',
  '**/*.key',
  '**/id_rsa*',
  '**/*.p12',
];

/** The default patterns: what never belongs in a build context. */
export const DEFAULT_IGNORE_PATTERNS = ['.git', 'node_modules', '**/*.log', '.env', '.env.*', ...INFRA_AND_SECRET_PATTERNS];

/** The ignore patterns of a Dockerfile's build context. */
export class DockerIgnore {
  /** Where the file is written. */
  public readonly placement: IgnoreFilePlacement;
  /** Whether a file is written. */
  public readonly enabled: boolean;
  private readonly patterns: string[];

  constructor(options: DockerIgnoreOptions = {}) {
    this.placement = options.placement ?? IgnoreFilePlacement.BESIDE_DOCKERFILE;
    this.enabled = !options.disabled;
    this.patterns = [...(options.patterns ?? DEFAULT_IGNORE_PATTERNS)];
  }

  /** Adds patterns (duplicates are dropped). */
  public addPatterns(...patterns: string[]): void {
    for (const p of patterns) {
      if (!this.patterns.includes(p)) this.patterns.push(p);
    }
  }

  /** The patterns, in order. */
  public get allPatterns(): string[] {
    return [...this.patterns];
  }

  /** @internal */
  public _problems(): string[] {
    const problems: string[] = [];
    for (const p of this.patterns) {
      const unsafe = unsafeTextProblem(p, 'ignore pattern', TextKind.NAME);
      if (unsafe) problems.push(unsafe);
      else if (p.trim() !== p || p.length === 0) problems.push(`ignore pattern ${JSON.stringify(p)} is empty or has surrounding whitespace, which BuildKit trims; remove it`);
      else if (p.startsWith('#')) problems.push(`ignore pattern "${p}" starts with "#" and would be read as a comment; escape the file name differently (e.g. "[#]${p.slice(1)}")`);
    }
    return problems;
  }

  /** The file content. */
  public render(): string {
    return `${this.patterns.join('\n')}\n`;
  }
}
