import type { ActionPin } from './action-pin';
import type { Job, Step, Triggers, Workflow } from './model';
import type { SynthDriftOptions } from './publish-pipeline-options';
import { exprString } from './rules';
import { workflowScript } from './scripts';
import { toModelStep, WorkflowStep } from './workflow-step';
import { GHCR_REGISTRY, SEMVER_TAG_PATTERN } from '../pipeline/constants';
import type { BranchDeployment, PipelineDockerfile } from '../pipeline/pipeline-manifest';

/** What the jobs are built from: a pipeline's resolved facts. @internal */
export interface PublishJobInputs {
  readonly workflowName: string;
  readonly imageName?: string;
  readonly dockerfile: PipelineDockerfile;
  readonly deployments: readonly BranchDeployment[];
  readonly tagEnvironment?: string;
  readonly buildJobId: string;
  readonly publishJobId: string;
  readonly synthDriftJobId?: string;
  readonly mergeQueue: boolean;
  readonly platforms: readonly string[];
  readonly runsOn: readonly string[];
  readonly publishPaths?: readonly string[];
  readonly provenanceAttestation: boolean;
  readonly sbom: boolean;
  readonly synthDrift?: SynthDriftOptions;
  readonly preBuildSteps: readonly WorkflowStep[];
  readonly postBuildSteps: readonly WorkflowStep[];
  readonly buildArgs: { readonly [name: string]: string };
  readonly buildSecrets: { readonly [id: string]: string };
  readonly publishNeeds: readonly string[];
  /** The pin of an action the workflow uses. */
  pin(action: string): ActionPin;
}

/** The actions the workflow uses, in first-use order. @internal */
export function usedActions(p: PublishJobInputs): string[] {
  const names = ['actions/checkout'];
  if (p.synthDriftJobId) names.push('actions/setup-node');
  if (p.platforms.length > 1) names.push('docker/setup-qemu-action');
  names.push('docker/setup-buildx-action', 'docker/build-push-action', 'docker/login-action', 'docker/metadata-action');
  if (p.provenanceAttestation) names.push('actions/attest-build-provenance');
  return names;
}

/** The whole workflow. @internal */
export function publishWorkflow(p: PublishJobInputs): Workflow {
  const on: Triggers = {
    pullRequest: {},
    push: {
      branches: p.deployments.map(d => d.branch),
      tags: p.tagEnvironment !== undefined ? [SEMVER_TAG_PATTERN] : undefined,
      paths: p.publishPaths ? [...p.publishPaths] : undefined,
    },
    mergeGroup: p.mergeQueue ? { types: ['checks_requested'] } : undefined,
    workflowDispatch: {},
  };
  const jobs = new Map<string, Job>();
  if (p.synthDriftJobId) jobs.set(p.synthDriftJobId, driftJob(p, p.synthDriftJobId));
  jobs.set(p.buildJobId, buildJob(p));
  jobs.set(p.publishJobId, publishJob(p));
  return {
    name: p.workflowName,
    on,
    permissions: { contents: 'read' },
    concurrency: {
      group: '${{ github.workflow }}-${{ github.ref }}',
      cancelInProgress: "${{ github.event_name == 'pull_request' }}",
    },
    jobs,
  };
}

function runsOn(p: PublishJobInputs): string | readonly string[] {
  return p.runsOn.length === 1 ? p.runsOn[0] : [...p.runsOn];
}

function checkoutStep(p: PublishJobInputs): Step {
  return { name: 'Check out', uses: p.pin('actions/checkout').uses, with: { 'persist-credentials': false } };
}

/** Lowercases the image name and derives the Buildx cache scopes (image + branch, default branch fallback). */
function imageStep(p: PublishJobInputs): Step {
  return {
    name: 'Image name and cache scopes',
    id: 'image',
    shell: 'bash',
    env: {
      IMAGE: p.imageName ? `${GHCR_REGISTRY}/${p.imageName}` : `${GHCR_REGISTRY}/\${{ github.repository }}`,
      EVENT_NAME: '${{ github.event_name }}',
      REF_NAME: '${{ github.ref_name }}',
      REF_TYPE: '${{ github.ref_type }}',
      BASE_REF: '${{ github.base_ref }}',
      DEFAULT_BRANCH: '${{ github.event.repository.default_branch }}',
      ...(p.mergeQueue ? { MERGE_BASE_REF: '${{ github.event.merge_group.base_ref }}' } : {}),
    },
    run: workflowScript('image-and-cache'),
  };
}

function setupSteps(p: PublishJobInputs): Step[] {
  const steps: Step[] = [];
  if (p.platforms.length > 1) steps.push({ name: 'Set up QEMU', uses: p.pin('docker/setup-qemu-action').uses });
  steps.push({ name: 'Set up Docker Buildx', uses: p.pin('docker/setup-buildx-action').uses });
  return steps;
}

function buildInputs(p: PublishJobInputs): { [input: string]: string } {
  const args = Object.entries(p.buildArgs);
  const secrets = Object.keys(p.buildSecrets);
  return {
    context: p.dockerfile.context,
    file: p.dockerfile.path,
    target: p.dockerfile.target,
    ...(p.platforms.length > 0 ? { platforms: p.platforms.join(',') } : {}),
    ...(args.length > 0 ? { 'build-args': `${args.map(([k, v]) => `${k}=${v}`).join('\n')}\n` } : {}),
    ...(secrets.length > 0 ? { 'secret-envs': `${secrets.map(id => `${id}=${secretEnv(id)}`).join('\n')}\n` } : {}),
  };
}

/** The step environment variable that carries a build secret (`secret-envs` reads it). */
function secretEnv(id: string): string {
  return `BUILD_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The build step's environment: each build secret from its GitHub secret. */
function secretEnvs(p: PublishJobInputs): { [name: string]: string } | undefined {
  const entries = Object.entries(p.buildSecrets);
  return entries.length === 0 ? undefined : Object.fromEntries(entries.map(([id, secret]) => [secretEnv(id), `\${{ secrets.${secret} }}`]));
}

/** The build step between the user's pre- and post-build steps. */
function aroundBuild(p: PublishJobInputs, build: Step): Step[] {
  return [...p.preBuildSteps.map(toModelStep), build, ...p.postBuildSteps.map(toModelStep)];
}

function buildJob(p: PublishJobInputs): Job {
  return {
    name: p.buildJobId,
    runsOn: runsOn(p),
    permissions: { contents: 'read' },
    steps: [
      checkoutStep(p),
      imageStep(p),
      ...setupSteps(p),
      ...aroundBuild(p, {
        name: 'Build (no push)',
        uses: p.pin('docker/build-push-action').uses,
        with: { ...buildInputs(p), push: false, ...cacheInputs() },
        env: secretEnvs(p),
      }),
    ],
  };
}

/** Buildx's layer cache, scoped by the image step. */
function cacheInputs(): { [input: string]: string } {
  return { 'cache-from': '${{ steps.image.outputs.cache-from }}', 'cache-to': '${{ steps.image.outputs.cache-to }}' };
}

function refIs(branch: string): string {
  return `github.ref == ${exprString(`refs/heads/${branch}`)}`;
}

/** `github.ref` → environment, as one expression. */
function environmentExpression(p: PublishJobInputs): string {
  const arms = p.deployments.map(d => `(${refIs(d.branch)} && ${exprString(d.environment)})`);
  if (p.tagEnvironment !== undefined) arms.push(`(startsWith(github.ref, 'refs/tags/') && ${exprString(p.tagEnvironment)})`);
  return `\${{ ${arms.join(' || ')} }}`;
}

function publishCondition(p: PublishJobInputs): string {
  const refs = p.deployments.map(d => refIs(d.branch));
  if (p.tagEnvironment !== undefined) refs.push("startsWith(github.ref, 'refs/tags/')");
  return `github.event_name == 'push' && (${refs.join(' || ')})`;
}

function metadataTags(p: PublishJobInputs): string {
  const tags = [
    'type=sha,format=long',
    'type=sha',
    'type=raw,value=latest,enable={{is_default_branch}}',
    ...p.deployments.map(d => `type=raw,value=${d.environment},enable=\${{ ${refIs(d.branch)} }}`),
  ];
  if (p.tagEnvironment !== undefined) {
    tags.push(
      `type=raw,value=${p.tagEnvironment},enable=\${{ startsWith(github.ref, 'refs/tags/') }}`,
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
    );
  }
  return `${tags.join('\n')}\n`;
}

function publishJob(p: PublishJobInputs): Job {
  const steps: Step[] = [
    checkoutStep(p),
    imageStep(p),
    ...setupSteps(p),
    {
      name: `Log in to ${GHCR_REGISTRY}`,
      uses: p.pin('docker/login-action').uses,
      with: { registry: GHCR_REGISTRY, username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' },
    },
    {
      name: 'Image metadata',
      id: 'meta',
      uses: p.pin('docker/metadata-action').uses,
      with: { images: '${{ steps.image.outputs.name }}', flavor: 'latest=false\n', tags: metadataTags(p) },
      // a multi-platform push produces an image index: annotate it too
      env: p.platforms.length > 1 ? { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' } : undefined,
    },
    ...aroundBuild(p, {
      name: 'Build and push',
      id: 'build',
      uses: p.pin('docker/build-push-action').uses,
      with: {
        ...buildInputs(p),
        push: true,
        tags: '${{ steps.meta.outputs.tags }}',
        labels: '${{ steps.meta.outputs.labels }}',
        annotations: '${{ steps.meta.outputs.annotations }}',
        ...cacheInputs(),
        ...(p.sbom ? { sbom: true } : {}),
      },
      env: secretEnvs(p),
    }),
  ];
  if (p.provenanceAttestation) {
    steps.push({
      name: 'Attest build provenance',
      uses: p.pin('actions/attest-build-provenance').uses,
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
    name: p.publishJobId,
    needs: [p.buildJobId, ...(p.synthDriftJobId ? [p.synthDriftJobId] : []), ...p.publishNeeds],
    if: publishCondition(p),
    runsOn: runsOn(p),
    permissions: p.provenanceAttestation
      ? { contents: 'read', packages: 'write', idToken: 'write', attestations: 'write' }
      : { contents: 'read', packages: 'write' },
    environment: environmentExpression(p),
    steps,
  };
}

function driftJob(p: PublishJobInputs, id: string): Job {
  const drift = p.synthDrift ?? {};
  const steps: Step[] = [
    checkoutStep(p),
    { name: 'Set up Node.js', uses: p.pin('actions/setup-node').uses, with: { 'node-version': drift.nodeVersion ?? 'lts/*' } },
    { name: 'Install dependencies', shell: 'bash', run: `${drift.installCommand ?? 'npm ci'}\n` },
    { name: 'Synthesize the project', shell: 'bash', run: 'npx projen --no-post\n' },
  ];
  if (drift.cdktfApp !== undefined) {
    steps.push({
      name: 'Synthesize the cdktf app',
      shell: 'bash',
      workingDirectory: drift.cdktfApp,
      env: { CHECKPOINT_DISABLE: '1' },
      run: 'npx cdktf synth\n',
    });
  }
  const commands = drift.cdktfApp !== undefined ? 'npx projen and npx cdktf synth' : 'npx projen';
  steps.push({ name: 'Fail on drift', shell: 'bash', run: workflowScript('fail-on-drift', { __SYNTH_COMMANDS__: commands }) });
  return { name: id, runsOn: runsOn(p), permissions: { contents: 'read' }, steps };
}
