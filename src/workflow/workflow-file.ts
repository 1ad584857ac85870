import type { IConstruct } from 'constructs';
import { IResolver, ObjectFile } from 'projen';
import { resolveData } from './projen-workflows';
import { renderWorkflowYaml } from './workflow-yaml';
import { FULL_SHA } from '../core/github-names';

/** The plain resolver of our own data (no tokens): functions called, `toJSON` applied. */
const PLAIN: IResolver = { resolve: (value: unknown) => resolveData(value) };

/** Where the workflow's data, its version comments and its synthesis-scoped final form come from. @internal */
export interface WorkflowSource {
  /** The generated workflow, GitHub's keys. */
  workflowObject(): unknown;
  /** Pinned `uses:` → version, for the comments. */
  versions(): ReadonlyMap<string, string>;
  /** `compute()` once per synthesis (the file's final form is validated, then written). */
  cached<T>(key: object, compute: () => T): T;
}

/**
 * The publish workflow's file: a projen `ObjectFile`, so `addOverride`, `addDeletionOverride`,
 * `addToArray` and `patch` work as on any projen file, rendered as YAML through `yaml`'s Document API
 * so that every pinned `uses:` keeps its `# vX.Y.Z` comment. Overrides and patches are applied before
 * validation: the workflow that is checked is the workflow that is written.
 * @internal
 */
export class WorkflowYamlFile extends ObjectFile {
  constructor(scope: IConstruct, path: string, private readonly source: WorkflowSource) {
    super(scope, path, { obj: () => source.workflowObject(), committed: true });
  }

  /** The workflow as it will be written: generated, then every override and patch applied. */
  public finalObject(): Record<string, unknown> {
    return this.source.cached(this, () => JSON.parse(super.synthesizeContent(PLAIN) ?? '{}') as Record<string, unknown>);
  }

  protected synthesizeContent(_: IResolver): string | undefined {
    return renderWorkflowYaml(this.finalObject(), this.source.versions(), this.marker);
  }
}

/** One `uses:` of a workflow object, where it is. @internal */
export interface UsesEntry {
  readonly where: string;
  readonly uses: string;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/** Every job of a workflow object, by id. @internal */
export function jobsOf(workflow: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  return Object.entries(record(workflow.jobs)).map(([id, job]) => [id, record(job)]);
}

/** Every `uses:` of a workflow object (job-level reusable workflows and steps). @internal */
export function usesOf(workflow: Record<string, unknown>): UsesEntry[] {
  const out: UsesEntry[] = [];
  for (const [id, job] of jobsOf(workflow)) {
    if (typeof job.uses === 'string') out.push({ where: `jobs.${id}`, uses: job.uses });
    const steps = Array.isArray(job.steps) ? job.steps : [];
    steps.forEach((s, i) => {
      const uses = record(s).uses;
      if (typeof uses === 'string') out.push({ where: `jobs.${id}.steps[${i}]`, uses });
    });
  }
  return out;
}

/**
 * Problems of the workflow as written (overrides and patches included): every action not from a
 * configured pin (`pinnedUses`) pinned to a commit, every `needs` a job of the workflow, the required checks still jobs of it, a top-level
 * `permissions` block.
 * @internal
 */
export function finalWorkflowProblems(
  workflow: Record<string, unknown>, requiredChecks: readonly string[], pinnedUses: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const { where, uses } of usesOf(workflow)) {
    // local actions, and the uses of configured pins (each pin is checked, and reported, once by its own rules)
    if (uses.startsWith('./') || pinnedUses.has(uses)) continue;
    const at = uses.lastIndexOf('@');
    const ref = at > 0 ? uses.slice(at + 1) : '';
    const pinned = uses.startsWith('docker://') ? /@sha256:[0-9a-f]{64}$/.test(uses) : FULL_SHA.test(ref);
    if (!pinned) {
      problems.push(`${where} uses ${JSON.stringify(uses)}, which is not pinned to a full commit SHA: add the step as a WorkflowStep with an ActionPin (preBuildSteps/postBuildSteps), or pin it in the override`);
    }
  }
  const jobs = jobsOf(workflow);
  const ids = new Set(jobs.map(([id]) => id));
  for (const [id, job] of jobs) {
    const needs = typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs : [];
    for (const need of needs) {
      if (typeof need !== 'string' || !ids.has(need)) {
        problems.push(`jobs.${id}.needs ${JSON.stringify(need)} is not a job of the workflow: add that job (e.g. file.addOverride('jobs.${String(need)}', {...})) or drop it from publishNeeds`);
      }
    }
  }
  const names = new Set(jobs.map(([id, job]) => (typeof job.name === 'string' ? job.name : id)));
  for (const check of requiredChecks) {
    if (!names.has(check)) problems.push(`the required check ${JSON.stringify(check)} is no longer a job of the workflow (an override removed or renamed it), so branch rules would wait for it forever: keep the job`);
  }
  if (typeof workflow.permissions !== 'object' || workflow.permissions === null) {
    problems.push('the workflow has no top-level permissions block (an override removed it): keep "permissions: { contents: read }"');
  }
  return problems;
}
