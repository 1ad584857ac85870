/**
 * The shared, plain description of a container pipeline: what the generated
 * workflows do (image, Dockerfile, branches and environments, the checks they
 * produce, the actions they use). projen writes it as a JSON manifest next to
 * the workflows (`.github/dockyard-pipeline.json` by default); a cdktf `main.ts`
 * reads it to configure the repository, so each fact is written once.
 * Everything here is JSON data (jsii structs), with no projen or cdktf types.
 */

/** A branch that publishes, and the GitHub environment it deploys to. */
export interface BranchDeployment {
  /** The branch name (exact, e.g. `main`). */
  readonly branch: string;
  /** The GitHub environment the branch's publish job runs in (e.g. `production`). */
  readonly environment: string;
}

/** The Dockerfile a pipeline builds. */
export interface PipelineDockerfile {
  /** Path of the Dockerfile, relative to the repository root. */
  readonly path: string;
  /** The stage built (`--target`). */
  readonly target: string;
  /** The build context, relative to the repository root. */
  readonly context: string;
}

/** One image of a publish workflow that builds several (a matrix of images × platforms). */
export interface PipelineImage {
  /**
   * The image's id in the workflow: lowercase letters, digits and "-" (matrix legs, artifact names,
   * and the default image name `<owner>/<repo>/<name>`).
   */
  readonly name: string;
  /**
   * The image name without the registry, e.g. `acme/api` (lowercase).
   * @default - `<owner>/<repo>/<name>`, from `github.repository`, lowercased at run time
   */
  readonly imageName?: string;
  /** The Dockerfile built. */
  readonly dockerfile: PipelineDockerfile;
  /**
   * The platforms, each built as its own leg on a runner of that platform.
   * @default ["linux/amd64"]
   */
  readonly platforms?: string[];
  /**
   * Path filters: the image is built only when a changed file matches one (bash patterns, relative to
   * the repository root, where `*` also matches `/`: `services/api/*`). Computed by a `changes` job,
   * never in `on:`, so the required check never stays pending.
   * @default - every change builds the image
   */
  readonly paths?: string[];
}

/** An image a repository's publish workflows publish. */
export interface ManifestImage {
  /** The image's id in its workflow (empty for a one-image workflow). */
  readonly name: string;
  /**
   * The image name without registry, lowercased, e.g. `acme/api`; undefined when the workflow derives it
   * from `github.repository` at run time: `<owner>/<repo>`, then `/<name>` when `name` is not empty.
   */
  readonly imageName?: string;
  /** The Dockerfile built. */
  readonly dockerfile: PipelineDockerfile;
  /** The platforms built (empty: the runner's). */
  readonly platforms: string[];
  /** The workflow file that publishes it, relative to the repository root. */
  readonly workflow: string;
}

/** One third-party or GitHub-owned action used by a generated workflow. */
export interface ActionUse {
  /** `owner/repo` (or `owner/repo/path`). */
  readonly action: string;
  /** The full commit SHA it is pinned to (or the ref, when not pinned). */
  readonly ref: string;
  /** The version the ref corresponds to (e.g. `v7.3.0`), when known. */
  readonly version?: string;
  /** The workflow file(s) using it, relative to the repository root. */
  readonly workflows: string[];
}

/**
 * The facts a repository-settings stack needs from the generated workflows: one manifest per repository,
 * listing every image of every publish workflow.
 */
export interface PipelineManifest {
  /** Schema version of this manifest (currently 2). */
  readonly schemaVersion: number;
  /** The registry host (`ghcr.io`). */
  readonly registry: string;
  /** Every image the publish workflows publish. */
  readonly images: ManifestImage[];
  /** Branches that publish, and their environments (every publish workflow's). */
  readonly deployments: BranchDeployment[];
  /** The environment semver tags (`v*.*.*`) publish to, when tag publishing is on. */
  readonly tagEnvironment?: string;
  /**
   * The tag pattern that publishes (to `tagEnvironment`), when tag publishing is on: `v*.*.*`
   * (a GitHub filter glob, also usable as an environment's tag deployment policy).
   */
  readonly tagPattern?: string;
  /** Whether the required checks also run on `merge_group` (the repository uses a merge queue). */
  readonly mergeQueue?: boolean;
  /**
   * The status check names (job names) that branch rules must require: each publish workflow's build job
   * (or, for a matrix, its aggregate job), its synth-drift job when enabled, and the project's own build job.
   * Job names are unique among all the repository's workflows.
   */
  readonly requiredChecks: string[];
  /** Every action `uses:` of every generated workflow of the repository (projen's own included). */
  readonly actions: ActionUse[];
  /** Whether the workflows pin every action to a full commit SHA. */
  readonly shaPinned: boolean;
  /** The generated workflow files, relative to the repository root. */
  readonly workflows: string[];
}
