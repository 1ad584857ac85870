import type { DockerfileStage } from './stage';
import { pathProblem, unsafeTextProblem } from './text';
import { VARIABLE_NAME } from '../core/docker-names';
import { CONTROL_CLASS, INVISIBLE_CLASS, SURROGATE_CLASS, TextKind } from '../core/text-rules';

/** How a cache mount is shared between concurrent builds. */
export enum CacheSharing {
  /** Concurrent writers share the cache (BuildKit's default). */
  SHARED = 'shared',
  /** Each writer gets a new cache when it is in use. */
  PRIVATE = 'private',
  /** Writers wait for each other. */
  LOCKED = 'locked',
}

/** Ownership and mode of a mounted directory or file. */
export interface MountOwnershipOptions {
  /**
   * Mode, in octal (e.g. `0755`).
   * @default - BuildKit's default (0755 for cache, 0400 for secrets)
   */
  readonly mode?: string;
  /**
   * Numeric user id.
   * @default 0
   */
  readonly uid?: number;
  /**
   * Numeric group id.
   * @default 0
   */
  readonly gid?: number;
}

/** A `--mount=type=cache` mount: a directory that persists between builds (package caches). */
export interface CacheMountOptions extends MountOwnershipOptions {
  /** Where the cache is mounted, an absolute path. */
  readonly target: string;
  /**
   * Cache id; mounts with the same id share content.
   * @default - the target path
   */
  readonly id?: string;
  /**
   * Sharing mode.
   * @default CacheSharing.SHARED
   */
  readonly sharing?: CacheSharing;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** A `--mount=type=bind` mount: files of the build context or of another stage, visible only during the RUN. */
export interface BindMountOptions {
  /** Where the files are mounted, an absolute path. */
  readonly target: string;
  /**
   * Path in the source to mount.
   * @default - the root of the source
   */
  readonly source?: string;
  /**
   * An earlier stage to mount from (passed as the object, never as a name).
   * @default - the build context
   */
  readonly from?: DockerfileStage;
  /**
   * Allow writes (they are discarded after the RUN).
   * @default false
   */
  readonly readWrite?: boolean;
}

/** A `--mount=type=secret` mount: a build secret that never lands in a layer. */
export interface SecretMountOptions extends MountOwnershipOptions {
  /** Secret id, as given to `docker build --secret id=...`. */
  readonly id: string;
  /**
   * File the secret is mounted at.
   * @default /run/secrets/<id>
   */
  readonly target?: string;
  /**
   * Expose the secret as this environment variable instead of (or as well as) a file.
   * @default - not exposed as a variable
   */
  readonly env?: string;
  /**
   * Fail the build when the secret is not given.
   * @default false
   */
  readonly required?: boolean;
}

/** A `--mount=type=ssh` mount: access to the builder's SSH agent. */
export interface SshMountOptions extends MountOwnershipOptions {
  /**
   * SSH agent id, as given to `docker build --ssh`.
   * @default default
   */
  readonly id?: string;
  /**
   * Socket path.
   * @default /run/buildkit/ssh_agent.${N}
   */
  readonly target?: string;
  /**
   * Fail the build when the agent is not available.
   * @default false
   */
  readonly required?: boolean;
}

/** A `--mount=type=tmpfs` mount. */
export interface TmpfsMountOptions {
  /** Where the tmpfs is mounted, an absolute path. */
  readonly target: string;
  /**
   * Size limit in bytes.
   * @default - no limit
   */
  readonly sizeBytes?: number;
}

const MOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
/** An absolute path every check of a `path` field accepts (no whitespace, comma, quote, `$`, `\\`, control, invisible or surrogate). */
const PLAIN_ABSOLUTE = new RegExp(`^/[^\\s,"'$\\\\${CONTROL_CLASS}${INVISIBLE_CLASS}${SURROGATE_CLASS}]*$`);
const SHARING = new Set<string>(['shared', 'private', 'locked']);

/** A `RUN --mount=...` mount. */
export class RunMount {
  /** A cache mount (`type=cache`). */
  public static cache(options: CacheMountOptions): RunMount {
    return new RunMount('cache', [
      ['target', options.target, 'path'],
      ['id', options.id, 'id'],
      ['sharing', options.sharing, 'sharing'],
      ['ro', options.readOnly ? 'true' : undefined, 'raw'],
      ...ownership(options),
    ]);
  }

  /** A bind mount (`type=bind`), from the build context or from an earlier stage. */
  public static bind(options: BindMountOptions): RunMount {
    return new RunMount('bind', [
      ['target', options.target, 'path'],
      ['source', options.source, 'relpath'],
      ['rw', options.readWrite ? 'true' : undefined, 'raw'],
    ], options.from);
  }

  /** A secret mount (`type=secret`). */
  public static secret(options: SecretMountOptions): RunMount {
    return new RunMount('secret', [
      ['id', options.id, 'id'],
      ['target', options.target, 'path'],
      ['env', options.env, 'env'],
      ['required', options.required ? 'true' : undefined, 'raw'],
      ...ownership(options),
    ]);
  }

  /** An SSH agent mount (`type=ssh`). */
  public static ssh(options: SshMountOptions = {}): RunMount {
    return new RunMount('ssh', [
      ['id', options.id, 'id'],
      ['target', options.target, 'path'],
      ['required', options.required ? 'true' : undefined, 'raw'],
      ...ownership(options),
    ]);
  }

  /** A tmpfs mount (`type=tmpfs`). */
  public static tmpfs(options: TmpfsMountOptions): RunMount {
    return new RunMount('tmpfs', [
      ['target', options.target, 'path'],
      ['size', options.sizeBytes === undefined ? undefined : String(options.sizeBytes), 'int'],
    ]);
  }

  /** The mount type (`cache`, `bind`, `secret`, `ssh`, `tmpfs`). */
  public readonly type: string;
  /** The stage a bind mount reads from, if any. */
  public readonly fromStage?: DockerfileStage;
  private readonly fields: Array<[string, string | undefined, string]>;
  private rendered?: string;

  private constructor(type: string, fields: Array<[string, string | undefined, string]>, from?: DockerfileStage) {
    this.type = type;
    this.fields = fields;
    this.fromStage = from;
  }

  /** The value of a field of this mount (`target`, `id`, ...), if set. */
  public field(name: string): string | undefined {
    return this.fields.find(f => f[0] === name)?.[1];
  }

  /** @internal */
  public _problems(): string[] {
    const problems: string[] = [];
    for (let i = 0; i < this.fields.length; i++) {
      const [key, value, kind] = this.fields[i];
      if (value === undefined || kind === 'raw' || (kind === 'path' && PLAIN_ABSOLUTE.test(value)) || (kind === 'id' && MOUNT_ID.test(value))) {
        continue; // the common cases, each in one scan (MOUNT_ID admits no control character)
      }
      const what = `${this.type} mount ${key}`;
      let p: string | undefined;
      switch (kind) {
        case 'sharing':
          p = SHARING.has(value) ? undefined : `${what} "${value}" must be one of ${[...SHARING].join(', ')} (CacheSharing)`;
          break;
        case 'path':
          p = pathProblem(value, what)
            ?? (!value.startsWith('/') ? `${what} "${value}" must be an absolute path` : undefined)
            ?? (/[\s,"']/.test(value) ? `${what} "${value}" contains whitespace, a comma or a quote; choose a plain path` : undefined);
          break;
        case 'relpath':
          p = pathProblem(value, what) ?? (/[\s,"']/.test(value) ? `${what} "${value}" contains whitespace, a comma or a quote; choose a plain path` : undefined);
          break;
        case 'id':
          p = unsafeTextProblem(value, what, TextKind.NAME) ?? (MOUNT_ID.test(value) ? undefined : `${what} "${value}" must match ${MOUNT_ID.source}`);
          break;
        case 'env':
          p = VARIABLE_NAME.test(value) ? undefined : `${what} "${value}" is not a valid variable name`;
          break;
        case 'mode':
          p = /^0?[0-7]{3}$/.test(value) ? undefined : `${what} "${value}" must be an octal mode such as 0755`;
          break;
        case 'int':
          p = /^\d+$/.test(value) && Number(value) <= 2 ** 31 ? undefined : `${what} ${value} must be a non-negative integer`;
          break;
      }
      if (p) {
        problems.push(p);
      }
    }
    if (this.type === 'secret' && this.field('target') === undefined && this.field('env') !== undefined) {
      // fine: env-only secret
    }
    return problems;
  }

  /** @internal */
  public _render(): string {
    // a RunMount never changes (its fields and stage are fixed at construction): render it once
    if (this.rendered !== undefined) return this.rendered;
    let out = `--mount=type=${this.type}`;
    if (this.fromStage) {
      out += `,from=${this.fromStage.stageName}`;
    }
    for (let i = 0; i < this.fields.length; i++) {
      const field = this.fields[i];
      if (field[1] !== undefined) {
        out += `,${field[0]}=${field[1]}`;
      }
    }
    this.rendered = out;
    return out;
  }
}

function ownership(o: MountOwnershipOptions): Array<[string, string | undefined, string]> {
  return [
    ['mode', o.mode, 'mode'],
    ['uid', o.uid === undefined ? undefined : String(o.uid), 'int'],
    ['gid', o.gid === undefined ? undefined : String(o.gid), 'int'],
  ];
}

/** The network a RUN instruction has. */
export enum RunNetwork {
  /** The build's default network. */
  DEFAULT = 'default',
  /** No network: proves the step is hermetic. */
  NONE = 'none',
  /** The host's network (needs the `network.host` entitlement). */
  HOST = 'host',
}
