import { Component, JsonFile, ObjectFile, Project } from 'projen';
import { ActionPin } from './action-pin';
import { ContainerPublishPipeline } from './container-publish-pipeline';
import { addDependabotUpdates } from './dependabot-updates';
import { pinVersions } from './pin-table';
import { jobNameClashes, mergeActionUses, publishWorkflowsOf, repositoryClashes, repositoryManifestFacts, WorkflowUse } from './project-pipelines';
import { defaultBranchOf, installCommandOf, projenBuildChecks } from './projen-facts';
import { ProjenWorkflowHardening } from './projen-hardening';
import { projenActionUses, projenPinFor, projenWorkflows, splitUses } from './projen-workflows';
import type { PublishImage } from './publish-image';
import type { PublishJobIds, PublishPipelineOptions } from './publish-pipeline-options';
import { verificationDocs } from './verification-docs';
import { finalWorkflowProblems, usesOf, WorkflowYamlFile } from './workflow-file';
import type { WorkflowStep } from './workflow-step';
import { declareFiles } from '../core/file-hosts';
import { FULL_SHA } from '../core/github-names';
import { DockyardValidationError } from '../core/problems';
import { repositoryPathProblem } from '../core/repository-paths';
import type { MultiStageDockerfile } from '../dockerfile/multi-stage-dockerfile';
import type { DockerfileStage } from '../dockerfile/stage';
import { DEFAULT_MANIFEST_PATH } from '../pipeline/constants';
import { markChecked } from '../pipeline/manifest-checked';
import type { PipelineManifest } from '../pipeline/pipeline-manifest';
import { RepositoryVisibility } from '../pipeline/repository-visibility';
import { lockActionPins, lockComponentOf, lockedPin, lockPinOf } from '../projen/lock-state';
import { ensureValidationGate, findProject, synthCached } from '../projen/validation-gate';

/** Options of a GhcrPublishWorkflow. */
export interface GhcrPublishWorkflowOptions extends PublishPipelineOptions {
  /**
   * The Dockerfile to build and publish (its path, context and target come from it).
   * @default - set `images` instead
   */
  readonly dockerfile?: MultiStageDockerfile;
  /**
   * Several images in one workflow: each built for its platforms as matrix legs on native runners, pushed by
   * digest and merged into one tagged index per image; one aggregate job is the required check.
   * @default - one image: `dockerfile`
   */
  readonly images?: PublishImage[];
  /**
   * The stage to build and publish; must be a stage of `dockerfile`.
   * @default - the Dockerfile's target (`dockerfile.target`)
   */
  readonly target?: DockerfileStage;
  /**
   * Keep `.github/dependabot.yml` to what is not generated, each entry with a cooldown: a `github-actions`
   * entry for your own workflow files in `.github/workflows` (the generated ones in its `exclude-paths`), and
   * a cooldown on projen's own entries (`github.addDependabot()`). No entry watches a generated Dockerfile or
   * workflow: Dependabot's pull requests would edit files `npx projen` rewrites; DockyardLock keeps those fresh.
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
 * (`.github/dockyard-pipeline.json`) and, by default, Dependabot entries for what is not generated
 * (with a `DockyardLock`, the pins and base images are locked and refreshed). Everything is validated
 * before projen writes any file.
 */
export class GhcrPublishWorkflow extends Component {
  /** The workflow file, relative to the project root. */
  public readonly workflowPath: string;
  /** The manifest file, relative to the project root. */
  public readonly manifestPath: string;
  /** The Dockerfile built (with `images`, the first image's). */
  public readonly dockerfile: MultiStageDockerfile;
  /**
   * The workflow file: a projen `ObjectFile`, so `file.addOverride(...)` and `file.patch(JsonPatch...)` work;
   * overrides and patches are validated with the rest before anything is written.
   */
  public readonly file: ObjectFile;
  /** The projen task that verifies an image's build provenance (`verify:<workflowName>`), when provenance is attested. */
  public readonly verificationTask?: string;
  /** @internal */
  public readonly _isGhcrPublishWorkflow = true;
  private readonly options: GhcrPublishWorkflowOptions;
  private readonly workflowFile: WorkflowYamlFile;

  constructor(project: Project, options: GhcrPublishWorkflowOptions) {
    const name = options.workflowName ?? 'container-publish';
    super(project, `GhcrPublishWorkflow#${name}`);
    this.options = options;
    const first = options.dockerfile ?? options.images?.[0]?.dockerfile;
    if (first === undefined) {
      throw new DockyardValidationError([`[${project.node.path}/GhcrPublishWorkflow#${name}] has no image: pass dockerfile, or images with at least one image`]);
    }
    this.dockerfile = first;
    this.workflowPath = `.github/workflows/${name}.yml`;
    this.manifestPath = options.manifestPath ?? DEFAULT_MANIFEST_PATH;
    if (project.tryFindFile(this.workflowPath)) {
      throw new DockyardValidationError([`[${project.node.path}/GhcrPublishWorkflow#${name}] workflowName "${name}": `
        + `${this.workflowPath} is already written by another part of the project; give this workflow another workflowName`]);
    }
    ensureValidationGate(project);
    ProjenWorkflowHardening.of(project);
    this.node.addValidation({ validate: () => this.problems() });

    this.workflowFile = new WorkflowYamlFile(this, this.workflowPath, {
      workflowObject: () => this.pipeline._workflowObject(),
      versions: () => this.versions(),
      cached: (key, compute) => synthCached(this.project, key, compute),
    });
    this.file = this.workflowFile;
    // one manifest per repository, written by the first publish workflow (the others must name the same path)
    if (!project.tryFindFile(this.manifestPath)) new JsonFile(this, this.manifestPath, { obj: () => this.manifest(), committed: true });
    // how a consumer checks where an image was built: the docs beside the workflow and a task that runs the check
    if (options.provenanceAttestation ?? options.repositoryVisibility === RepositoryVisibility.PUBLIC) {
      const task = project.addTask(`verify:${name}`, {
        description: `Verify that an image was built by ${this.workflowPath} on a branch (gh attestation verify): verify:${name} <image>@<digest> [branch]`,
        // the program ships in the package: found through the package's exported package.json, the same on every machine
        exec: 'node "$(node -p "require(\'path\').join(require(\'path\').dirname(require.resolve(\'cdk-dockyard/package.json\')), '
          + `'lib/workflow/verify-cli.js')")" --workflow ${this.workflowPath}`,
        receiveArgs: true,
      });
      this.verificationTask = task.name;
      // beside the workflows folder, not in it: tools read every file of .github/workflows as a workflow
      const docs = this.workflowPath.replace(/^\.github\/workflows\/(.*)\.yml$/, '.github/$1.md');
      declareFiles(this, [{ path: docs, render: marker => verificationDocs(this.pipeline, task.name, marker) }]);
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
   * The repository's pipeline manifest, as written to `manifestPath`: every image of every publish workflow,
   * their branches, environments and required checks, and every action of every workflow of the project
   * (projen's own and every GhcrPublishWorkflow, overrides included).
   */
  public manifest(): PipelineManifest {
    const uses: WorkflowUse[] = publishWorkflowsOf(this.project).flatMap(w => w._finalUses());
    uses.push(...this.projenUses(), ...(lockComponentOf(this.project)?._refreshUses() ?? []));
    const { actions, shaPinned } = mergeActionUses(uses);
    const workflows = new Set<string>(uses.map(u => u.workflow));
    for (const w of projenWorkflows(this.project)) workflows.add(w.file!.path);
    workflows.add(this.workflowPath);
    const facts = repositoryManifestFacts(publishWorkflowsOf(this.project).map(w => w.pipeline));
    const requiredChecks = [...facts.requiredChecks, ...projenBuildChecks(this.project).filter(c => !facts.requiredChecks.includes(c))];
    return markChecked({ ...facts, requiredChecks, actions, shaPinned, workflows: [...workflows].sort() });
  }

  /**
   * Writes the Dependabot entries now that the rest of `.projenrc.ts` has run (so `github.addDependabot()`
   * after this workflow works: the entries join projen's Dependabot file).
   */
  public preSynthesize(): void {
    if (this.options.dependabot ?? true) addDependabotUpdates(this.project);
  }

  /** Every Dockerfile this workflow builds. */
  private dockerfiles(): MultiStageDockerfile[] {
    return this.options.images ? this.options.images.map(i => i?.dockerfile).filter(d => d !== undefined) : [this.dockerfile];
  }

  /** The actions of this workflow's file as written (overrides included), each with its version. @internal */
  public _finalUses(): WorkflowUse[] {
    const versions = this.versions();
    return usesOf(this.workflowFile.finalObject()).flatMap(({ uses }) => {
      const parts = splitUses(uses);
      return parts ? [{ workflow: this.workflowPath, action: parts.action, ref: parts.ref, version: versions.get(uses) }] : [];
    });
  }

  /** The pins this workflow's options add (`actionPins`). @internal */
  public get _actionPins(): ActionPin[] {
    return [...(this.options.actionPins ?? [])];
  }

  /** The pins of this workflow's own steps (`preBuildSteps`, `postBuildSteps`) as given, and their `with:` keys. @internal */
  public get _stepPins(): Array<{ pin: ActionPin; what: string; withKeys: string[] }> {
    const steps = (list: WorkflowStep[] | undefined, name: string) => (list ?? [])
      .flatMap((s, i) => (s?.uses ? [{ pin: s.uses, what: `${name}[${i}]`, withKeys: Object.keys(s.with ?? {}) }] : []));
    return [...steps(this.options.preBuildSteps, 'preBuildSteps'), ...steps(this.options.postBuildSteps, 'postBuildSteps')];
  }

  /** The cdktf app the synth-drift job synthesizes, if any. @internal */
  public get _synthDriftApp(): string | undefined {
    return this.options.synthDrift?.cdktfApp;
  }

  /** Whether projen's workflows may be pinned through projen's action overrides. @internal */
  public get _pinsProjenWorkflows(): boolean {
    return this.options.pinProjenWorkflows ?? true;
  }

  /** The job ids as given in the options. @internal */
  public get _jobIdOptions(): PublishJobIds {
    return this.options.jobIds ?? {};
  }

  /** Pinned `uses:` → version: the pin table and the pins of the extra steps. */
  private versions(): ReadonlyMap<string, string> {
    return pinVersions([...ProjenWorkflowHardening.of(this.project).table().values(), ...this.pipeline._usedPins()]);
  }

  private resolvePipeline(): ContainerPublishPipeline {
    // with no stage yet (reported by validation), a placeholder keeps the other facts computable
    const facts = (df: MultiStageDockerfile, target?: DockerfileStage) => ({
      path: df.path, context: df.context, target: df.stages.length > 0 ? (target ?? df.target).stageName : 'no-stage',
    });
    const drift = this.options.synthDrift;
    // with a lock, its pins win over the shipped ones and yours (its inputs check the `with:` keys)
    const locked = (steps: WorkflowStep[] | undefined) => steps?.map(s => (s?.uses ? { ...s, uses: lockedPin(this.project, s.uses) } : s));
    return new ContainerPublishPipeline({
      ...this.options,
      actionPins: [...(this.options.actionPins ?? []), ...lockActionPins(this.project)],
      preBuildSteps: locked(this.options.preBuildSteps),
      postBuildSteps: locked(this.options.postBuildSteps),
      dockerfile: this.options.dockerfile ? facts(this.options.dockerfile, this.options.target) : undefined,
      images: this.options.images?.map(i => ({
        name: i?.name,
        imageName: i?.imageName,
        platforms: i?.platforms,
        paths: i?.paths,
        dockerfile: i?.dockerfile ? facts(i.dockerfile, i.target) : { path: 'Dockerfile', context: '.', target: 'no-stage' },
      })),
      deployments: this.options.deployments ?? [
        { branch: defaultBranchOf(this.project), environment: 'production' },
        { branch: 'develop', environment: 'staging' },
      ],
      synthDrift: drift ? { ...drift, installCommand: drift.installCommand ?? installCommandOf(this.project) } : undefined,
    });
  }

  /** projen's uses, with the refs they will have once pinned (once per synthesis). */
  private projenUses(): WorkflowUse[] {
    return synthCached(this.project, this.options, () => {
      const table = ProjenWorkflowHardening.of(this.project).table();
      const pinning = publishWorkflowsOf(this.project).every(w => w._pinsProjenWorkflows);
      return projenActionUses(this.project).map(u => {
        const pin = pinning && u.overridable ? lockPinOf(this.project, u.action) ?? projenPinFor(u.raw, u.ref, table) : undefined;
        if (pin) return { workflow: u.workflow, action: u.action, ref: pin.sha, version: pin.version };
        const known = table.get(u.action);
        const version = known && known.sha === u.ref ? known.version : FULL_SHA.test(u.ref) ? undefined : u.ref || undefined;
        return { workflow: u.workflow, action: u.action, ref: u.ref, version };
      });
    });
  }

  private problems(): string[] {
    const problems = [...this.pipeline.problems()];
    const targets: Array<[MultiStageDockerfile | undefined, DockerfileStage | undefined, string]> = this.options.images
      ? this.options.images.map((i, n) => [i?.dockerfile, i?.target, `images[${n}].`])
      : [[this.options.dockerfile, this.options.target, '']];
    for (const [df, target, prefix] of targets) {
      if (df === undefined) continue;
      const dfProject = findProject(df);
      if (dfProject !== undefined && dfProject !== this.project) {
        problems.push(`${prefix}dockerfile ${df.node.path} belongs to another project; pass a Dockerfile of ${this.project.name}`);
      }
      if (df.stages.length === 0) {
        problems.push(`${prefix}dockerfile ${df.node.path} has no stage to build; add one with addStage()`);
      } else if (target && target.dockerfile !== df) {
        problems.push(`${prefix}target ${target.node.path} is not a stage of ${df.node.path}; pass one of its stages (${df.stages.map(s => s.stageName).join(', ')})`);
      }
    }
    problems.push(...repositoryClashes(this));
    const manifestProblem = repositoryPathProblem(this.manifestPath, 'manifestPath');
    if (manifestProblem) problems.push(manifestProblem);
    problems.push(...jobNameClashes(this), ...this.pinningProblems(), ...this.dockerfileAgreementProblems());
    problems.push(...finalWorkflowProblems(this.workflowFile.finalObject(), this.pipeline.requiredChecks, new Set(this.versions().keys())));
    return problems;
  }

  /** The build arguments and secrets the workflow passes are ones every Dockerfile it builds declares and mounts. */
  private dockerfileAgreementProblems(): string[] {
    const problems: string[] = [];
    for (const df of this.dockerfiles()) {
      const args = new Set(df.documentedVariables().filter(v => v.kind === 'ARG').map(v => v.name));
      for (const name of Object.keys(this.options.buildArgs ?? {})) {
        if (!args.has(name)) problems.push(`buildArgs.${name} is not an ARG of ${df.node.path}, so the build would ignore it: declare it (stage.arg('${name}') or dockerfile.addArg('${name}')) or drop it`);
      }
      const secrets = df.secretIds();
      for (const id of Object.keys(this.options.buildSecrets ?? {})) {
        if (!secrets.includes(id)) problems.push(`buildSecrets.${id} is not mounted by ${df.node.path} (no RunMount.secret({ id: '${id}' })), so the build would never read it: mount it where it is needed or drop it`);
      }
    }
    return problems;
  }

  private pinningProblems(): string[] {
    if (!(this.options.requireShaPinning ?? true)) return [];
    const problems: string[] = [];
    const seen = new Set<string>();
    const table = ProjenWorkflowHardening.of(this.project).table();
    for (const u of this.projenUses()) {
      if (FULL_SHA.test(u.ref)) continue;
      const key = `${u.action}@${u.ref} ${u.workflow}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (table.has(u.action)) {
        problems.push(`${u.workflow} uses ${u.action}@${u.ref}, which is not pinned to a full commit SHA; the pin table has ${u.action}, so leave pinProjenWorkflows on (or set requireShaPinning: false)`);
        continue;
      }
      const repo = u.action.split('/').slice(0, 2).join('/');
      problems.push(`${u.workflow} uses ${u.action}@${u.ref}, which is not pinned to a full commit SHA; add ActionPin.of(${JSON.stringify(u.action)}, "<40-hex commit>", ${JSON.stringify(u.ref || 'vX.Y.Z')}) to actionPins (the commit: \`git ls-remote https://github.com/${repo} refs/tags/${u.ref || '<tag>'}\`), or set requireShaPinning: false`);
    }
    return problems;
  }
}
