import type { DockerfileStage } from './stage';

/** Where COPY and ADD take their files from. */
export class CopySource {
  /** The build context (the default). */
  public static context(): CopySource {
    return new CopySource(undefined, undefined, undefined);
  }

  /** An earlier stage of the same Dockerfile. */
  public static stage(stage: DockerfileStage): CopySource {
    return new CopySource(stage, undefined, undefined);
  }

  /** An image from a registry (`COPY --from=<image>`); must be tagged or pinned by digest. */
  public static image(reference: string): CopySource {
    return new CopySource(undefined, reference, undefined);
  }

  /** A named build context given to the build (`--build-context name=...`). */
  public static namedContext(name: string): CopySource {
    return new CopySource(undefined, undefined, name);
  }

  /** The stage, if the source is a stage. */
  public readonly sourceStage?: DockerfileStage;
  /** The image reference, if the source is an image. */
  public readonly sourceImage?: string;
  /** The named build context, if any. */
  public readonly contextName?: string;

  private constructor(stage: DockerfileStage | undefined, image: string | undefined, contextName: string | undefined) {
    this.sourceStage = stage;
    this.sourceImage = image;
    this.contextName = contextName;
  }
}
