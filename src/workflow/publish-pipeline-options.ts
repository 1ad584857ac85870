import type { ActionPin } from './action-pin';
import type { WorkflowStep } from './workflow-step';
import type { BranchDeployment } from '../pipeline/pipeline-manifest';
import type { RepositoryVisibility } from '../pipeline/repository-visibility';

/**
 * The ids of the publish workflow's jobs. Each id is also the job's name, which is the
 * status check name that branch rules require, so each must be unique among all the
 * repository's workflows (projen's own `build.yml` has a `build` job).
 */
export interface PublishJobIds {
  /**
   * The build job: runs on pull requests, pushes, merge groups and manual runs; a required check.
   * @default "container-build"
   */
  readonly buildJob?: string;
  /**
   * The publish job: pushes to the registry on pushes to the mapped branches and semver tags.
   * @default "container-publish"
   */
  readonly publishJob?: string;
  /**
   * The synth-drift job (when enabled); a required check.
   * @default "synth-drift"
   */
  readonly synthDriftJob?: string;
  /**
   * With `images`: the job that creates each image's tagged index from its legs' digests.
   * @default "container-merge"
   */
  readonly mergeJob?: string;
  /**
   * With `images`: the aggregate job, the one required check of the matrix (legs come and go, its name stays).
   * @default "container-ready"
   */
  readonly readyJob?: string;
  /**
   * With path-filtered `images`: the job that computes which images changed.
   * @default "container-changes"
   */
  readonly changesJob?: string;
}

/** Options of the synth-drift job: synthesize in CI and fail when a generated file differs from the commit. */
export interface SynthDriftOptions {
  /**
   * The one-line shell command that installs the project's dependencies.
   * @default - the project's frozen install command (e.g. `npm ci`); "npm ci" outside a Node project
   */
  readonly installCommand?: string;
  /**
   * The Node.js version for actions/setup-node.
   * @default "lts/*"
   */
  readonly nodeVersion?: string;
  /**
   * The directory (relative to the repository root) of a cdktf app, e.g. the repository-settings
   * app, that is synthesized with `npx cdktf synth` after `npx projen`, so its committed output is
   * checked too.
   * @default - no cdktf app
   */
  readonly cdktfApp?: string;
}

/** The options every form of the container publish pipeline shares. */
export interface PublishPipelineOptions {
  /**
   * The workflow's name, which also names its file: `.github/workflows/<name>.yml`.
   * @default "container-publish"
   */
  readonly workflowName?: string;
  /**
   * The image name without the registry, e.g. `acme/app` (lowercase).
   * @default - `ghcr.io/<owner>/<repo>` from `github.repository`, lowercased at run time
   */
  readonly imageName?: string;
  /**
   * The branches that publish and the GitHub environment each publishes to (exact branch names).
   * @default - main → production, develop → staging
   */
  readonly deployments?: BranchDeployment[];
  /**
   * Also publish on semver tag pushes (`v*.*.*`), to `tagEnvironment`, tagged with the version.
   * @default false
   */
  readonly publishSemverTags?: boolean;
  /**
   * The environment semver tags publish to.
   * @default - the environment of the first deployment (production)
   */
  readonly tagEnvironment?: string;
  /**
   * Also run the build job (and the drift job) on `merge_group`, for repositories that use a merge queue.
   * @default false
   */
  readonly mergeQueue?: boolean;
  /**
   * Platforms to build, e.g. `["linux/amd64", "linux/arm64"]`. QEMU is set up when there are several.
   * @default - the runner's platform
   */
  readonly platforms?: string[];
  /**
   * Who can see the repository. A public repository gets build provenance and an SBOM attested by default
   * (a consumer can then check that an image was built by this workflow on this branch); for a private or
   * internal one, attestations need GitHub Enterprise Cloud, so `provenanceAttestation` must be chosen.
   * @default - undefined: set this, or `provenanceAttestation` explicitly (synthesis asks instead of guessing)
   */
  readonly repositoryVisibility?: RepositoryVisibility;
  /**
   * Attest build provenance for the pushed image with actions/attest-build-provenance (pushed to the
   * registry). Adds `id-token: write` and `attestations: write` to the publish job. Artifact attestations
   * on private or internal repositories need GitHub Enterprise Cloud; public repositories work on every plan.
   * @default - true for a public repository; otherwise required
   */
  readonly provenanceAttestation?: boolean;
  /**
   * Attach an SBOM attestation to the pushed image (`sbom: true` on docker/build-push-action).
   * @default - true for a public repository, else false
   */
  readonly sbom?: boolean;
  /**
   * Add the synth-drift job (a required check, and the publish job needs it).
   * @default - no synth-drift job
   */
  readonly synthDrift?: SynthDriftOptions;
  /**
   * Path filters (globs) that narrow the publish trigger (`on.push.paths`). Pull requests and merge groups
   * are never filtered, since a required check that does not run stays pending. Semver tag pushes are
   * not filtered either (GitHub does not evaluate path filters for tags).
   * @default - every push to a mapped branch publishes
   */
  readonly publishPaths?: string[];
  /**
   * The job ids (and names, i.e. status check names).
   * @default - container-build, container-publish, synth-drift
   */
  readonly jobIds?: PublishJobIds;
  /**
   * Pins that override the shipped ones (by action), or pin further actions.
   * @default - the shipped pins (`ActionPin.defaults()`)
   */
  readonly actionPins?: ActionPin[];
  /**
   * Runner labels of every job.
   * @default ["ubuntu-latest"]
   */
  readonly runsOn?: string[];
  /**
   * With `images`: the runner labels of each platform's legs (each leg builds natively on its platform).
   * @default - linux/amd64 on "ubuntu-24.04", linux/arm64 on "ubuntu-24.04-arm" (free for public repositories)
   */
  readonly runners?: { [platform: string]: string };
  /**
   * With `images`: build platforms that have no runner in `runners` under QEMU on the linux/amd64 runner
   * (many times slower for compiled dependencies: see bench/arm64.ts).
   * @default false
   */
  readonly emulatePlatforms?: boolean;
  /**
   * Accept a `self-hosted` label in `runsOn`. The build job runs the code of every pull request, forks
   * included, so a self-hosted runner must be ephemeral and isolated (typical of private repositories).
   * @default false
   */
  readonly allowSelfHostedRunners?: boolean;
  /**
   * Steps of your own before the build step, in the build and the publish job (e.g. generating a file
   * the Dockerfile copies). Actions are given as `ActionPin`s, so they are pinned by construction.
   * @default - none
   */
  readonly preBuildSteps?: WorkflowStep[];
  /**
   * Steps of your own after the build step, in the build and the publish job (e.g. a scan of the image).
   * @default - none
   */
  readonly postBuildSteps?: WorkflowStep[];
  /**
   * Build arguments (`--build-arg NAME=value`), literal values. Each must be an ARG the Dockerfile declares
   * (checked by GhcrPublishWorkflow).
   * @default - none
   */
  readonly buildArgs?: { [name: string]: string };
  /**
   * BuildKit secrets from GitHub secrets: secret id (as a `RunMount.secret({ id })` in the Dockerfile) →
   * the name of the repository or environment secret. Passed through the step's environment
   * (`secret-envs`), never written into a layer or the build arguments.
   * @default - none
   */
  readonly buildSecrets?: { [id: string]: string };
  /**
   * More jobs the publish job waits for (job ids of this workflow, e.g. a test job added with
   * `file.addOverride('jobs.test', ...)`).
   * @default - the build job (and the drift job)
   */
  readonly publishNeeds?: string[];
}
