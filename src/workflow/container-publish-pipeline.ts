import { ActionPin } from './action-pin';
import { pinTable } from './pin-table';
import type { PublishPipelineOptions } from './publish-pipeline-options';
import {
  branchProblem, commandProblem, environmentProblem, exprString, imageNameProblem, jobIdProblem, nodeVersionProblem,
  pathFilterProblem, platformProblem, relativePathProblem, runnerLabelProblem, textProblem, workflowNameProblem,
} from './rules';
import { renderWorkflowYaml } from './workflow-yaml';
import { DockyardValidationError } from '../core/problems';
import type { ActionUse, BranchDeployment, PipelineDockerfile, PipelineManifest } from '../pipeline/pipeline-manifest';

/** Options of a ContainerPublishPipeline. */
export interface ContainerPublishPipelineOptions extends PublishPipelineOptions {
  /** The Dockerfile to build: its path, build target and context, relative to the repository root. */
  readonly dockerfile: PipelineDockerfile;
}

/** The registry every image is pushed to. */
const REGISTRY = 'ghcr.io';
/** The semver tag filter of the publish trigger. */
const SEMVER_TAGS = 'v*.*.*';
const DEFAULT_DEPLOYMENTS: BranchDeployment[] = [
  { branch: 'main', environment: 'production' },
  { branch: 'develop', environment: 'staging' },
];

type Obj = Record<string, unknown>;

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
  private readonly pins: Map<string, ActionPin>;
  private readonly platforms: string[];
  private readonly runsOn: string[];

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
    this.pins = pinTable(options.actionPins ?? []);
    this.platforms = [...(options.platforms ?? [])];
    this.runsOn = [...(options.runsOn ?? ['ubuntu-latest'])];
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
    return this.tagEnvironment !== undefined ? SEMVER_TAGS : undefined;
  }

  /** Every problem with the options, each naming the value, the rule and the fix; empty when valid. */
  public problems(): string[] {
    const o = this.options;
    const p: (string | undefined)[] = [];
    p.push(workflowNameProblem(this.workflowName));
    p.push(relativePathProblem(this.dockerfile?.path, 'Dockerfile path'));
    p.push(relativePathProblem(this.dockerfile?.context, 'Dockerfile context'));
    p.push(textProblem(this.dockerfile?.target, 'Dockerfile target'));
    if (typeof this.dockerfile?.target === 'string' && !/^[a-z][a-z0-9_.-]*$/.test(this.dockerfile.target)) {
      p.push(`Dockerfile target ${JSON.stringify(this.dockerfile.target)} is not a stage name (lowercase letters, digits, "_", ".", "-")`);
    }
    if (this.imageName !== undefined) p.push(imageNameProblem(this.imageName));
    if (this.deployments.length === 0) p.push('deployments is empty; map at least one branch to an environment, e.g. { branch: "main", environment: "production" }');
    const branches = new Set<string>();
    for (const [i, d] of this.deployments.entries()) {
      p.push(branchProblem(d?.branch, `deployments[${i}].branch`));
      p.push(environmentProblem(d?.environment, `deployments[${i}].environment`));
      if (branches.has(d?.branch)) p.push(`deployments[${i}].branch ${JSON.stringify(d.branch)} is listed twice; map each branch once`);
      branches.add(d?.branch);
    }
    if (o.tagEnvironment !== undefined) {
      p.push(environmentProblem(o.tagEnvironment, 'tagEnvironment'));
      if (!(o.publishSemverTags ?? false)) p.push('tagEnvironment is set but publishSemverTags is off; set publishSemverTags: true or drop tagEnvironment');
    }
    const envs = new Map<string, string>();
    for (const e of [...this.deployments.map(d => d?.environment), ...(this.tagEnvironment ? [this.tagEnvironment] : [])]) {
      if (typeof e !== 'string') continue;
      const prev = envs.get(e.toLowerCase());
      if (prev !== undefined && prev !== e) p.push(`environments ${JSON.stringify(prev)} and ${JSON.stringify(e)} differ only in case, but GitHub environment names are case-insensitive; spell them the same`);
      envs.set(e.toLowerCase(), e);
    }
    for (const [i, pl] of this.platforms.entries()) p.push(platformProblem(pl, `platforms[${i}]`));
    if (new Set(this.platforms).size !== this.platforms.length) p.push('platforms lists a platform twice; list each once');
    for (const [i, g] of (o.publishPaths ?? []).entries()) p.push(pathFilterProblem(g, `publishPaths[${i}]`));
    if (o.publishPaths !== undefined && o.publishPaths.length === 0) p.push('publishPaths is empty; omit it to publish on every push, or list at least one glob');
    if (this.runsOn.length === 0) p.push('runsOn is empty; give at least one runner label, e.g. "ubuntu-latest"');
    for (const [i, l] of this.runsOn.entries()) p.push(runnerLabelProblem(l, `runsOn[${i}]`));
    p.push(jobIdProblem(this.buildJobId, 'jobIds.buildJob'));
    p.push(jobIdProblem(this.publishJobId, 'jobIds.publishJob'));
    if (this.synthDriftJobId !== undefined) p.push(jobIdProblem(this.synthDriftJobId, 'jobIds.synthDriftJob'));
    const lower = this.jobNames.map(n => String(n).toLowerCase());
    if (new Set(lower).size !== lower.length) p.push(`jobIds ${JSON.stringify(this.jobNames)} repeat a name; give each job its own id`);
    const drift = o.synthDrift;
    if (drift) {
      if (drift.installCommand !== undefined) p.push(commandProblem(drift.installCommand, 'synthDrift.installCommand'));
      if (drift.nodeVersion !== undefined) p.push(nodeVersionProblem(drift.nodeVersion, 'synthDrift.nodeVersion'));
      if (drift.cdktfApp !== undefined) p.push(relativePathProblem(drift.cdktfApp, 'synthDrift.cdktfApp'));
    }
    for (const pin of o.actionPins ?? []) p.push(...pin._problems());
    return p.filter((x): x is string => x !== undefined);
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
      schemaVersion: 1,
      imageName: this.imageName,
      registry: REGISTRY,
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

  /** @internal */
  public _renderUnchecked(header: string | undefined): string {
    const versions = new Map(this._usedPins().map(p => [p.uses, p.version] as const));
    return renderWorkflowYaml(this._workflowObject(), versions, header);
  }

  /** The pins of the actions the workflow uses, in first-use order. @internal */
  public _usedPins(): ActionPin[] {
    const names = ['actions/checkout'];
    if (this.synthDriftJobId) names.push('actions/setup-node');
    if (this.platforms.length > 1) names.push('docker/setup-qemu-action');
    names.push('docker/setup-buildx-action', 'docker/build-push-action', 'docker/login-action', 'docker/metadata-action');
    if (this.options.provenanceAttestation) names.push('actions/attest-build-provenance');
    return names.map(n => this.pin(n));
  }

  /** The workflow as a plain object with GitHub's keys. @internal */
  public _workflowObject(): Obj {
    const push: Obj = { branches: this.deployments.map(d => d.branch) };
    if (this.tagEnvironment !== undefined) push.tags = [SEMVER_TAGS];
    if (this.options.publishPaths) push.paths = [...this.options.publishPaths];
    const on: Obj = { pull_request: {}, push };
    if (this.mergeQueue) on.merge_group = { types: ['checks_requested'] };
    on.workflow_dispatch = {};

    // own properties even for an id such as "__proto__" (an assignment would set the prototype instead)
    const jobs: Obj = Object.fromEntries([
      ...(this.synthDriftJobId ? [[this.synthDriftJobId, this.driftJob()]] : []),
      [this.buildJobId, this.buildJob()],
      [this.publishJobId, this.publishJob()],
    ]);
    return {
      name: this.workflowName,
      on,
      permissions: { contents: 'read' },
      concurrency: {
        'group': '${{ github.workflow }}-${{ github.ref }}',
        'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
      },
      jobs,
    };
  }

  private pin(action: string): ActionPin {
    const p = this.pins.get(action);
    if (!p) throw new Error(`no pin for ${action}`);
    return p;
  }

  private runsOnValue(): string | string[] {
    return this.runsOn.length === 1 ? this.runsOn[0] : [...this.runsOn];
  }

  private checkoutStep(): Obj {
    return { name: 'Check out', uses: this.pin('actions/checkout').uses, with: { 'persist-credentials': false } };
  }

  /** Lowercases the image name and derives the Buildx cache scopes (image + branch, default branch fallback). */
  private imageStep(): Obj {
    const env: Obj = {
      IMAGE: this.imageName ? `${REGISTRY}/${this.imageName}` : `${REGISTRY}/\${{ github.repository }}`,
      EVENT_NAME: '${{ github.event_name }}',
      REF_NAME: '${{ github.ref_name }}',
      REF_TYPE: '${{ github.ref_type }}',
      BASE_REF: '${{ github.base_ref }}',
      DEFAULT_BRANCH: '${{ github.event.repository.default_branch }}',
    };
    if (this.mergeQueue) env.MERGE_BASE_REF = '${{ github.event.merge_group.base_ref }}';
    const run = [
      '# lowercase: registries reject uppercase owner or repository names',
      'name="${IMAGE,,}"',
      '# cache keys hold only [A-Za-z0-9._-]: every other character becomes "-"',
      'key="${name//[^a-z0-9._-]/-}"',
      'case "${EVENT_NAME}" in',
      '  pull_request) branch="${BASE_REF}" ;;',
      '  merge_group) branch="${MERGE_BASE_REF#refs/heads/}" ;;',
      '  *) branch="${REF_NAME}" ;;',
      'esac',
      'branch="${branch//[^A-Za-z0-9._-]/-}"',
      'fallback="${DEFAULT_BRANCH//[^A-Za-z0-9._-]/-}"',
      '{',
      '  echo "name=${name}"',
      '  echo "cache-from<<CACHE_FROM_EOF"',
      '  echo "type=gha,scope=${key}-${branch}"',
      '  # fall back to the default branch\'s cache',
      '  if [ -n "${fallback}" ] && [ "${fallback}" != "${branch}" ]; then',
      '    echo "type=gha,scope=${key}-${fallback}"',
      '  fi',
      '  echo "CACHE_FROM_EOF"',
      '  # write the cache only from branch pushes and manual runs, never from pull requests or merge groups',
      '  case "${EVENT_NAME}/${REF_TYPE}" in',
      '    push/branch | workflow_dispatch/branch) echo "cache-to=type=gha,scope=${key}-${branch},mode=max" ;;',
      '    *) echo "cache-to=" ;;',
      '  esac',
      '} >> "${GITHUB_OUTPUT}"',
    ];
    return { name: 'Image name and cache scopes', id: 'image', shell: 'bash', env, run: `${run.join('\n')}\n` };
  }

  private setupSteps(): Obj[] {
    const steps: Obj[] = [];
    if (this.platforms.length > 1) steps.push({ name: 'Set up QEMU', uses: this.pin('docker/setup-qemu-action').uses });
    steps.push({ name: 'Set up Docker Buildx', uses: this.pin('docker/setup-buildx-action').uses });
    return steps;
  }

  private buildInputs(): Obj {
    const w: Obj = {
      context: this.dockerfile.context,
      file: this.dockerfile.path,
      target: this.dockerfile.target,
    };
    if (this.platforms.length > 0) w.platforms = this.platforms.join(',');
    return w;
  }

  private buildJob(): Obj {
    return {
      'name': this.buildJobId,
      'runs-on': this.runsOnValue(),
      'permissions': { contents: 'read' },
      'steps': [
        this.checkoutStep(),
        this.imageStep(),
        ...this.setupSteps(),
        {
          name: 'Build (no push)',
          uses: this.pin('docker/build-push-action').uses,
          with: {
            ...this.buildInputs(),
            'push': false,
            'cache-from': '${{ steps.image.outputs.cache-from }}',
            'cache-to': '${{ steps.image.outputs.cache-to }}',
          },
        },
      ],
    };
  }

  private refIs(branch: string): string {
    return `github.ref == ${exprString(`refs/heads/${branch}`)}`;
  }

  /** `github.ref` → environment, as one expression. */
  private environmentExpression(): string {
    const arms = this.deployments.map(d => `(${this.refIs(d.branch)} && ${exprString(d.environment)})`);
    if (this.tagEnvironment !== undefined) arms.push(`(startsWith(github.ref, 'refs/tags/') && ${exprString(this.tagEnvironment)})`);
    return `\${{ ${arms.join(' || ')} }}`;
  }

  private publishCondition(): string {
    const refs = this.deployments.map(d => this.refIs(d.branch));
    if (this.tagEnvironment !== undefined) refs.push("startsWith(github.ref, 'refs/tags/')");
    return `github.event_name == 'push' && (${refs.join(' || ')})`;
  }

  private metadataTags(): string {
    const tags = [
      'type=sha,format=long',
      'type=sha',
      'type=raw,value=latest,enable={{is_default_branch}}',
      ...this.deployments.map(d => `type=raw,value=${d.environment},enable=\${{ ${this.refIs(d.branch)} }}`),
    ];
    if (this.tagEnvironment !== undefined) {
      tags.push(
        `type=raw,value=${this.tagEnvironment},enable=\${{ startsWith(github.ref, 'refs/tags/') }}`,
        'type=semver,pattern={{version}}',
        'type=semver,pattern={{major}}.{{minor}}',
      );
    }
    return `${tags.join('\n')}\n`;
  }

  private publishJob(): Obj {
    const permissions: Obj = { contents: 'read', packages: 'write' };
    if (this.options.provenanceAttestation) {
      permissions['id-token'] = 'write';
      permissions.attestations = 'write';
    }
    const metadata: Obj = {
      name: 'Image metadata',
      id: 'meta',
      uses: this.pin('docker/metadata-action').uses,
      with: {
        images: '${{ steps.image.outputs.name }}',
        flavor: 'latest=false\n',
        tags: this.metadataTags(),
      },
    };
    // a multi-platform push produces an image index: annotate it too
    if (this.platforms.length > 1) metadata.env = { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' };
    const build: Obj = {
      ...this.buildInputs(),
      'push': true,
      'tags': '${{ steps.meta.outputs.tags }}',
      'labels': '${{ steps.meta.outputs.labels }}',
      'annotations': '${{ steps.meta.outputs.annotations }}',
      'cache-from': '${{ steps.image.outputs.cache-from }}',
      'cache-to': '${{ steps.image.outputs.cache-to }}',
    };
    if (this.options.sbom) build.sbom = true;
    const steps: Obj[] = [
      this.checkoutStep(),
      this.imageStep(),
      ...this.setupSteps(),
      {
        name: 'Log in to ghcr.io',
        uses: this.pin('docker/login-action').uses,
        with: { registry: REGISTRY, username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' },
      },
      metadata,
      { name: 'Build and push', id: 'build', uses: this.pin('docker/build-push-action').uses, with: build },
    ];
    if (this.options.provenanceAttestation) {
      steps.push({
        name: 'Attest build provenance',
        uses: this.pin('actions/attest-build-provenance').uses,
        with: {
          'subject-name': '${{ steps.image.outputs.name }}',
          'subject-digest': '${{ steps.build.outputs.digest }}',
          'push-to-registry': true,
          // a storage record needs the `artifact-metadata` permission, which actionlint 1.7 does not know yet
          'create-storage-record': false,
        },
      });
    }
    return {
      'name': this.publishJobId,
      'needs': [this.buildJobId, ...(this.synthDriftJobId ? [this.synthDriftJobId] : [])],
      'if': this.publishCondition(),
      'runs-on': this.runsOnValue(),
      'permissions': permissions,
      'environment': this.environmentExpression(),
      steps,
    };
  }

  private driftJob(): Obj {
    const drift = this.options.synthDrift!;
    const steps: Obj[] = [
      this.checkoutStep(),
      { name: 'Set up Node.js', uses: this.pin('actions/setup-node').uses, with: { 'node-version': drift.nodeVersion ?? 'lts/*' } },
      { name: 'Install dependencies', shell: 'bash', run: `${drift.installCommand ?? 'npm ci'}\n` },
      { name: 'Synthesize the project', shell: 'bash', run: 'npx projen --no-post\n' },
    ];
    if (drift.cdktfApp !== undefined) {
      steps.push({
        'name': 'Synthesize the cdktf app',
        'shell': 'bash',
        'working-directory': drift.cdktfApp,
        'env': { CHECKPOINT_DISABLE: '1' },
        'run': 'npx cdktf synth\n',
      });
    }
    const what = drift.cdktfApp !== undefined ? 'npx projen and npx cdktf synth' : 'npx projen';
    steps.push({
      name: 'Fail on drift',
      shell: 'bash',
      run: [
        'if ! git diff --exit-code; then',
        `  echo "::error::Generated files differ from the commit: run ${what} and commit the result."`,
        '  exit 1',
        'fi',
        'untracked="$(git ls-files --others --exclude-standard)"',
        'if [ -n "${untracked}" ]; then',
        `  echo "::error::Synthesis wrote files that are not committed: commit them (run ${what}) or ignore them."`,
        '  printf \'%s\\n\' "${untracked}"',
        '  exit 1',
        'fi',
        '',
      ].join('\n'),
    });
    return { 'name': this.synthDriftJobId, 'runs-on': this.runsOnValue(), 'permissions': { contents: 'read' }, steps };
  }
}
