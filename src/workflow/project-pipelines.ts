import type { Project } from 'projen';
import type { GhcrPublishWorkflow } from './ghcr-publish-workflow';
import { projenJobs } from './projen-workflows';
import { FULL_SHA } from '../core/github-names';
import type { ActionUse } from '../pipeline/pipeline-manifest';

/**
 * The rules and facts that span every publish workflow of a projen project, in one place: job-name
 * clashes across all workflows (projen's own included) and the merged list of actions the manifest
 * records.
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
