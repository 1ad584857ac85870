import type { EnvironmentReviewer } from './environment-reviewer';

/**
 * Protection settings of one GitHub deployment environment that the pipeline
 * deploys to. The environment's deployment policies (which branches and tags
 * may deploy) always come from the pipeline manifest, never from here.
 */
export interface DeploymentEnvironmentOptions {
  /** The environment's name, as the workflow's `environment:` names it (e.g. `production`). */
  readonly name: string;

  /**
   * Up to six users or teams, one of whom must approve each deployment.
   * The build job (the required check) never runs in an environment, so
   * reviewers never hold up a pull request.
   * @default - no reviewers
   */
  readonly reviewers?: EnvironmentReviewer[];

  /**
   * Minutes to wait before a deployment job starts (0-43200).
   * @default 0
   */
  readonly waitTimer?: number;

  /**
   * Whether the person who triggered a deployment is prevented from approving it.
   * Leave off for a solo maintainer, who is the only possible reviewer.
   * @default false
   */
  readonly preventSelfReview?: boolean;

  /**
   * Whether repository administrators can bypass the environment's protections
   * (reviewers, wait timer, deployment policies).
   * @default false
   */
  readonly canAdminsBypass?: boolean;
}
