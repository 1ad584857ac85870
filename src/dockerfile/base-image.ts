import type { DockerfileStage } from './stage';

/**
 * Options for an image from a registry.
 */
export interface RegistryImageOptions {
  /**
   * Accept a reference without a tag or digest, or with the `latest` tag
   * (hadolint DL3006/DL3007). Builds from such a base are not reproducible.
   * @default false
   */
  readonly allowUnpinned?: boolean;
}

/**
 * What a stage starts `FROM`: an image from a registry, an earlier stage of the
 * same Dockerfile, or `scratch`.
 */
export class BaseImage {
  /**
   * An image from a registry, e.g. `python:3.11-slim-bookworm` or
   * `ghcr.io/acme/base:1.2.0@sha256:<digest>`. The reference may use `${NAME}`
   * for a global ARG declared on the Dockerfile (`MultiStageDockerfile.addArg`).
   */
  public static fromRegistry(reference: string, options: RegistryImageOptions = {}): BaseImage {
    return new BaseImage(reference, undefined, options.allowUnpinned ?? false);
  }

  /** An earlier stage of the same Dockerfile. */
  public static fromStage(stage: DockerfileStage): BaseImage {
    return new BaseImage(undefined, stage, false);
  }

  /** The empty image. */
  public static scratch(): BaseImage {
    return new BaseImage('scratch', undefined, true);
  }

  /** The registry reference, when this is an image. */
  public readonly reference?: string;
  /** The stage, when this is an earlier stage. */
  public readonly stage?: DockerfileStage;
  /** Whether an untagged or `latest` reference is accepted. */
  public readonly allowUnpinned: boolean;

  private constructor(reference: string | undefined, stage: DockerfileStage | undefined, allowUnpinned: boolean) {
    this.reference = reference;
    this.stage = stage;
    this.allowUnpinned = allowUnpinned;
  }
}
