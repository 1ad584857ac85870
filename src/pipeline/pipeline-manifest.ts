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

/** The facts a repository-settings stack needs from the generated workflows. */
export interface PipelineManifest {
  /** Schema version of this manifest (currently 1). */
  readonly schemaVersion: number;
  /**
   * The image name without registry, lowercased, e.g. `acme/app`; undefined when the workflow derives it
   * from `github.repository` at run time.
   */
  readonly imageName?: string;
  /** The registry host (`ghcr.io`). */
  readonly registry: string;
  /** The Dockerfile built. */
  readonly dockerfile: PipelineDockerfile;
  /** Branches that publish, and their environments. */
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
   * The status check names (job names) that branch rules must require: the container pipeline's build
   * job, and its synth-drift job when enabled. Job names are unique among all the project's workflows.
   */
  readonly requiredChecks: string[];
  /** Every action `uses:` of every generated workflow of the repository (projen's own included). */
  readonly actions: ActionUse[];
  /** Whether the workflows pin every action to a full commit SHA. */
  readonly shaPinned: boolean;
  /** The generated workflow files, relative to the repository root. */
  readonly workflows: string[];
}
