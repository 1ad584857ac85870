import * as posix from 'node:path/posix';
import { Component, FileBase, github, IResolver, javascript, JsonFile, Project } from 'projen';
import { ActionPin } from './action-pin';
import { ContainerPublishPipeline } from './container-publish-pipeline';
import { addDependabotUpdates } from './dependabot-updates';
import { pinTable } from './pin-table';
import { jobNameClashes, mergeActionUses, publishWorkflowsOf, WorkflowUse } from './project-pipelines';
import { projenActionUses, projenPinFor, projenWorkflows } from './projen-workflows';
import type { PublishJobIds, PublishPipelineOptions } from './publish-pipeline-options';
import { FULL_SHA } from '../core/github-names';
import { repositoryPathProblem } from '../core/repository-paths';
import type { MultiStageDockerfile } from '../dockerfile/multi-stage-dockerfile';
import type { DockerfileStage } from '../dockerfile/stage';
import { DEFAULT_MANIFEST_PATH } from '../pipeline/constants';
import { markChecked } from '../pipeline/manifest-check';
import type { PipelineManifest } from '../pipeline/pipeline-manifest';
import { ensureValidationGate, findProject, synthCached } from '../projen/validation-gate';

/** Options of a GhcrPublishWorkflow. */
export interface GhcrPublishWorkflowOptions extends PublishPipelineOptions {
  /** The Dockerfile to build and publish (its path, context and target come from it). */
  readonly dockerfile: MultiStageDockerfile;
  /**
   * The stage to build and publish; must be a stage of `dockerfile`.
   * @default - the Dockerfile's target (`dockerfile.target`)
   */
  readonly target?: DockerfileStage;
  /**
   * Generate Dependabot version updates for the `github-actions` ecosystem and the `docker` ecosystem
   * (the Dockerfile's directory), in `.github/dependabot.yml` (merged into projen's Dependabot
   * configuration when the project has one; create that one first). The files are generated, so apply a
   * proposed bump in `.projenrc` (`actionPins`, the base image) rather than merging it as is.
   * @default true
   */
  readonly dependabot?: boolean;
  /**
   * Where to write the pipeline manifest that a cdktf repository-settings app reads.
   * @default ".github/dockyard-pipeline.json"
   */
  readonly manifestPath?: string;
  /**
   * Pin every action of projen's own workflows that is not pinned to a full SHA and that the pin table
   * (the shipped pins and `actionPins`) knows, through projen's `github.actions` overrides.
   * @default true
   */
  readonly pinProjenWorkflows?: boolean;
  /**
   * Fail synthesis when any workflow of the project (projen's included) uses an action that is not pinned
   * to a full commit SHA, naming each and the fix (an `ActionPin.of(...)` in `actionPins`).
   * @default true
   */
  readonly requireShaPinning?: boolean;
}

/**
 * The GitHub Actions workflow that builds a MultiStageDockerfile with Buildx and publishes it to
 * ghcr.io: a build job that is the required check on pull requests, pushes and merge groups
 * (no login, no push), and a publish job for pushes to the mapped branches (and semver tags)
 * that runs in the branch's environment with `packages: write`. Every action is pinned to a
 * commit SHA with its version as a comment. Also writes the pipeline manifest
 * (`.github/dockyard-pipeline.json`) and, by default, Dependabot updates for the pins and the
 * base images. Everything is validated before projen writes any file.
 */
export class GhcrPublishWorkflow extends Component {
  /** The workflow file, relative to the project root. */
  public readonly workflowPath: string;
  /** The manifest file, relative to the project root. */
  public readonly manifestPath: string;
  /** The Dockerfile built. */
  public readonly dockerfile: MultiStageDockerfile;
  /** @internal */
  public readonly _isGhcrPublishWorkflow = true;
  private readonly options: GhcrPublishWorkflowOptions;
  private readonly table: Map<string, ActionPin>;

  constructor(project: Project, options: GhcrPublishWorkflowOptions) {
    const name = options.workflowName ?? 'container-publish';
    super(project, `GhcrPublishWorkflow#${name}`);
    this.options = options;
    this.dockerfile = options.dockerfile;
    this.table = pinTable(options.actionPins ?? []);
    this.workflowPath = `.github/workflows/${name}.yml`;
    this.manifestPath = options.manifestPath ?? DEFAULT_MANIFEST_PATH;
    ensureValidationGate(project);
    this.node.addValidation({ validate: () => this.problems() });

    new WorkflowYamlFile(this, this.workflowPath);
    new JsonFile(this, this.manifestPath, { obj: () => this.manifest(), committed: true });
    if (options.dependabot ?? true) {
      const dir = posix.dirname(posix.normalize(this.dockerfile.path));
      addDependabotUpdates(project, [
        { 'package-ecosystem': 'github-actions', 'directory': '/', 'schedule': { interval: 'weekly' } },
        { 'package-ecosystem': 'docker', 'directory': dir === '.' ? '/' : `/${dir}`, 'schedule': { interval: 'weekly' } },
      ]);
    }
  }

  /**
   * The pipeline as plain data, built from the Dockerfile's current path, context and target
   * (once per synthesis; afresh outside it, while the model may still change).
   */
  public get pipeline(): ContainerPublishPipeline {
    return synthCached(this.project, this, () => this.resolvePipeline());
  }

  /** The status checks (job names) that branch rules should require. */
  public get requiredChecks(): string[] {
    return this.pipeline.requiredChecks;
  }

  /**
   * The pipeline manifest: this workflow's facts, and every action of every workflow of the
   * project (projen's own and every GhcrPublishWorkflow), as written to `manifestPath`.
   */
  public manifest(): PipelineManifest {
    const uses: WorkflowUse[] = [];
    for (const w of publishWorkflowsOf(this.project)) {
      for (const a of w.pipeline.actionsUsed()) uses.push({ workflow: w.workflowPath, action: a.action, ref: a.ref, version: a.version });
    }
    uses.push(...this.projenUses());
    const { actions, shaPinned } = mergeActionUses(uses);
    const workflows = new Set<string>(uses.map(u => u.workflow));
    for (const w of projenWorkflows(this.project)) workflows.add(w.file!.path);
    workflows.add(this.workflowPath);
    return markChecked({ ...this.pipeline.manifest(), actions, shaPinned, workflows: [...workflows].sort() });
  }

  /** Pins projen's workflows (the `github.actions` overrides) before projen renders them. */
  public preSynthesize(): void {
    if (!(this.options.pinProjenWorkflows ?? true)) return;
    const gh = projenWorkflows(this.project).length > 0 ? github.GitHub.of(this.project)?.actions : undefined;
    if (!gh) return;
    for (const u of projenActionUses(this.project)) {
      const pin = u.overridable ? projenPinFor(u.raw, u.ref, this.table) : undefined;
      // keyed by the exact `uses:` (owner/repo@ref), so other refs of the same action are left alone
      if (pin) gh.set(u.raw, pin.uses);
    }
  }

  /** The job ids as given in the options. @internal */
  public get _jobIdOptions(): PublishJobIds {
    return this.options.jobIds ?? {};
  }

  /** @internal */
  public _renderWorkflow(marker: string | undefined): string {
    return this.pipeline._renderUnchecked(marker);
  }

  private resolvePipeline(): ContainerPublishPipeline {
    // with no stage yet (reported by validation), a placeholder keeps the other facts computable
    const target = this.dockerfile.stages.length > 0 ? (this.options.target ?? this.dockerfile.target).stageName : 'no-stage';
    const drift = this.options.synthDrift;
    return new ContainerPublishPipeline({
      ...this.options,
      synthDrift: drift ? { ...drift, installCommand: drift.installCommand ?? this.defaultInstallCommand() } : undefined,
      dockerfile: { path: this.dockerfile.path, context: this.dockerfile.context, target },
    });
  }

  /** projen's uses, with the refs they will have once pinned (once per synthesis). */
  private projenUses(): WorkflowUse[] {
    return synthCached(this.project, this.table, () => {
      const pinning = this.options.pinProjenWorkflows ?? true;
      return projenActionUses(this.project).map(u => {
        const pin = pinning && u.overridable ? projenPinFor(u.raw, u.ref, this.table) : undefined;
        return pin
          ? { workflow: u.workflow, action: u.action, ref: pin.sha, version: pin.version }
          : { workflow: u.workflow, action: u.action, ref: u.ref, version: this.versionOf(u.action, u.ref) };
      });
    });
  }

  private versionOf(action: string, ref: string): string | undefined {
    const pin = this.table.get(action);
    if (pin && pin.sha === ref) return pin.version;
    return FULL_SHA.test(ref) ? undefined : ref || undefined;
  }

  private defaultInstallCommand(): string {
    return this.project instanceof javascript.NodeProject ? this.project.package.installCommand : 'npm ci';
  }

  private problems(): string[] {
    const problems = [...this.pipeline.problems()];
    const df = this.dockerfile;
    const dfProject = findProject(df);
    if (dfProject !== undefined && dfProject !== this.project) {
      problems.push(`dockerfile ${df.node.path} belongs to another project; pass a Dockerfile of ${this.project.name}`);
    }
    if (df.stages.length === 0) {
      problems.push(`dockerfile ${df.node.path} has no stage to build; add one with addStage()`);
    } else if (this.options.target && this.options.target.dockerfile !== df) {
      problems.push(`target ${this.options.target.node.path} is not a stage of ${df.node.path}; pass one of its stages (${df.stages.map(s => s.stageName).join(', ')})`);
    }
    const manifestProblem = repositoryPathProblem(this.manifestPath, 'manifestPath');
    if (manifestProblem) problems.push(manifestProblem);
    problems.push(...jobNameClashes(this), ...this.pinningProblems());
    return problems;
  }

  private pinningProblems(): string[] {
    if (!(this.options.requireShaPinning ?? true)) return [];
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const u of this.projenUses()) {
      if (FULL_SHA.test(u.ref)) continue;
      const key = `${u.action}@${u.ref} ${u.workflow}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (this.table.has(u.action)) {
        problems.push(`${u.workflow} uses ${u.action}@${u.ref}, which is not pinned to a full commit SHA; the pin table has ${u.action}, so leave pinProjenWorkflows on (or set requireShaPinning: false)`);
        continue;
      }
      const repo = u.action.split('/').slice(0, 2).join('/');
      problems.push(`${u.workflow} uses ${u.action}@${u.ref}, which is not pinned to a full commit SHA; add ActionPin.of(${JSON.stringify(u.action)}, "<40-hex commit>", ${JSON.stringify(u.ref || 'vX.Y.Z')}) to actionPins (the commit: \`git ls-remote https://github.com/${repo} refs/tags/${u.ref || '<tag>'}\`), or set requireShaPinning: false`);
    }
    return problems;
  }
}

/** The workflow file: YAML rendered through the Document API so that pins keep their version comments. */
class WorkflowYamlFile extends FileBase {
  constructor(private readonly workflow: GhcrPublishWorkflow, path: string) {
    super(workflow, path, { committed: true });
  }
  protected synthesizeContent(_: IResolver): string | undefined {
    return this.workflow._renderWorkflow(this.marker);
  }
}
