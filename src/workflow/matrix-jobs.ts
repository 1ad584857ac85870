import {
  aroundBuild, argumentInputs, attestStep, buildxStep, cacheInputs, checkoutStep, CommonJobInputs, CONCURRENCY, driftJob,
  environmentExpression, imageStep, IMAGE_NAME, loginStep, metadataStep, publishCondition, publishPermissions, qemuStep, runsOn, secretEnvs,
  triggers,
} from './jobs-common';
import type { Job, Step, Strategy, Workflow } from './model';
import { workflowScript } from './scripts';
import { GHCR_REGISTRY } from '../pipeline/constants';
import type { PipelineDockerfile } from '../pipeline/pipeline-manifest';

/** One image of a matrix pipeline, resolved. @internal */
export interface MatrixImage {
  /** The image's id: a matrix value, part of artifact names and of the default image name. */
  readonly name: string;
  /** The image path without registry, when fixed; else `<owner>/<repo>/<name>` at run time. */
  readonly repository?: string;
  readonly dockerfile: PipelineDockerfile;
  readonly platforms: readonly string[];
  readonly paths?: readonly string[];
}

/** The job ids of a matrix pipeline. @internal */
export interface MatrixJobIds {
  readonly changes: string;
  readonly build: string;
  readonly publish: string;
  readonly merge: string;
  readonly ready: string;
}

/** What the matrix workflow is built from. @internal */
export interface MatrixJobInputs extends CommonJobInputs {
  readonly images: readonly MatrixImage[];
  /** The runner of each platform's legs. */
  readonly runners: { readonly [platform: string]: string };
  /** Whether non-native platforms are emulated with QEMU on the linux/amd64 runner. */
  readonly emulate: boolean;
  readonly jobIds: MatrixJobIds;
}

/** The platform every runner runs natively when nothing else is known. */
export const NATIVE_PLATFORM = 'linux/amd64';

/** One leg: an image on a platform. @internal */
export interface Leg {
  readonly image: string;
  readonly platform: string;
  readonly runner: string;
  readonly slug: string;
  readonly file: string;
  readonly context: string;
  readonly target: string;
  readonly repository: string;
}

/** Every leg, images × platforms, each on its platform's runner (or emulated on the amd64 runner). @internal */
export function legsOf(p: MatrixJobInputs): Leg[] {
  return p.images.flatMap(image => image.platforms.map(platform => ({
    image: image.name,
    platform,
    runner: p.runners[platform] ?? (p.emulate ? p.runners[NATIVE_PLATFORM] : '') ?? '',
    slug: platform.replace(/[^a-z0-9]+/g, '-'),
    file: image.dockerfile.path,
    context: image.dockerfile.context,
    target: image.dockerfile.target,
    repository: image.repository ?? '',
  })));
}

/** Whether a leg runs under QEMU (no native runner for its platform). @internal */
export function emulated(p: MatrixJobInputs): boolean {
  return p.emulate && p.images.some(i => i.platforms.some(pl => p.runners[pl] === undefined));
}

/** The actions the matrix workflow uses, in first-use order. @internal */
export function matrixActions(p: MatrixJobInputs): string[] {
  const names = ['actions/checkout'];
  if (p.synthDriftJobId) names.push('actions/setup-node');
  if (emulated(p)) names.push('docker/setup-qemu-action');
  names.push('docker/setup-buildx-action', 'docker/build-push-action', 'docker/login-action', 'docker/metadata-action',
    'actions/upload-artifact', 'actions/download-artifact');
  if (p.provenanceAttestation) names.push('actions/attest-build-provenance');
  return names;
}

const filtered = (p: MatrixJobInputs) => p.images.some(i => i.paths !== undefined && i.paths.length > 0);

/** The image reference of the current leg or image, before lowercasing. */
const IMAGE = `${GHCR_REGISTRY}/\${{ matrix.repository || format('{0}/{1}', github.repository, matrix.image) }}`;

/** N images × M platforms: changes → build legs (pull requests) / publish legs → merge per image → ready. @internal */
export function matrixWorkflow(p: MatrixJobInputs): Workflow {
  const ids = p.jobIds;
  const jobs = new Map<string, Job>();
  if (p.synthDriftJobId) jobs.set(p.synthDriftJobId, driftJob(p, p.synthDriftJobId));
  if (filtered(p)) jobs.set(ids.changes, changesJob(p));
  jobs.set(ids.build, legJob(p, false));
  jobs.set(ids.publish, legJob(p, true));
  jobs.set(ids.merge, mergeJob(p));
  jobs.set(ids.ready, readyJob(p));
  return { name: p.workflowName, on: triggers(p), permissions: { contents: 'read' }, concurrency: CONCURRENCY, jobs };
}

function strategy(p: MatrixJobInputs, output: 'legs' | 'images'): Strategy {
  if (filtered(p)) return { failFast: false, matrix: `\${{ fromJSON(needs.${p.jobIds.changes}.outputs.${output}) }}` };
  const include = output === 'legs'
    ? legsOf(p).map(l => ({ ...l }))
    : p.images.map(i => ({ image: i.name, repository: i.repository ?? '' }));
  return { failFast: false, include };
}

/** `&& something to build`, when path filters decide. */
function whenChanged(p: MatrixJobInputs): string {
  return filtered(p) ? ` && needs.${p.jobIds.changes}.outputs.any == 'true'` : '';
}

function changesJob(p: MatrixJobInputs): Job {
  const filters = p.images.filter(i => i.paths && i.paths.length > 0).map(i => [i.name, ...i.paths!].join('\t'));
  return {
    name: p.jobIds.changes,
    runsOn: runsOn(p),
    permissions: { contents: 'read' },
    outputs: Object.fromEntries(['legs', 'images', 'any'].map(o => [o, `\${{ steps.changes.outputs.${o} }}`])),
    steps: [
      checkoutStep(p, 0),
      {
        name: 'Images to build',
        id: 'changes',
        shell: 'bash',
        env: {
          EVENT_NAME: '${{ github.event_name }}',
          REF_TYPE: '${{ github.ref_type }}',
          BASE: '${{ github.event.pull_request.base.sha || github.event.merge_group.base_sha || github.event.before }}',
          LEGS: JSON.stringify(legsOf(p)),
          IMAGES: JSON.stringify(p.images.map(i => ({ image: i.name, repository: i.repository ?? '' }))),
          FILTERS: `${filters.join('\n')}\n`,
        },
        run: workflowScript('changes'),
      },
    ],
  };
}

function legSetup(p: MatrixJobInputs): Step[] {
  const steps: Step[] = [checkoutStep(p), imageStep(p, IMAGE, '${{ matrix.platform }}')];
  if (emulated(p)) steps.push(qemuStep(p, `matrix.platform != '${NATIVE_PLATFORM}'`));
  steps.push(buildxStep(p));
  return steps;
}

const LEG_INPUTS = {
  context: '${{ matrix.context }}',
  file: '${{ matrix.file }}',
  target: '${{ matrix.target }}',
  platforms: '${{ matrix.platform }}',
};

/** The legs: built on pull requests, merge groups and manual runs (`publish` false), pushed by digest on publishing pushes. */
function legJob(p: MatrixJobInputs, publish: boolean): Job {
  const needs = [
    ...(filtered(p) ? [p.jobIds.changes] : []),
    ...(publish && p.synthDriftJobId ? [p.synthDriftJobId] : []),
    ...(publish ? p.publishNeeds : []),
  ];
  const common = { ...LEG_INPUTS, ...argumentInputs(p), ...cacheInputs() };
  const steps: Step[] = legSetup(p);
  if (!publish) {
    steps.push(...aroundBuild(p, { name: 'Build (no push)', uses: p.pin('docker/build-push-action').uses, with: { ...common, push: false }, env: secretEnvs(p) }));
  } else {
    steps.push(loginStep(p), {
      name: 'Image labels',
      id: 'meta',
      uses: p.pin('docker/metadata-action').uses,
      with: { images: IMAGE_NAME },
    }, ...aroundBuild(p, {
      name: 'Build and push by digest',
      id: 'build',
      uses: p.pin('docker/build-push-action').uses,
      with: {
        ...common,
        labels: '${{ steps.meta.outputs.labels }}',
        outputs: `type=image,name=${IMAGE_NAME},push-by-digest=true,name-canonical=true,push=true`,
        ...(p.sbom ? { sbom: true } : {}),
      },
      env: secretEnvs(p),
    }), {
      name: 'Record the digest',
      shell: 'bash',
      env: { DIGEST: '${{ steps.build.outputs.digest }}', DIGEST_DIR: '${{ runner.temp }}/digests' },
      run: workflowScript('leg-digest'),
    }, {
      name: 'Hand the digest to the merge job',
      uses: p.pin('actions/upload-artifact').uses,
      with: {
        'name': 'digests-${{ matrix.image }}-${{ matrix.slug }}',
        'path': '${{ runner.temp }}/digests/*',
        'if-no-files-found': 'error',
        'retention-days': 1,
      },
    });
  }
  return {
    name: publish ? p.jobIds.publish : p.jobIds.build,
    needs: needs.length > 0 ? needs : undefined,
    if: publish ? `${publishCondition(p)}${whenChanged(p)}` : `github.event_name != 'push'${whenChanged(p)}`,
    strategy: strategy(p, 'legs'),
    runsOn: '${{ matrix.runner }}',
    permissions: publish ? { contents: 'read', packages: 'write' } : { contents: 'read' },
    steps,
  };
}

/** Per image: the tagged index from the legs' digests, in the branch's environment; then its attestation. */
function mergeJob(p: MatrixJobInputs): Job {
  const steps: Step[] = [
    {
      name: 'Collect the legs\' digests',
      uses: p.pin('actions/download-artifact').uses,
      with: { 'path': '${{ runner.temp }}/digests', 'pattern': 'digests-${{ matrix.image }}-*', 'merge-multiple': true },
    },
    imageStep(p, IMAGE),
    buildxStep(p),
    loginStep(p),
    metadataStep(p, 'index'),
    {
      name: 'Create the tagged index',
      id: 'merge',
      shell: 'bash',
      env: { IMAGE: IMAGE_NAME, METADATA_JSON: '${{ steps.meta.outputs.json }}', DIGEST_DIR: '${{ runner.temp }}/digests' },
      run: workflowScript('merge-digests'),
    },
  ];
  if (p.provenanceAttestation) steps.push(attestStep(p, '${{ steps.merge.outputs.digest }}'));
  return {
    name: p.jobIds.merge,
    needs: [...(filtered(p) ? [p.jobIds.changes] : []), p.jobIds.publish],
    if: `${publishCondition(p)}${whenChanged(p)}`,
    strategy: strategy(p, 'images'),
    runsOn: runsOn(p),
    permissions: publishPermissions(p),
    environment: environmentExpression(p),
    steps,
  };
}

/** The one required check: passes when every job it needs succeeded or was skipped. */
function readyJob(p: MatrixJobInputs): Job {
  const ids = p.jobIds;
  return {
    name: ids.ready,
    needs: [...(filtered(p) ? [ids.changes] : []), ids.build, ids.publish, ids.merge],
    if: 'always()',
    runsOn: runsOn(p),
    permissions: { contents: 'read' },
    steps: [{
      name: 'Every job succeeded or was skipped',
      shell: 'bash',
      env: { RESULTS: "${{ join(needs.*.result, ' ') }}" },
      run: workflowScript('ready'),
    }],
  };
}
