/**
 * The typed model of a GitHub Actions workflow that the publish pipeline builds and renders: camelCase
 * data as in projen's `github.workflows` (runsOn, workingDirectory, idToken, ...), rendered to GitHub's
 * keys only by `renderWorkflow`. A local model, not projen's own types: projen's `MergeGroupOptions`
 * cannot say `types`, its `JobPermission` is a runtime enum (the pipeline must build without loading
 * projen), and its `GithubWorkflow` adds ids to every step on render.
 * @internal
 */

/** A `GITHUB_TOKEN` scope's access. @internal */
export type Permission = 'read' | 'write' | 'none';

/** `permissions:` (workflow or job). @internal */
export interface Permissions {
  readonly actions?: Permission;
  readonly attestations?: Permission;
  readonly contents?: Permission;
  readonly idToken?: Permission;
  readonly packages?: Permission;
  readonly pullRequests?: Permission;
}

/** A value of `with:`: GitHub passes every input as a string; YAML keeps booleans and numbers typed. @internal */
export type InputValue = string | number | boolean;

/** One step. @internal */
export interface Step {
  readonly name: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly with?: { readonly [input: string]: InputValue };
  readonly shell?: string;
  readonly workingDirectory?: string;
  readonly env?: { readonly [name: string]: string };
  readonly run?: string;
  readonly continueOnError?: boolean;
}

/** A matrix value. @internal */
export type MatrixValue = string | number | boolean;

/** `strategy:` of a job. @internal */
export interface Strategy {
  /** Each entry one leg: axis name → value (a static matrix). */
  readonly include?: ReadonlyArray<{ readonly [axis: string]: MatrixValue }>;
  /** The whole matrix from an expression (e.g. `${{ fromJSON(needs.changes.outputs.legs) }}`), instead of `include`. */
  readonly matrix?: string;
  readonly failFast?: boolean;
  readonly maxParallel?: number;
}

/** One job. @internal */
export interface Job {
  /** The job's name: the status check name. */
  readonly name: string;
  readonly needs?: readonly string[];
  readonly if?: string;
  readonly strategy?: Strategy;
  readonly runsOn: string | readonly string[];
  readonly permissions: Permissions;
  readonly environment?: string;
  readonly outputs?: { readonly [name: string]: string };
  readonly env?: { readonly [name: string]: string };
  readonly timeoutMinutes?: number;
  readonly steps: readonly Step[];
}

/** `on:`. @internal */
export interface Triggers {
  readonly pullRequest?: { readonly branches?: readonly string[] };
  readonly push?: { readonly branches?: readonly string[]; readonly tags?: readonly string[]; readonly paths?: readonly string[] };
  readonly mergeGroup?: { readonly types?: readonly string[] };
  readonly schedule?: ReadonlyArray<{ readonly cron: string }>;
  readonly workflowDispatch?: {};
}

/** A workflow. Jobs are kept in order, keyed by id (any id, `__proto__` included). @internal */
export interface Workflow {
  readonly name: string;
  readonly on: Triggers;
  readonly permissions: Permissions;
  readonly concurrency?: { readonly group: string; readonly cancelInProgress: string | boolean };
  readonly jobs: ReadonlyMap<string, Job>;
}
