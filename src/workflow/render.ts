import type { Job, Permissions, Step, Strategy, Triggers, Workflow } from './model';

/**
 * A workflow model as GitHub's YAML keys, in GitHub's documented order. Objects are built from entries
 * so that any id (even `__proto__`) becomes an own key, never a prototype.
 * @internal
 */
export type GithubValue = string | number | boolean | GithubValue[] | { [key: string]: GithubValue };
type GithubObject = { [key: string]: GithubValue };

/** Builds an object from entries, leaving out undefined values. */
function obj(entries: Array<[string, GithubValue | undefined]>): GithubObject {
  return Object.fromEntries(entries.filter((e): e is [string, GithubValue] => e[1] !== undefined));
}

function map(record: { readonly [key: string]: GithubValue } | undefined): GithubObject | undefined {
  return record === undefined ? undefined : Object.fromEntries(Object.entries(record));
}

function list(values: readonly string[] | undefined): string[] | undefined {
  return values === undefined ? undefined : [...values];
}

const PERMISSION_KEYS: Array<[keyof Permissions, string]> = [
  ['actions', 'actions'], ['attestations', 'attestations'], ['contents', 'contents'], ['idToken', 'id-token'],
  ['packages', 'packages'], ['pullRequests', 'pull-requests'],
];

/** Permissions in the order the pipeline grants them: contents first, then the rest as given. */
function permissions(p: Permissions): GithubObject {
  const keys = Object.keys(p) as Array<keyof Permissions>;
  return obj(keys.map(k => [PERMISSION_KEYS.find(([m]) => m === k)![1], p[k]]));
}

function triggers(on: Triggers): GithubObject {
  return obj([
    ['pull_request', on.pullRequest && obj([['branches', list(on.pullRequest.branches)]])],
    ['push', on.push && obj([['branches', list(on.push.branches)], ['tags', list(on.push.tags)], ['paths', list(on.push.paths)]])],
    ['merge_group', on.mergeGroup && obj([['types', list(on.mergeGroup.types)]])],
    ['schedule', on.schedule?.map(s => obj([['cron', s.cron]]))],
    ['workflow_dispatch', on.workflowDispatch && obj([])],
  ]);
}

function step(s: Step): GithubObject {
  return obj([
    ['name', s.name], ['id', s.id], ['if', s.if], ['uses', s.uses], ['with', map(s.with)], ['shell', s.shell],
    ['working-directory', s.workingDirectory], ['env', map(s.env)], ['continue-on-error', s.continueOnError], ['run', s.run],
  ]);
}

function strategy(s: Strategy | undefined): GithubObject | undefined {
  if (s === undefined) return undefined;
  return obj([
    ['fail-fast', s.failFast],
    ['max-parallel', s.maxParallel],
    ['matrix', s.matrix ?? obj([['include', (s.include ?? []).map(leg => map(leg)!)]])],
  ]);
}

function job(j: Job): GithubObject {
  return obj([
    ['name', j.name],
    ['needs', list(j.needs)],
    ['if', j.if],
    ['strategy', strategy(j.strategy)],
    ['runs-on', typeof j.runsOn === 'string' ? j.runsOn : [...j.runsOn]],
    ['permissions', permissions(j.permissions)],
    ['environment', j.environment],
    ['outputs', map(j.outputs)],
    ['env', map(j.env)],
    ['timeout-minutes', j.timeoutMinutes],
    ['steps', j.steps.map(step)],
  ]);
}

/** The workflow as GitHub's keys. @internal */
export function toGithubWorkflow(w: Workflow): GithubObject {
  return obj([
    ['name', w.name],
    ['on', triggers(w.on)],
    ['permissions', permissions(w.permissions)],
    ['concurrency', w.concurrency && obj([['group', w.concurrency.group], ['cancel-in-progress', w.concurrency.cancelInProgress]])],
    ['jobs', obj([...w.jobs].map(([id, j]) => [id, job(j)]))],
  ]);
}
