import { javascript, Project } from 'projen';
import { projenJobs } from './projen-workflows';

/**
 * What the publish workflow takes from the projen project it is in, so nothing is typed twice.
 * @internal
 */

interface ReleaseLike { readonly branches?: string[] }
interface BuildWorkflowLike { readonly buildJobIds?: string[]; readonly workflow?: { readonly file?: { readonly path: string } } }

/** The project's default branch: its release branch (`defaultReleaseBranch`), else "main". @internal */
export function defaultBranchOf(project: Project): string {
  const release = (project as { readonly release?: ReleaseLike }).release;
  return release?.branches?.[0] ?? 'main';
}

/**
 * The check names of the project's own build workflow (projen's `build.yml` in Node, TypeScript and jsii
 * projects): a pull request whose tests fail must not merge, so branch rules require them too.
 * @internal
 */
export function projenBuildChecks(project: Project): string[] {
  const build = (project as { readonly buildWorkflow?: BuildWorkflowLike }).buildWorkflow;
  const path = build?.workflow?.file?.path;
  if (!build || path === undefined) return [];
  const ids = build.buildJobIds ?? [];
  return projenJobs(project).filter(j => j.workflow === path && ids.includes(j.id)).map(j => j.checkName);
}

/**
 * The command that installs the project's dependencies in a workflow job: a Node project's own
 * (`npm ci`, `yarn install --check-files`, ...), else `npm ci`.
 * @internal
 */
export function installCommandOf(project: Project): string {
  return project instanceof javascript.NodeProject ? project.package.installCommand : 'npm ci';
}
