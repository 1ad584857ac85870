import { ActionPin } from './action-pin';
import { pinTable } from './pin-table';
import { pipelineProblems } from './pipeline-validation';
import { PublishJobInputs, publishWorkflow, usedActions } from './publish-jobs';
import type { PublishPipelineOptions, SynthDriftOptions } from './publish-pipeline-options';
import { GithubValue, toGithubWorkflow } from './render';
import { renderWorkflowYaml } from './workflow-yaml';
import { DockyardValidationError } from '../core/problems';
import { GHCR_REGISTRY, MANIFEST_SCHEMA_VERSION, SEMVER_TAG_PATTERN } from '../pipeline/constants';
import type { ActionUse, BranchDeployment, PipelineDockerfile, PipelineManifest } from '../pipeline/pipeline-manifest';

/** Options of a ContainerPublishPipeline. */
export interface ContainerPublishPipelineOptions extends PublishPipelineOptions {
  /** The Dockerfile to build: its path, build target and context, relative to the repository root. */
  readonly dockerfile: PipelineDockerfile;
}

const DEFAULT_DEPLOYMENTS: BranchDeployment[] = [
  { branch: 'main', environment: 'production' },
  { branch: 'develop', environment: 'staging' },
];

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
  /** The Dockerfile built. */
  public readonly dockerfile: PipelineDockerfile;
  /** The image name without registry, when fixed; undefined when derived from the repository at run time. */
  public readonly imageName?: string;
  /** The branches that publish, and their environments. */
  public readonly deployments: BranchDeployment[];
  /** The environment semver tags publish to, when tag publishing is on. */
  public readonly tagEnvironment?: string;
  /** The build job's id and name (a required check). */
  public readonly buildJobId: string;
  /** The publish job's id and name (not a required check: it never runs on pull requests). */
  public readonly publishJobId: string;
  /** The synth-drift job's id and name, when enabled (a required check). */
  public readonly synthDriftJobId?: string;
  /** Whether the build runs on `merge_group`. */
  public readonly mergeQueue: boolean;

  private readonly options: ContainerPublishPipelineOptions;
  private readonly inputs: PublishJobInputs;

  constructor(options: ContainerPublishPipelineOptions) {
    this.options = options;
    this.workflowName = options.workflowName ?? 'container-publish';
    this.workflowPath = `.github/workflows/${this.workflowName}.yml`;
    this.dockerfile = options.dockerfile;
    this.imageName = options.imageName;
    this.deployments = [...(options.deployments ?? DEFAULT_DEPLOYMENTS)];
    const semver = options.publishSemverTags ?? false;
    this.tagEnvironment = semver ? options.tagEnvironment ?? this.deployments[0]?.environment : undefined;
    this.buildJobId = options.jobIds?.buildJob ?? 'container-build';
    this.publishJobId = options.jobIds?.publishJob ?? 'container-publish';
    this.synthDriftJobId = options.synthDrift ? options.jobIds?.synthDriftJob ?? 'synth-drift' : undefined;
    this.mergeQueue = options.mergeQueue ?? false;
    const pins = pinTable(options.actionPins ?? []);
    this.inputs = {
      workflowName: this.workflowName,
      imageName: this.imageName,
      dockerfile: this.dockerfile,
      deployments: this.deployments,
      tagEnvironment: this.tagEnvironment,
      buildJobId: this.buildJobId,
      publishJobId: this.publishJobId,
      synthDriftJobId: this.synthDriftJobId,
      mergeQueue: this.mergeQueue,
      platforms: [...(options.platforms ?? [])],
      runsOn: [...(options.runsOn ?? ['ubuntu-latest'])],
      publishPaths: options.publishPaths,
      provenanceAttestation: options.provenanceAttestation ?? false,
      sbom: options.sbom ?? false,
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
  }

  /** The status checks (job names) that branch rules should require: the build job and the drift job. */
  public get requiredChecks(): string[] {
    return this.synthDriftJobId ? [this.buildJobId, this.synthDriftJobId] : [this.buildJobId];
  }

  /** Every job name of the workflow. */
  public get jobNames(): string[] {
    return [this.buildJobId, this.publishJobId, ...(this.synthDriftJobId ? [this.synthDriftJobId] : [])];
  }

  /** The semver tag pattern of the publish trigger, when tag publishing is on. */
  public get tagPattern(): string | undefined {
    return this.tagEnvironment !== undefined ? SEMVER_TAG_PATTERN : undefined;
  }

  /** Every problem with the options, each naming the value, the rule and the fix; empty when valid. */
  public problems(): string[] {
    return pipelineProblems(this.inputs, this.options, this.jobNames);
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

  /** The manifest of this workflow alone (a projen project's manifest also lists its other workflows' actions). */
  public manifest(): PipelineManifest {
    return {
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      imageName: this.imageName,
      registry: GHCR_REGISTRY,
      dockerfile: { path: this.dockerfile.path, target: this.dockerfile.target, context: this.dockerfile.context },
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

  /** The workflow as GitHub's keys (what the YAML holds). @internal */
  public _workflowObject(): GithubValue {
    return toGithubWorkflow(publishWorkflow(this.inputs));
  }

  /** @internal */
  public _renderUnchecked(header: string | undefined): string {
    const versions = new Map(this._usedPins().map(p => [p.uses, p.version] as const));
    return renderWorkflowYaml(this._workflowObject(), versions, header);
  }

  /** The pins of the actions the workflow uses, in first-use order (the user's extra steps' pins included). @internal */
  public _usedPins(): ActionPin[] {
    const extra = [...this.inputs.preBuildSteps, ...this.inputs.postBuildSteps].flatMap(s => (s.uses ? [s.uses] : []));
    const pins = [...usedActions(this.inputs).map(n => this.inputs.pin(n)), ...extra];
    return pins.filter((pin, i) => pins.findIndex(q => q.uses === pin.uses) === i);
  }
}
