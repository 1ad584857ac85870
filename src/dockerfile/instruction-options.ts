import type { CopySource } from './copy-source';
import type { RunMount, RunNetwork } from './run-mount';

/** Options of ARG and ENV. */
export interface VariableOptions {
  /**
   * A description, rendered as a comment above the instruction and listed in generated docs.
   * @default - none
   */
  readonly description?: string;
  /**
   * Leave `${NAME}` references in the value for BuildKit to expand (each must be declared earlier).
   * Otherwise every `$` is escaped and the value is literal.
   * @default false
   */
  readonly expandVariables?: boolean;
  /**
   * Accept a name that BuildKit's SecretsUsedInArgOrEnv check flags (e.g. `*_TOKEN`, `*_KEY`),
   * when the value is not a secret. The generated file then skips that check.
   * @default false
   */
  readonly allowSecretName?: boolean;
}

/** Options of WORKDIR. */
export interface WorkdirOptions {
  /**
   * Leave `${NAME}` references in the path for BuildKit to expand (each must be declared earlier).
   * @default false
   */
  readonly expandVariables?: boolean;
}

/** Options of RUN. */
export interface RunOptions {
  /**
   * Mounts available to the command only (cache, bind, secret, ssh, tmpfs).
   * @default []
   */
  readonly mounts?: RunMount[];
  /**
   * Network of the command.
   * @default RunNetwork.DEFAULT
   */
  readonly network?: RunNetwork;
}

/** Options of COPY and ADD. */
export interface CopyOptions {
  /**
   * Where the sources come from.
   * @default CopySource.context()
   */
  readonly from?: CopySource;
  /**
   * Owner of the copied files, `user[:group]` (numeric ids recommended).
   * @default - root
   */
  readonly chown?: string;
  /**
   * Mode of the copied files, in octal.
   * @default - unchanged
   */
  readonly chmod?: string;
  /**
   * Copy into an independent layer (`--link`), so the layer survives changes to earlier layers.
   * @default false
   */
  readonly link?: boolean;
  /**
   * Leave `${NAME}` references in the paths for BuildKit to expand.
   * @default false
   */
  readonly expandVariables?: boolean;
}

/** Options of ADD. */
export interface AddOptions extends CopyOptions {
  /**
   * Checksum of a remote source, `sha256:<hex>`.
   * @default - not verified
   */
  readonly checksum?: string;
}
