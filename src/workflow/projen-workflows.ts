import type { Project } from 'projen';
import { github } from 'projen';
import type { ActionPin } from './action-pin';
import { FULL_SHA } from '../core/github-names';

/**
 * Reads projen's own workflows (build, upgrade, pull-request-lint, ...) through their
 * public API: every job's name and every action it uses, with the ref projen will
 * write after the project's `github.actions` overrides.
 * @internal
 */

/** One `uses:` of a projen workflow. @internal */
export interface ProjenActionUse {
  /** The workflow file, relative to the project root. */
  readonly workflow: string;
  /** `owner/repo[/path]`. */
  readonly action: string;
  /** The ref projen writes (after the `github.actions` overrides). */
  readonly ref: string;
  /** Whether projen's action provider can override it (step-level `uses:`; not reusable-workflow jobs). */
  readonly overridable: boolean;
  /** The `uses:` before overrides. */
  readonly raw: string;
}

/** A job of a projen workflow. @internal */
export interface ProjenJob {
  readonly workflow: string;
  readonly id: string;
  /** The status check name: the job's name, else its id. */
  readonly checkName: string;
}

/** Resolves lazy values (functions, `toJSON`) in plain data. @internal */
export function resolveData(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'function') return resolveData((value as () => unknown)());
  if (typeof value !== 'object') return value;
  const v = value as { toJSON?: () => unknown };
  if (typeof v.toJSON === 'function' && !Array.isArray(value)) return resolveData(v.toJSON());
  if (Array.isArray(value)) return value.map(resolveData);
  return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, resolveData(x)]));
}

/** The setup actions projen adds for a job's `tools` (see projen's GithubWorkflow). */
const TOOL_ACTIONS: Record<string, string> = {
  java: github.ActionRefs.ACTIONS_SETUP_JAVA,
  node: github.ActionRefs.ACTIONS_SETUP_NODE,
  python: github.ActionRefs.ACTIONS_SETUP_PYTHON,
  go: github.ActionRefs.ACTIONS_SETUP_GO,
  dotnet: github.ActionRefs.ACTIONS_SETUP_DOTNET,
};

/** projen's workflows that write a file. @internal */
export function projenWorkflows(project: Project): github.GithubWorkflow[] {
  const gh = github.GitHub.of(project);
  return (gh?.workflows ?? []).filter(w => w.file !== undefined);
}

/** Splits `owner/repo[/path]@ref`; undefined for local (`./`) and `docker://` references. @internal */
export function splitUses(uses: string): { action: string; ref: string } | undefined {
  if (uses.startsWith('./') || uses.startsWith('docker://')) return undefined;
  const at = uses.lastIndexOf('@');
  if (at <= 0) return { action: uses, ref: '' };
  return { action: uses.slice(0, at), ref: uses.slice(at + 1) };
}

/** Every job of projen's workflows. @internal */
export function projenJobs(project: Project): ProjenJob[] {
  const out: ProjenJob[] = [];
  for (const w of projenWorkflows(project)) {
    for (const [id, job] of Object.entries(w.jobs)) {
      const name = (job as { name?: unknown }).name;
      out.push({ workflow: w.file!.path, id, checkName: typeof name === 'string' && name.length > 0 ? name : id });
    }
  }
  return out;
}

/** Every action `uses:` of projen's workflows, with the ref projen writes. @internal */
export function projenActionUses(project: Project): ProjenActionUse[] {
  const gh = github.GitHub.of(project);
  if (!gh) return [];
  const out: ProjenActionUse[] = [];
  for (const w of projenWorkflows(project)) {
    const path = w.file!.path;
    const add = (raw: string, overridable: boolean) => {
      const effective = overridable ? gh.actions.get(raw) : raw;
      const parts = splitUses(effective);
      if (parts) out.push({ workflow: path, action: parts.action, ref: parts.ref, overridable, raw });
    };
    for (const job of Object.values(w.jobs)) {
      if ('uses' in job && typeof job.uses === 'string') {
        add(job.uses, false);
        continue;
      }
      const j = job as github.workflows.Job;
      for (const tool of Object.keys(j.tools ?? {})) {
        if ((j.tools as Record<string, unknown>)[tool] && TOOL_ACTIONS[tool]) add(TOOL_ACTIONS[tool], true);
      }
      const steps = resolveData(j.steps) as Array<{ uses?: unknown }> | undefined;
      for (const step of steps ?? []) {
        if (step && typeof step.uses === 'string') add(step.uses, true);
      }
    }
  }
  return out;
}

/**
 * The pin for a projen `uses:` that is not pinned to a full SHA and that the table knows.
 * @internal
 */
export function projenPinFor(raw: string, effectiveRef: string, table: ReadonlyMap<string, ActionPin>): ActionPin | undefined {
  if (FULL_SHA.test(effectiveRef)) return undefined;
  const parts = splitUses(raw);
  return parts ? table.get(parts.action) : undefined;
}
