import { Component, github, IResolver, ObjectFile, Project } from 'projen';
import type { ActionPin } from './action-pin';
import { pinTable, pinVersions } from './pin-table';
import { publishWorkflowsOf } from './project-pipelines';
import { projenActionUses, projenPinFor, projenWorkflows } from './projen-workflows';
import { renderWorkflowYaml } from './workflow-yaml';
import { LOCK_COMMAND, lockActionPins, lockPinOf, lockState } from '../projen/lock-state';
import { synthCached } from '../projen/validation-gate';

const ID = 'DockyardWorkflowHardening';

type SynthesizeContent = (resolver: IResolver) => string | undefined;
const objectFileContent = (ObjectFile.prototype as unknown as { synthesizeContent: SynthesizeContent }).synthesizeContent;

/** GitHub's documented order of a workflow's top-level keys (an override appends at the end). */
const TOP_LEVEL_ORDER = ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'];

function inGithubOrder(workflow: Record<string, unknown>): Record<string, unknown> {
  const rank = (k: string) => (TOP_LEVEL_ORDER.includes(k) ? TOP_LEVEL_ORDER.indexOf(k) : TOP_LEVEL_ORDER.length);
  return Object.fromEntries(Object.entries(workflow).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * Brings projen's own workflows (build, upgrade, pull-request-lint, release, ...) up to the publish
 * workflow's standard, once per project, before they are rendered:
 * - every action the pin table knows is pinned to its commit (projen's `github.actions` overrides);
 * - a workflow without a top-level `permissions` block gets `contents: read` (OpenSSF Scorecard
 *   Token-Permissions; projen's jobs keep their own job-level permissions);
 * - the files are rendered through the same Document-API renderer as the publish workflow, so every
 *   pinned `uses:` carries its `# vX.Y.Z` comment (projen's YamlFile cannot hold comments);
 * - with a merge queue, projen's build workflow also runs on `merge_group`, so its job can be required.
 * @internal
 */
export class ProjenWorkflowHardening extends Component {
  /** The project's hardening, created on first use. */
  public static of(project: Project): ProjenWorkflowHardening {
    const existing = project.node.tryFindChild(ID);
    return existing instanceof ProjenWorkflowHardening ? existing : new ProjenWorkflowHardening(project);
  }

  private constructor(project: Project) {
    super(project, ID);
    this.node.addValidation({ validate: () => lockWithoutRefresh(project) });
  }

  /**
   * The pins: the shipped table, overridden by every publish workflow's `actionPins`, then by the lock file's
   * pins; built once per synthesis (validation, hardening, rendering and the lock all read it).
   */
  public table(): Map<string, ActionPin> {
    return synthCached(this.project, this, () => pinTable([
      ...publishWorkflowsOf(this.project).flatMap(w => w._actionPins), ...lockActionPins(this.project),
    ]));
  }

  public preSynthesize(): void {
    const workflows = projenWorkflows(this.project);
    if (workflows.length === 0) return;
    const table = this.table();
    const publish = publishWorkflowsOf(this.project);
    const gh = github.GitHub.of(this.project);
    if (gh && publish.every(w => w._pinsProjenWorkflows)) {
      for (const u of projenActionUses(this.project)) {
        // with a lock, its pin replaces every step-level `uses:` of the action, projen's own SHA pins included
        const pin = u.overridable ? lockPinOf(this.project, u.action) ?? projenPinFor(u.raw, u.ref, table) : undefined;
        // keyed by the exact `uses:` (owner/repo@ref), so other refs of the same action are left alone
        if (pin) gh.actions.set(u.raw, pin.uses);
      }
    }
    // the shipped pins keep their comments where a lock pin did not replace them (e.g. pinProjenWorkflows: false)
    const versions = pinVersions([...pinTable().values(), ...table.values()]);
    for (const w of workflows) {
      const file = w.file!;
      const overrides = (file as unknown as { rawOverrides: Record<string, unknown> }).rawOverrides;
      if (overrides.permissions === undefined) file.addOverride('permissions', { contents: 'read' });
      Object.defineProperty(file, 'synthesizeContent', {
        configurable: true,
        value: (resolver: IResolver) => {
          const json = objectFileContent.call(file, resolver);
          return json === undefined ? undefined : renderWorkflowYaml(inGithubOrder(JSON.parse(json)), versions, file.marker);
        },
      });
    }
    const build = (this.project as { buildWorkflow?: { workflow?: github.GithubWorkflow } }).buildWorkflow?.workflow;
    if (build && publish.some(w => w.pipeline.mergeQueue)) build.on({ mergeGroup: {} });
  }
}

/** A lock file that nothing refreshes: locking is on, but the project has no DockyardLock (task and workflow). */
function lockWithoutRefresh(project: Project): string[] {
  const state = lockState(project);
  if (!state.exists || state.component) return [];
  return [`${state.name} exists, so every base image and action is locked to it, but the project has no DockyardLock to refresh it (the ${LOCK_COMMAND.split(' ').pop()} task, the refresh workflow): add \`new DockyardLock(project)\` to .projenrc, or delete ${state.name} to stop locking`];
}
