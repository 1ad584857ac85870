import type { ActionPin } from './action-pin';
import type { Job, Step, Triggers } from './model';
import type { SynthDriftOptions } from './publish-pipeline-options';
import { exprString } from './rules';
import { workflowScript } from './scripts';
import { toModelStep, WorkflowStep } from './workflow-step';
import { GHCR_REGISTRY, SEMVER_TAG_PATTERN } from '../pipeline/constants';
import type { BranchDeployment } from '../pipeline/pipeline-manifest';

/**
 * What every form of the publish workflow is built from (one image, or a matrix of images × platforms),
 * and the steps and jobs they share.
 * @internal
 */
export interface CommonJobInputs {
  readonly workflowName: string;
  readonly deployments: readonly BranchDeployment[];
  readonly tagEnvironment?: string;
  readonly synthDriftJobId?: string;
  readonly mergeQueue: boolean;
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

/** The triggers: pull requests, pushes to the mapped branches (and semver tags), merge groups, manual runs. @internal */
export function triggers(p: CommonJobInputs): Triggers {
  return {
    pullRequest: {},
    push: {
      branches: p.deployments.map(d => d.branch),
      tags: p.tagEnvironment !== undefined ? [SEMVER_TAG_PATTERN] : undefined,
      paths: p.publishPaths ? [...p.publishPaths] : undefined,
    },
    mergeGroup: p.mergeQueue ? { types: ['checks_requested'] } : undefined,
    workflowDispatch: {},
  };
}

/** One run per workflow and ref; pull requests cancel their older runs. @internal */
export const CONCURRENCY = {
  group: '${{ github.workflow }}-${{ github.ref }}',
  cancelInProgress: "${{ github.event_name == 'pull_request' }}",
};

/** The runner labels of the jobs that are not matrix legs. @internal */
export function runsOn(p: CommonJobInputs): string | readonly string[] {
  return p.runsOn.length === 1 ? p.runsOn[0] : [...p.runsOn];
}

/** @internal */
export function checkoutStep(p: CommonJobInputs, fetchDepth?: number): Step {
  return {
    name: 'Check out',
    uses: p.pin('actions/checkout').uses,
    with: fetchDepth === undefined ? { 'persist-credentials': false } : { 'persist-credentials': false, 'fetch-depth': fetchDepth },
  };
}

/**
 * Lowercases the image name and derives the Buildx cache scopes (image [+ platform] + branch, with the
 * default branch's as fallback). `image` is the reference without lowercasing (may hold expressions).
 * @internal
 */
export function imageStep(p: CommonJobInputs, image: string, platform?: string): Step {
  return {
    name: 'Image name and cache scopes',
    id: 'image',
    shell: 'bash',
    env: {
      IMAGE: image,
      ...(platform !== undefined ? { PLATFORM: platform } : {}),
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

/** @internal */
export function buildxStep(p: CommonJobInputs): Step {
  return { name: 'Set up Docker Buildx', uses: p.pin('docker/setup-buildx-action').uses };
}

/** @internal */
export function qemuStep(p: CommonJobInputs, condition?: string): Step {
  return { name: 'Set up QEMU', if: condition, uses: p.pin('docker/setup-qemu-action').uses };
}

/** @internal */
export function loginStep(p: CommonJobInputs): Step {
  return {
    name: `Log in to ${GHCR_REGISTRY}`,
    uses: p.pin('docker/login-action').uses,
    with: { registry: GHCR_REGISTRY, username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' },
  };
}

/** The build arguments and secrets of a build-push step. @internal */
export function argumentInputs(p: CommonJobInputs): { [input: string]: string } {
  const args = Object.entries(p.buildArgs);
  const secrets = Object.keys(p.buildSecrets);
  return {
    ...(args.length > 0 ? { 'build-args': `${args.map(([k, v]) => `${k}=${v}`).join('\n')}\n` } : {}),
    ...(secrets.length > 0 ? { 'secret-envs': `${secrets.map(id => `${id}=${secretEnv(id)}`).join('\n')}\n` } : {}),
  };
}

/** The step environment variable that carries a build secret (`secret-envs` reads it). */
function secretEnv(id: string): string {
  return `BUILD_SECRET_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The build step's environment: each build secret from its GitHub secret. @internal */
export function secretEnvs(p: CommonJobInputs): { [name: string]: string } | undefined {
  const entries = Object.entries(p.buildSecrets);
  return entries.length === 0 ? undefined : Object.fromEntries(entries.map(([id, secret]) => [secretEnv(id), `\${{ secrets.${secret} }}`]));
}

/** The build step between the user's pre- and post-build steps. @internal */
export function aroundBuild(p: CommonJobInputs, build: Step): Step[] {
  return [...p.preBuildSteps.map(toModelStep), build, ...p.postBuildSteps.map(toModelStep)];
}

/** Buildx's layer cache, scoped by the image step. @internal */
export function cacheInputs(): { [input: string]: string } {
  return { 'cache-from': '${{ steps.image.outputs.cache-from }}', 'cache-to': '${{ steps.image.outputs.cache-to }}' };
}

function refIs(branch: string): string {
  return `github.ref == ${exprString(`refs/heads/${branch}`)}`;
}

/** `github.ref` → environment, as one expression. @internal */
export function environmentExpression(p: CommonJobInputs): string {
  const arms = p.deployments.map(d => `(${refIs(d.branch)} && ${exprString(d.environment)})`);
  if (p.tagEnvironment !== undefined) arms.push(`(startsWith(github.ref, 'refs/tags/') && ${exprString(p.tagEnvironment)})`);
  return `\${{ ${arms.join(' || ')} }}`;
}

/** A push to a mapped branch (or a semver tag). @internal */
export function publishCondition(p: CommonJobInputs): string {
  const refs = p.deployments.map(d => refIs(d.branch));
  if (p.tagEnvironment !== undefined) refs.push("startsWith(github.ref, 'refs/tags/')");
  return `github.event_name == 'push' && (${refs.join(' || ')})`;
}

/** The tags docker/metadata-action computes: full and short SHA, latest, the environment, semver. @internal */
export function metadataTags(p: CommonJobInputs): string {
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

/** The image name the `image` step outputs (lowercased at run time), as an expression. @internal */
export const IMAGE_NAME = '${{ steps.image.outputs.name }}';

/**
 * docker/metadata-action (step id `meta`) over the image: the tags of `metadataTags`, no automatic latest;
 * `annotationLevels` sets which manifests get the annotations. @internal
 */
export function metadataStep(p: CommonJobInputs, annotationLevels?: string): Step {
  return {
    name: 'Image metadata',
    id: 'meta',
    uses: p.pin('docker/metadata-action').uses,
    with: { images: IMAGE_NAME, flavor: 'latest=false\n', tags: metadataTags(p) },
    env: annotationLevels === undefined ? undefined : { DOCKER_METADATA_ANNOTATIONS_LEVELS: annotationLevels },
  };
}

/** The publish job's permissions: packages, and OIDC + attestations when attesting. @internal */
export function publishPermissions(p: CommonJobInputs): Job['permissions'] {
  return p.provenanceAttestation
    ? { contents: 'read', packages: 'write', idToken: 'write', attestations: 'write' }
    : { contents: 'read', packages: 'write' };
}

/** Attests the pushed digest (`digestExpression`) of the image. @internal */
export function attestStep(p: CommonJobInputs, digestExpression: string): Step {
  return {
    name: 'Attest build provenance',
    uses: p.pin('actions/attest-build-provenance').uses,
    with: {
      'subject-name': IMAGE_NAME,
      'subject-digest': digestExpression,
      'push-to-registry': true,
      // a storage record needs the `artifact-metadata` permission, which actionlint 1.7 does not know yet
      'create-storage-record': false,
    },
  };
}

/** The synth-drift job: synthesizes in CI and fails when a generated file differs from the commit. @internal */
export function driftJob(p: CommonJobInputs, id: string): Job {
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
