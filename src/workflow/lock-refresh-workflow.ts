/**
 * The lock refresh workflow, as the typed workflow model (projen-free): on a schedule and on manual dispatch it
 * refreshes the lock (`npx projen dockyard:lock`: new digests and commits, then every generated file),
 * synthesizes the cdktf app when there is one, and opens one pull request with everything that moved, through
 * `peter-evans/create-pull-request` and a GitHub App token or a fine-grained token (never `GITHUB_TOKEN`).
 * Read-only at the top and on the job: the pull request is written with that token, not the job's.
 * @internal
 */
import type { ActionPin } from './action-pin';
import type { LockRefreshAuth } from './lock-refresh-auth';
import type { Step, Workflow } from './model';
import { textProblem } from './rules';
import { branchNameProblem } from '../core/github-names';
import { repositoryPathProblem } from '../core/repository-paths';

/** The refresh workflow's name (and file name, and job id). @internal */
export const LOCK_REFRESH_WORKFLOW = 'dockyard-lock-refresh';

/** What the refresh workflow is built from. @internal */
export interface LockRefreshInputs {
  readonly schedule: string;
  readonly runsOn: readonly string[];
  readonly nodeVersion: string;
  readonly installCommand: string;
  /** The command that refreshes the lock and synthesizes (`npx projen dockyard:lock`). */
  readonly refreshCommand: string;
  /** The cdktf app's directory, synthesized after the refresh. */
  readonly cdktfApp?: string;
  readonly auth: LockRefreshAuth;
  readonly branch: string;
  /** The lock file, for the pull request's text. */
  readonly lockFile: string;
  /** The pin of an action the workflow uses. */
  pin(action: string): ActionPin;
}

const APP_TOKEN_ACTION = 'actions/create-github-app-token';

/** The actions the refresh workflow uses with `auth`. @internal */
export function lockRefreshActions(auth: LockRefreshAuth): string[] {
  return [
    ...(auth.kind === 'github-app' ? [APP_TOKEN_ACTION] : []),
    'actions/checkout', 'actions/setup-node', 'peter-evans/create-pull-request',
  ];
}

function secret(name: string): string {
  return `\${{ secrets.${name} }}`;
}

function body(i: LockRefreshInputs): string {
  return [
    `Scheduled refresh of \`${i.lockFile}\`, the base image digests and action commits this project's generated files are pinned to.`,
    '',
    `- \`${i.refreshCommand}\` resolved every base image tag to the digest its registry serves now and every action to`,
    '  the commit of its newest release tag (or the tag `.projenrc` names), then synthesized the project again.',
    ...(i.cdktfApp !== undefined ? [`- \`npx cdktf synth\` synthesized the cdktf app in \`${i.cdktfApp}\`.`] : []),
    '',
    'The lock and every generated file move together in this one pull request: review the digests and commits in the',
    'lock diff; the checks of this pull request build the images from the new digests.',
    '',
  ].join('\n');
}

/** The workflow. @internal */
export function lockRefreshWorkflow(i: LockRefreshInputs): Workflow {
  const app = i.auth.kind === 'github-app';
  const token = app ? '${{ steps.app-token.outputs.token }}' : secret(i.auth.secrets[0]);
  const steps: Step[] = [];
  if (app) {
    steps.push({
      name: 'Create a GitHub App token',
      id: 'app-token',
      uses: i.pin(APP_TOKEN_ACTION).uses,
      with: {
        'client-id': secret(i.auth.secrets[0]),
        'private-key': secret(i.auth.secrets[1]),
        'permission-contents': 'write',
        'permission-pull-requests': 'write',
        'permission-workflows': 'write',
      },
    });
  }
  steps.push(
    { name: 'Check out', uses: i.pin('actions/checkout').uses, with: { 'persist-credentials': false } },
    { name: 'Set up Node.js', uses: i.pin('actions/setup-node').uses, with: { 'node-version': i.nodeVersion } },
    { name: 'Install dependencies', shell: 'bash', run: `${i.installCommand}\n` },
    { name: 'Refresh the lock and synthesize', shell: 'bash', run: `${i.refreshCommand}\n` },
  );
  if (i.cdktfApp !== undefined) {
    steps.push({ name: 'Synthesize the cdktf app', shell: 'bash', workingDirectory: i.cdktfApp, env: { CHECKPOINT_DISABLE: '1' }, run: 'npx cdktf synth\n' });
  }
  steps.push({
    name: 'Open a pull request',
    uses: i.pin('peter-evans/create-pull-request').uses,
    with: {
      'token': token,
      'branch': i.branch,
      'delete-branch': true,
      'commit-message': `chore(deps): refresh ${i.lockFile}`,
      'title': `chore(deps): refresh ${i.lockFile}`,
      'body': body(i),
      ...(app ? { 'sign-commits': true } : {}),
    },
  });
  return {
    name: LOCK_REFRESH_WORKFLOW,
    on: { schedule: [{ cron: i.schedule }], workflowDispatch: {} },
    permissions: { contents: 'read' },
    concurrency: { group: '${{ github.workflow }}', cancelInProgress: false },
    jobs: new Map([[LOCK_REFRESH_WORKFLOW, {
      name: LOCK_REFRESH_WORKFLOW,
      runsOn: i.runsOn.length === 1 ? i.runsOn[0] : [...i.runsOn],
      permissions: { contents: 'read' },
      timeoutMinutes: 30,
      steps,
    }]]),
  };
}

const CRON_FIELD = /^[0-9A-Za-z*,/-]+$/;

/** Every problem of the refresh workflow's inputs, each naming the option and the fix. @internal */
export function lockRefreshProblems(i: Omit<LockRefreshInputs, 'pin' | 'refreshCommand' | 'lockFile'>): string[] {
  const out: (string | undefined)[] = [];
  const schedule = textProblem(i.schedule, 'schedule');
  out.push(schedule);
  if (!schedule && (i.schedule.trim().split(/\s+/).length !== 5 || !i.schedule.trim().split(/\s+/).every(f => CRON_FIELD.test(f)))) {
    out.push(`schedule ${JSON.stringify(i.schedule)} is not a cron expression of 5 fields (minute hour day-of-month month day-of-week); use e.g. "17 5 * * 1" (Mondays, 05:17 UTC)`);
  }
  if (!Array.isArray(i.runsOn) || i.runsOn.length === 0) out.push('runsOn must name at least one runner label, e.g. ["ubuntu-latest"]');
  else i.runsOn.forEach((r, n) => out.push(textProblem(r, `runsOn[${n}]`)));
  out.push(textProblem(i.nodeVersion, 'nodeVersion'));
  out.push(textProblem(i.installCommand, 'installCommand'));
  out.push(branchNameProblem(i.branch, 'branch'));
  if (i.cdktfApp !== undefined) out.push(repositoryPathProblem(i.cdktfApp, 'cdktfApp', 'project root'));
  out.push(...(typeof i.auth?._problems === 'function' ? i.auth._problems('auth') : ['auth must be LockRefreshAuth.githubApp() or LockRefreshAuth.token()']));
  return out.filter((p): p is string => p !== undefined);
}
