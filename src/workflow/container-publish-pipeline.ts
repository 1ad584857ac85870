import { ActionPin } from './action-pin';
import type { CommonJobInputs } from './jobs-common';
import { legsOf, matrixActions, MatrixJobInputs, matrixWorkflow, NATIVE_PLATFORM } from './matrix-jobs';
import { pinTable, pinVersions } from './pin-table';
import { pipelineProblems } from './pipeline-validation';
import { PublishJobInputs, publishWorkflow, usedActions } from './publish-jobs';
import type { PublishPipelineOptions, SynthDriftOptions } from './publish-pipeline-options';
import { GithubValue, toGithubWorkflow } from './render';
import { renderWorkflowYaml } from './workflow-yaml';
import { DockyardValidationError } from '../core/problems';
import { GHCR_REGISTRY, MANIFEST_SCHEMA_VERSION, SEMVER_TAG_PATTERN } from '../pipeline/constants';
import type {
  ActionUse, BranchDeployment, ManifestImage, PipelineDockerfile, PipelineImage, PipelineManifest,
} from '../pipeline/pipeline-manifest';
import { RepositoryVisibility } from '../pipeline/repository-visibility';

/** Options of a ContainerPublishPipeline. */
export interface ContainerPublishPipelineOptions extends PublishPipelineOptions {
  /**
   * The Dockerfile to build (one image): its path, build target and context, relative to the repository root.
   * @default - set `images` instead
   */
  readonly dockerfile?: PipelineDockerfile;
  /**
   * Several images, each built for its platforms as a matrix of legs on native runners, pushed by digest and
   * merged into one tagged index per image; the aggregate job is the one required check.
   * @default - one image: `dockerfile`
   */
  readonly images?: PipelineImage[];
}

const DEFAULT_DEPLOYMENTS: BranchDeployment[] = [
  { branch: 'main', environment: 'production' },
  { branch: 'develop', environment: 'staging' },
];

/** Native runners of GitHub's hosted runner images (arm64 is free for public repositories). */
const DEFAULT_RUNNERS: { readonly [platform: string]: string } = { [NATIVE_PLATFORM]: 'ubuntu-24.04', 'linux/arm64': 'ubuntu-24.04-arm' };

/**
 * The container publish pipeline as plain data, without projen: the Buildx → ghcr.io
 * workflow (its jobs, triggers, permissions and pinned steps), the checks it produces
 * and the facts a repository-settings stack needs. `GhcrPublishWorkflow` writes it in
 * a projen project; anything else (a cdktf `main.ts`, a script) can build the same
 * object from the same options and read `requiredChecks`, `deployments` or `manifest()`.
 */
export class ContainerPublishPipeline {
  /** The workflow's name. */
  public readonly workflowName: string;
  /** The workflow file, relative to the repository root. */
  public readonly workflowPath: string;
  /** The Dockerfile built (with `images`, the first image's). */
  public readonly dockerfile: PipelineDockerfile;
  /** The image name without registry, when fixed; undefined when derived from the repository at run time. */
  public readonly imageName?: string;
  /** The images of a matrix pipeline (empty for one image). */
  public readonly images: PipelineImage[];
  /** The branches that publish, and their environments. */
  public readonly deployments: BranchDeployment[];
  /** The environment semver tags publish to, when tag publishing is on. */
  public readonly tagEnvironment?: string;
  /** The build job's id and name (one image: a required check; a matrix: its pull-request legs). */
  public readonly buildJobId: string;
  /** The publish job's id and name (not a required check: it never runs on pull requests). */
  public readonly publishJobId: string;
  /** The synth-drift job's id and name, when enabled (a required check). */
  public readonly synthDriftJobId?: string;
  /** With `images`: the aggregate job's id and name, the required check. */
  public readonly readyJobId?: string;
  /** With `images`: the merge job's id and name. */
  public readonly mergeJobId?: string;
  /** With path-filtered `images`: the changes job's id and name. */
  public readonly changesJobId?: string;
  /** Whether the build runs on `merge_group`. */
  public readonly mergeQueue: boolean;
  /** Whether the publish job attests build provenance (and so a consumer can verify the image). */
  public readonly provenanceAttestation: boolean;

  private readonly options: ContainerPublishPipelineOptions;
  private readonly inputs: PublishJobInputs;
  private readonly matrix?: MatrixJobInputs;

  constructor(options: ContainerPublishPipelineOptions) {
    this.options = options;
    this.workflowName = options.workflowName ?? 'container-publish';
    this.workflowPath = `.github/workflows/${this.workflowName}.yml`;
    this.images = [...(options.images ?? [])];
    this.dockerfile = options.dockerfile ?? this.images[0]?.dockerfile ?? { path: 'Dockerfile', context: '.', target: 'no-stage' };
    this.imageName = options.imageName;
    this.deployments = [...(options.deployments ?? DEFAULT_DEPLOYMENTS)];
    const semver = options.publishSemverTags ?? false;
    this.tagEnvironment = semver ? options.tagEnvironment ?? this.deployments[0]?.environment : undefined;
    this.buildJobId = options.jobIds?.buildJob ?? 'container-build';
    this.publishJobId = options.jobIds?.publishJob ?? 'container-publish';
    this.synthDriftJobId = options.synthDrift ? options.jobIds?.synthDriftJob ?? 'synth-drift' : undefined;
    this.mergeQueue = options.mergeQueue ?? false;
    this.provenanceAttestation = options.provenanceAttestation ?? options.repositoryVisibility === RepositoryVisibility.PUBLIC;
    const pins = pinTable(options.actionPins ?? []);
    const common: CommonJobInputs = {
      workflowName: this.workflowName,
      deployments: this.deployments,
      tagEnvironment: this.tagEnvironment,
      synthDriftJobId: this.synthDriftJobId,
      mergeQueue: this.mergeQueue,
      runsOn: [...(options.runsOn ?? ['ubuntu-latest'])],
      publishPaths: options.publishPaths,
      provenanceAttestation: this.provenanceAttestation,
      sbom: options.sbom ?? options.repositoryVisibility === RepositoryVisibility.PUBLIC,
      synthDrift: options.synthDrift as SynthDriftOptions | undefined,
      preBuildSteps: [...(options.preBuildSteps ?? [])],
      postBuildSteps: [...(options.postBuildSteps ?? [])],
      buildArgs: { ...(options.buildArgs ?? {}) },
      buildSecrets: { ...(options.buildSecrets ?? {}) },
      publishNeeds: [...(options.publishNeeds ?? [])],
      pin: (action: string) => {
        const p = pins.get(action);
        if (!p) throw new Error(`no pin for ${action}`);
        return p;
      },
    };
    this.inputs = {
      ...common,
      imageName: this.imageName,
      dockerfile: this.dockerfile,
      buildJobId: this.buildJobId,
      publishJobId: this.publishJobId,
      platforms: [...(options.platforms ?? [])],
    };
    if (options.images !== undefined) {
      const filtered = this.images.some(i => (i?.paths ?? []).length > 0);
      this.readyJobId = options.jobIds?.readyJob ?? 'container-ready';
      this.mergeJobId = options.jobIds?.mergeJob ?? 'container-merge';
      this.changesJobId = filtered ? options.jobIds?.changesJob ?? 'container-changes' : undefined;
      this.matrix = {
        ...common,
        images: this.images.map(i => ({
          name: i?.name, repository: i?.imageName, dockerfile: i?.dockerfile, platforms: [...(i?.platforms ?? [NATIVE_PLATFORM])], paths: i?.paths,
        })),
        runners: { ...DEFAULT_RUNNERS, ...(options.runners ?? {}) },
        emulate: options.emulatePlatforms ?? false,
        jobIds: { changes: this.changesJobId ?? 'container-changes', build: this.buildJobId, publish: this.publishJobId, merge: this.mergeJobId, ready: this.readyJobId },
      };
    }
  }

  /** The status checks (job names) that branch rules should require: the build (or aggregate) job and the drift job. */
  public get requiredChecks(): string[] {
    const check = this.readyJobId ?? this.buildJobId;
    return this.synthDriftJobId ? [check, this.synthDriftJobId] : [check];
  }

  /** Every job name of the workflow. */
  public get jobNames(): string[] {
    const matrix = this.matrix ? [...(this.changesJobId ? [this.changesJobId] : []), this.mergeJobId!, this.readyJobId!] : [];
    return [this.buildJobId, this.publishJobId, ...matrix, ...(this.synthDriftJobId ? [this.synthDriftJobId] : [])];
  }

  /** The semver tag pattern of the publish trigger, when tag publishing is on. */
  public get tagPattern(): string | undefined {
    return this.tagEnvironment !== undefined ? SEMVER_TAG_PATTERN : undefined;
  }

  /** Every problem with the options, each naming the value, the rule and the fix; empty when valid. */
  public problems(): string[] {
    const common = pipelineProblems(this.inputs, this.options, this.jobNames, this.matrix !== undefined);
    if (!this.matrix) return common;
    // only a pipeline of several images (or platforms) loads the matrix rules
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { matrixProblems } = require('./matrix-validation') as typeof import('./matrix-validation');
    return [...common, ...matrixProblems(this.matrix, this.options)];
  }

  /** Validates the options and returns the workflow YAML; throws listing every problem. */
  public renderWorkflow(): string {
    const problems = this.problems();
    if (problems.length > 0) throw new DockyardValidationError(problems.map(m => `[${this.workflowPath}] ${m}`));
    return this._renderUnchecked(undefined);
  }

  /** The actions this workflow uses, pinned. */
  public actionsUsed(): ActionUse[] {
    return this._usedPins()
      .map(pin => ({ action: pin.action, ref: pin.sha, version: pin.version, workflows: [this.workflowPath] }))
      .sort((a, b) => a.action.localeCompare(b.action) || a.ref.localeCompare(b.ref));
  }

  /** The images this workflow publishes, as the manifest lists them. */
  public manifestImages(): ManifestImage[] {
    if (!this.matrix) {
      return [{ name: '', imageName: this.imageName, dockerfile: { ...this.dockerfile }, platforms: [...this.inputs.platforms], workflow: this.workflowPath }];
    }
    return this.matrix.images.map(i => ({
      name: i.name, imageName: i.repository, dockerfile: { ...i.dockerfile }, platforms: [...i.platforms], workflow: this.workflowPath,
    }));
  }

  /** The manifest of this workflow alone (a projen project's manifest lists every workflow of the repository). */
  public manifest(): PipelineManifest {
    return {
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      registry: GHCR_REGISTRY,
      images: this.manifestImages(),
      deployments: this.deployments.map(d => ({ branch: d.branch, environment: d.environment })),
      tagEnvironment: this.tagEnvironment,
      tagPattern: this.tagPattern,
      mergeQueue: this.mergeQueue,
      requiredChecks: this.requiredChecks,
      actions: this.actionsUsed(),
      shaPinned: true,
      workflows: [this.workflowPath],
    };
  }

  /** Every leg of a matrix pipeline: image, platform, runner (empty for one image). @internal */
  public _legs(): Array<{ image: string; platform: string; runner: string }> {
    return this.matrix ? legsOf(this.matrix).map(l => ({ image: l.image, platform: l.platform, runner: l.runner })) : [];
  }

  /** The workflow as GitHub's keys (what the YAML holds). @internal */
  public _workflowObject(): GithubValue {
    return toGithubWorkflow(this.matrix ? matrixWorkflow(this.matrix) : publishWorkflow(this.inputs));
  }

  /** @internal */
  public _renderUnchecked(header: string | undefined): string {
    const versions = pinVersions(this._usedPins());
    return renderWorkflowYaml(this._workflowObject(), versions, header);
  }

  /** The pins of the actions the workflow uses, in first-use order (the user's extra steps' pins included). @internal */
  public _usedPins(): ActionPin[] {
    const extra = [...this.inputs.preBuildSteps, ...this.inputs.postBuildSteps].flatMap(s => (s.uses ? [s.uses] : []));
    const names = this.matrix ? matrixActions(this.matrix) : usedActions(this.inputs);
    const pins = [...names.map(n => this.inputs.pin(n)), ...extra];
    return pins.filter((pin, i) => pins.findIndex(q => q.uses === pin.uses) === i);
  }
}
