import { Component, ObjectFile, Project, Task } from 'projen';
import { actionEntryProblems, lockedInputProblems, neededActions, neededImages } from './lock-needs';
import { LOCK_COMMAND, LOCK_TASK, lockState } from './lock-state';
import { RepositorySettingsApp } from './settings-app';
import { ensureValidationGate, synthCached } from './validation-gate';
import { actionNameProblem } from '../core/github-names';
import { collectProblems, DockyardValidationError } from '../core/problems';
import { repositoryPathProblem } from '../core/repository-paths';
import { isTagName } from '../lock/action-resolver';
import { collectFile, LOCK_FILE_NAME, LockRequestCollected, writeLockRequest } from '../lock/lock-request';
import { LockRefreshAuth } from '../workflow/lock-refresh-auth';
import { LOCK_REFRESH_WORKFLOW, lockRefreshActions, LockRefreshInputs, lockRefreshProblems, lockRefreshWorkflow } from '../workflow/lock-refresh-workflow';
import { pinVersions } from '../workflow/pin-table';
import type { WorkflowUse } from '../workflow/project-pipelines';
import { publishWorkflowsOf } from '../workflow/project-pipelines';
import { installCommandOf } from '../workflow/projen-facts';
import { ProjenWorkflowHardening } from '../workflow/projen-hardening';
import { splitUses } from '../workflow/projen-workflows';
import { toGithubWorkflow } from '../workflow/render';
import { usesOf, WorkflowYamlFile } from '../workflow/workflow-file';

/** Options of a DockyardLock. */
export interface DockyardLockOptions {
  /**
   * The lock file, relative to the project root (beside .projenrc), committed.
   * @default "dockyard.lock.json"
   */
  readonly lockFile?: string;
  /**
   * Lock even before the lock file exists: then every registry `FROM` and every action needs an entry, and
   * synthesis fails naming the refresh command until there is one.
   * @default false - locking is on exactly when the lock file exists
   */
  readonly required?: boolean;
  /**
   * The tag to lock for an action (`owner/repo` → tag), instead of its newest `vX.Y.Z` release.
   * @default - the newest release of each action; for an action you pinned yourself (`actionPins`, a `WorkflowStep`'s `uses`), your pin's version
   */
  readonly actionTags?: { [action: string]: string };
  /**
   * Where the actions' git repositories are: each is read from `<gitServerUrl>/<owner>/<repo>.git`.
   * @default "https://github.com"
   */
  readonly gitServerUrl?: string;
  /**
   * Write the scheduled refresh workflow (`.github/workflows/dockyard-lock-refresh.yml`).
   * @default true
   */
  readonly refreshWorkflow?: boolean;
  /**
   * When the refresh workflow runs (cron, UTC); it can also be started by hand (workflow_dispatch).
   * @default "17 5 * * 1" - Mondays at 05:17 UTC
   */
  readonly schedule?: string;
  /**
   * Who opens the refresh pull request (never `GITHUB_TOKEN`: its pull requests trigger no checks).
   * @default LockRefreshAuth.githubApp() - secrets DOCKYARD_LOCK_APP_CLIENT_ID and DOCKYARD_LOCK_APP_PRIVATE_KEY
   */
  readonly auth?: LockRefreshAuth;
  /**
   * The branch of the refresh pull request (one branch: a newer refresh updates the open pull request).
   * @default "dockyard/lock-refresh"
   */
  readonly branch?: string;
  /**
   * Runner labels of the refresh job.
   * @default ["ubuntu-latest"]
   */
  readonly runsOn?: string[];
  /**
   * The Node.js version for actions/setup-node.
   * @default "lts/*"
   */
  readonly nodeVersion?: string;
  /**
   * The one-line shell command that installs the project's dependencies.
   * @default - the project's frozen install command (e.g. `npm ci`); "npm ci" outside a Node project
   */
  readonly installCommand?: string;
  /**
   * A cdktf app (directory relative to the project root) to synthesize after the refresh, so its committed
   * output moves in the same pull request.
   * @default - the `synthDrift.cdktfApp` of a publish workflow, else the directory of the project's RepositorySettingsApp, else none
   */
  readonly cdktfApp?: string;
}

/**
 * Locks every base image and every action of the generated files to a digest or commit recorded in a lock
 * file beside .projenrc (`dockyard.lock.json`), and keeps it fresh:
 * - with the lock file present, every registry `FROM` renders as `name:tag@sha256:…` (no `${…}`: the digest
 *   wins over build arguments) and every `uses:` of the generated workflows takes the lock's commit, with its
 *   version comment and the inputs its action.yml declares at that commit; a missing or stale entry fails
 *   synthesis, naming the command to run;
 * - the task `dockyard:lock` resolves each image tag to its digest (OCI distribution API) and each action's
 *   release tag to its commit (`git ls-remote`), writes the lock only when everything resolved, and
 *   synthesizes the project again;
 * - a scheduled workflow runs that task (and `cdktf synth`) and opens one pull request with the lock and every
 *   generated file that moved.
 * Add it to the root project.
 */
export class DockyardLock extends Component {
  /** The name of the projen task that refreshes the lock. */
  public static readonly TASK_NAME = LOCK_TASK;

  /** The lock file, relative to the project root. */
  public readonly lockFile: string;
  /** The task that refreshes the lock (`npx projen dockyard:lock`). */
  public readonly task: Task;
  /** The refresh workflow's file, relative to the project root, when it is written. */
  public readonly workflowPath?: string;
  /** The refresh workflow's file (a projen `ObjectFile`: overrides and patches are validated before writing), when it is written. */
  public readonly file?: ObjectFile;
  /** @internal */
  public readonly _isDockyardLock = true;
  /** @internal */
  public readonly _lockFile: string;
  /** @internal */
  public readonly _required: boolean;
  /** @internal */
  public readonly _actionTags: { readonly [action: string]: string };
  private readonly options: DockyardLockOptions;
  private readonly auth: LockRefreshAuth;
  private readonly refreshFile?: WorkflowYamlFile;

  constructor(project: Project, options: DockyardLockOptions = {}) {
    if (project.node.tryFindChild('DockyardLock')) {
      throw new DockyardValidationError([`[${project.node.path}] already has a DockyardLock; create it once, on the root project`]);
    }
    super(project, 'DockyardLock');
    this.options = options;
    this.lockFile = options.lockFile ?? LOCK_FILE_NAME;
    this._lockFile = this.lockFile;
    this._required = options.required ?? false;
    this._actionTags = { ...(options.actionTags ?? {}) };
    this.auth = options.auth ?? LockRefreshAuth.githubApp();
    ensureValidationGate(project);
    ProjenWorkflowHardening.of(project);
    this.node.addValidation({ validate: () => this.problems() });

    this.task = project.addTask(LOCK_TASK, {
      description: `Lock every base image and action to a digest or commit in ${this.lockFile} (registries and git), then synthesize`,
      // the command is found through the installed package (and this repository's exports self-reference), wherever it lives
      // (`--` ends node's own options: the task's arguments, e.g. --no-synth, reach the command)
      exec: 'node -e "require(require(\'path\').join(require.resolve(\'cdk-dockyard/package.json\'), \'..\', \'lib\', \'lock\', \'cli.js\')).run(process.argv.slice(1))" --',
      receiveArgs: true,
    });
    if (options.refreshWorkflow ?? true) {
      this.workflowPath = `.github/workflows/${LOCK_REFRESH_WORKFLOW}.yml`;
      this.refreshFile = new WorkflowYamlFile(this, this.workflowPath, {
        workflowObject: () => toGithubWorkflow(lockRefreshWorkflow(this.refreshInputs())),
        versions: () => pinVersions(ProjenWorkflowHardening.of(this.project).table().values()),
        cached: (key, compute) => synthCached(this.project, key, compute),
      });
      this.file = this.refreshFile;
    }
  }

  /**
   * In the refresh command's synthesis (collect mode), writes what must be locked and stops the synthesis
   * before projen deletes or writes any file.
   */
  public preSynthesize(): void {
    const file = collectFile();
    if (file === undefined || this.project !== this.project.root) return;
    const problems = collectProblems(this.project);
    if (problems.length > 0) throw new DockyardValidationError(problems);
    const server = (this.options.gitServerUrl ?? 'https://github.com').replace(/\/+$/, '');
    const { actions } = neededActions(this.project, this);
    writeLockRequest(file, {
      lockFile: lockState(this.project).path,
      images: neededImages(this.project),
      actions: [...actions.values()].map(a => ({
        action: a.action,
        ...(a.tag !== undefined ? { tag: a.tag } : {}),
        url: `${server}/${a.action.split('/').slice(0, 2).join('/')}.git`,
      })),
    });
    throw new LockRequestCollected(file);
  }

  /** The `uses:` of the refresh workflow as written (overrides included). @internal */
  public _refreshUses(): WorkflowUse[] {
    if (!this.refreshFile) return [];
    const versions = pinVersions(ProjenWorkflowHardening.of(this.project).table().values());
    return usesOf(this.refreshFile.finalObject()).flatMap(({ uses }) => {
      const parts = splitUses(uses);
      return parts ? [{ workflow: this.refreshFile!.path, action: parts.action, ref: parts.ref, version: versions.get(uses) }] : [];
    });
  }

  /** The actions the refresh workflow pins from the table. @internal */
  public _refreshActions(): { workflow: string; actions: string[] } | undefined {
    return this.workflowPath === undefined ? undefined : { workflow: this.workflowPath, actions: lockRefreshActions(this.auth) };
  }

  private refreshInputs(): LockRefreshInputs {
    const table = ProjenWorkflowHardening.of(this.project).table();
    return {
      schedule: this.options.schedule ?? '17 5 * * 1',
      runsOn: [...(this.options.runsOn ?? ['ubuntu-latest'])],
      nodeVersion: this.options.nodeVersion ?? 'lts/*',
      installCommand: this.options.installCommand ?? installCommandOf(this.project),
      refreshCommand: LOCK_COMMAND,
      cdktfApp: this.cdktfApp(),
      auth: this.auth,
      branch: this.options.branch ?? 'dockyard/lock-refresh',
      lockFile: this.lockFile,
      pin: (action: string) => {
        const pin = table.get(action);
        if (!pin) throw new Error(`no pin for ${action}`);
        return pin;
      },
    };
  }

  private cdktfApp(): string | undefined {
    if (this.options.cdktfApp !== undefined) return this.options.cdktfApp;
    const drift = publishWorkflowsOf(this.project).map(w => w._synthDriftApp).find(d => d !== undefined);
    if (drift !== undefined) return drift;
    return this.project.components.find((c): c is RepositorySettingsApp => c instanceof RepositorySettingsApp)?.directory;
  }

  private problems(): string[] {
    const problems: string[] = [];
    if (this.project !== this.project.root) {
      problems.push(`DockyardLock belongs on the root project (${this.project.root.name}), whose directory holds .projenrc and the lock file; move it there`);
    }
    const path = repositoryPathProblem(this.lockFile, 'lockFile', 'project root');
    if (path) problems.push(path);
    for (const [action, tag] of Object.entries(this._actionTags)) {
      const name = actionNameProblem(action);
      if (name) problems.push(`actionTags key ${JSON.stringify(action)}: ${name}`);
      if (!isTagName(tag)) problems.push(`actionTags.${action} ${JSON.stringify(tag)} is not a tag name; use the release tag, e.g. "v4.2.2"`);
    }
    const server = this.options.gitServerUrl;
    if (server !== undefined && (typeof server !== 'string' || !/^(https|file):\/\/[^\s"'`$\\]+$/.test(server))) {
      problems.push(`gitServerUrl ${JSON.stringify(server)} must be an https:// (or file://) URL without spaces or quotes, e.g. "https://github.com"`);
    }
    if (this.refreshFile) {
      const { pin: _pin, refreshCommand: _c, lockFile: _l, ...inputs } = this.refreshInputs();
      problems.push(...lockRefreshProblems(inputs));
      for (const action of lockRefreshActions(this.auth)) {
        if (!ProjenWorkflowHardening.of(this.project).table().has(action)) problems.push(`the refresh workflow uses ${action}, which has no pin`);
      }
    }
    const state = lockState(this.project);
    if (state.fileProblem) problems.push(state.fileProblem);
    if (this.project === this.project.root) {
      // entry and input checks only when locking is on (never while collecting)
      const needed = neededActions(this.project, this);
      problems.push(...needed.problems, ...actionEntryProblems(state, needed.actions), ...lockedInputProblems(this.project, state, this.refreshFile));
    }
    return problems;
  }
}
