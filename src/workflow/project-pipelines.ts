import type { Project } from 'projen';
import type { ContainerPublishPipeline } from './container-publish-pipeline';
import type { GhcrPublishWorkflow } from './ghcr-publish-workflow';
import { projenJobs } from './projen-workflows';
import { FULL_SHA } from '../core/github-names';
import { GHCR_REGISTRY, MANIFEST_SCHEMA_VERSION } from '../pipeline/constants';
import type { ActionUse, BranchDeployment, ManifestImage, PipelineManifest } from '../pipeline/pipeline-manifest';

/**
 * The rules and facts that span every publish workflow of a projen project, in one place: job-name
 * clashes across all workflows (projen's own included), images, cache scopes and manifest paths unique
 * across the repository, and the one repository-wide manifest (images, branches, checks, actions).
 * @internal
 */

/** One `uses:` of one workflow file, with the ref it has once pinned. @internal */
export interface WorkflowUse {
  readonly workflow: string;
  readonly action: string;
  readonly ref: string;
  readonly version?: string;
}

/** Every GhcrPublishWorkflow of the project, in creation order. @internal */
export function publishWorkflowsOf(project: Project): GhcrPublishWorkflow[] {
  return project.components.filter((c): c is GhcrPublishWorkflow => isPublishWorkflow(c));
}

function isPublishWorkflow(c: unknown): c is GhcrPublishWorkflow {
  return typeof c === 'object' && c !== null && (c as { readonly _isGhcrPublishWorkflow?: boolean })._isGhcrPublishWorkflow === true;
}

/**
 * Job names of `workflow` that another job of the repository also has (branch rules require checks by
 * job name, so each must be unique), each with the option that sets it.
 * @internal
 */
export function jobNameClashes(workflow: GhcrPublishWorkflow): string[] {
  const problems: string[] = [];
  const pipeline = workflow.pipeline;
  const ids = workflow._jobIdOptions;
  const fields: [keyof typeof ids, string | undefined][] = [
    ['buildJob', pipeline.buildJobId], ['publishJob', pipeline.publishJobId], ['synthDriftJob', pipeline.synthDriftJobId],
  ];
  const others = [
    ...projenJobs(workflow.project).map(j => ({ workflow: j.workflow, name: j.checkName })),
    ...publishWorkflowsOf(workflow.project)
      .filter(w => w !== workflow)
      .flatMap(w => w.pipeline.jobNames.map(n => ({ workflow: w.workflowPath, name: n }))),
  ];
  for (const [field, name] of fields) {
    if (name === undefined) continue;
    const clash = others.find(o => o.name.toLowerCase() === name.toLowerCase());
    if (clash) {
      const given = ids[field] !== undefined;
      problems.push(`job name ${JSON.stringify(name)} (jobIds.${field}${given ? '' : ', the default'}) is also a job of ${clash.workflow}; branch rules require checks by job name, so set jobIds: { ${field}: "<a unique name>" }`);
    }
  }
  return problems;
}

/** Merges uses into the manifest's action list: one entry per action and ref, with every workflow using it. @internal */
export function mergeActionUses(uses: readonly WorkflowUse[]): { actions: ActionUse[]; shaPinned: boolean } {
  const byKey = new Map<string, { action: string; ref: string; version?: string; workflows: Set<string> }>();
  for (const u of uses) {
    const key = `${u.action}@${u.ref}`;
    const entry = byKey.get(key) ?? { action: u.action, ref: u.ref, version: u.version, workflows: new Set<string>() };
    entry.version ??= u.version;
    entry.workflows.add(u.workflow);
    byKey.set(key, entry);
  }
  const actions: ActionUse[] = [...byKey.values()]
    .sort((a, b) => a.action.localeCompare(b.action) || a.ref.localeCompare(b.ref))
    .map(e => ({ action: e.action, ref: e.ref, version: e.version, workflows: [...e.workflows].sort() }));
  return { actions, shaPinned: actions.every(a => FULL_SHA.test(a.ref)) };
}

/** The image an entry publishes, as a key: a fixed name, or the repository-derived one (`{repository}[/name]`). */
function imageKey(image: ManifestImage): string {
  return image.imageName ?? `{repository}${image.name ? `/${image.name}` : ''}`;
}

/** The image as a message names it, with the option that sets it. */
function describeImage(image: ManifestImage): string {
  const option = image.name ? `images["${image.name}"].imageName` : 'imageName';
  return image.imageName !== undefined
    ? `ghcr.io/${image.imageName} (${option})`
    : `ghcr.io/<owner>/<repo>${image.name ? `/${image.name}` : ''} (the default: ${option} is not set)`;
}

/**
 * What `workflow` would publish or write that another publish workflow of the repository already does:
 * the same image (and so the same cache scopes), or another manifest path. Reported on the later one.
 * @internal
 */
export function repositoryClashes(workflow: GhcrPublishWorkflow): string[] {
  const all = publishWorkflowsOf(workflow.project);
  const earlier = all.slice(0, all.indexOf(workflow));
  const problems: string[] = [];
  for (const image of workflow.pipeline.manifestImages()) {
    for (const other of earlier) {
      const clash = other.pipeline.manifestImages().find(o => imageKey(o) === imageKey(image));
      if (clash) {
        problems.push(`the image ${describeImage(image)} is also published by ${other.workflowPath}, so both would push the same tags and share its Buildx cache scopes: `
          + `give ${image.name ? `images["${image.name}"]` : 'this workflow'} its own imageName`);
      }
    }
  }
  const first = all[0];
  if (first !== undefined && first !== workflow && first.manifestPath !== workflow.manifestPath) {
    problems.push(`manifestPath "${workflow.manifestPath}" differs from "${first.manifestPath}" of ${first.workflowPath}: the repository has one pipeline manifest, listing every image; `
      + 'drop manifestPath or give every publish workflow the same');
  }
  return problems;
}

/**
 * The repository-wide facts of the manifest from every publish pipeline: every image, the union of the
 * branch deployments, the tag environment, the merge queue and each pipeline's required checks.
 * @internal
 */
export function repositoryManifestFacts(pipelines: readonly ContainerPublishPipeline[]): Omit<PipelineManifest, 'actions' | 'shaPinned' | 'workflows'> {
  const deployments: BranchDeployment[] = [];
  for (const d of pipelines.flatMap(p => p.deployments)) {
    const known = deployments.some(x => x.branch === d.branch && x.environment === d.environment);
    if (!known) deployments.push({ branch: d.branch, environment: d.environment });
  }
  const tagging = pipelines.find(p => p.tagEnvironment !== undefined);
  const requiredChecks = [...new Set(pipelines.flatMap(p => p.requiredChecks))];
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    registry: GHCR_REGISTRY,
    images: pipelines.flatMap(p => p.manifestImages()),
    deployments,
    tagEnvironment: tagging?.tagEnvironment,
    tagPattern: tagging?.tagPattern,
    mergeQueue: pipelines.some(p => p.mergeQueue),
    requiredChecks,
  };
}
