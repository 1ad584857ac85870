import {
  aroundBuild, argumentInputs, attestStep, buildxStep, cacheInputs, checkoutStep, CommonJobInputs, CONCURRENCY, driftJob,
  environmentExpression, imageStep, loginStep, metadataStep, publishCondition, publishPermissions, qemuStep, runsOn, secretEnvs,
  triggers,
} from './jobs-common';
import type { Job, Step, Workflow } from './model';
import { GHCR_REGISTRY } from '../pipeline/constants';
import type { PipelineDockerfile } from '../pipeline/pipeline-manifest';

/** What the one-image workflow is built from: a pipeline's resolved facts. @internal */
export interface PublishJobInputs extends CommonJobInputs {
  readonly imageName?: string;
  readonly dockerfile: PipelineDockerfile;
  readonly buildJobId: string;
  readonly publishJobId: string;
  readonly platforms: readonly string[];
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

/** The one-image workflow: a build job (the required check) and a publish job. @internal */
export function publishWorkflow(p: PublishJobInputs): Workflow {
  const jobs = new Map<string, Job>();
  if (p.synthDriftJobId) jobs.set(p.synthDriftJobId, driftJob(p, p.synthDriftJobId));
  jobs.set(p.buildJobId, buildJob(p));
  jobs.set(p.publishJobId, publishJob(p));
  return { name: p.workflowName, on: triggers(p), permissions: { contents: 'read' }, concurrency: CONCURRENCY, jobs };
}

function image(p: PublishJobInputs): string {
  return p.imageName ? `${GHCR_REGISTRY}/${p.imageName}` : `${GHCR_REGISTRY}/\${{ github.repository }}`;
}

function setupSteps(p: PublishJobInputs): Step[] {
  return p.platforms.length > 1 ? [qemuStep(p), buildxStep(p)] : [buildxStep(p)];
}

function buildInputs(p: PublishJobInputs): { [input: string]: string } {
  return {
    context: p.dockerfile.context,
    file: p.dockerfile.path,
    target: p.dockerfile.target,
    ...(p.platforms.length > 0 ? { platforms: p.platforms.join(',') } : {}),
    ...argumentInputs(p),
  };
}

function buildJob(p: PublishJobInputs): Job {
  return {
    name: p.buildJobId,
    runsOn: runsOn(p),
    permissions: { contents: 'read' },
    steps: [
      checkoutStep(p),
      imageStep(p, image(p)),
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

function publishJob(p: PublishJobInputs): Job {
  const steps: Step[] = [
    checkoutStep(p),
    imageStep(p, image(p)),
    ...setupSteps(p),
    loginStep(p),
    // a multi-platform push produces an image index: annotate it too
    metadataStep(p, p.platforms.length > 1 ? 'manifest,index' : undefined),
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
  if (p.provenanceAttestation) steps.push(attestStep(p, '${{ steps.build.outputs.digest }}'));
  return {
    name: p.publishJobId,
    needs: [p.buildJobId, ...(p.synthDriftJobId ? [p.synthDriftJobId] : []), ...p.publishNeeds],
    if: publishCondition(p),
    runsOn: runsOn(p),
    permissions: publishPermissions(p),
    environment: environmentExpression(p),
    steps,
  };
}
