import type { MultiStageDockerfile } from '../dockerfile/multi-stage-dockerfile';
import type { DockerfileStage } from '../dockerfile/stage';

/** One image of a GhcrPublishWorkflow that publishes several (`images`). */
export interface PublishImage {
  /**
   * The image's id: lowercase letters, digits and "-" (matrix legs, artifact names, and the default image
   * name `<owner>/<repo>/<name>`).
   */
  readonly name: string;
  /** The Dockerfile to build. */
  readonly dockerfile: MultiStageDockerfile;
  /**
   * The stage to build; must be a stage of `dockerfile`.
   * @default - the Dockerfile's target
   */
  readonly target?: DockerfileStage;
  /**
   * The image name without the registry, e.g. `acme/api` (lowercase).
   * @default - `<owner>/<repo>/<name>`, from `github.repository`, lowercased at run time
   */
  readonly imageName?: string;
  /**
   * The platforms, each built as its own leg on a runner of that platform (see `runners`).
   * @default ["linux/amd64"]
   */
  readonly platforms?: string[];
  /**
   * Build the image only when a changed file matches one of these patterns (bash patterns relative to the
   * repository root, `*` also matching `/`), computed by a `changes` job so required checks never stay pending.
   * @default - every change builds the image
   */
  readonly paths?: string[];
}
