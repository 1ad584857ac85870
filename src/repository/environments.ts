/**
 * The deployment environments of the repository settings and their branch and tag deployment policies,
 * from the environments the manifest deploys to and the protection settings the options give them.
 * @internal
 */
import { RepositoryEnvironment } from '@cdktf/provider-github/lib/repository-environment';
import { RepositoryEnvironmentDeploymentPolicy } from '@cdktf/provider-github/lib/repository-environment-deployment-policy';
import type { Construct } from 'constructs';
import type { DeploymentEnvironmentOptions } from './deployment-environment-options';
import { EnvironmentReviewerType } from './environment-reviewer';
import type { EnvironmentPolicies } from './pipeline-facts';
import { terraformString } from './settings-validation';

/** The environments built, in manifest order, and their deployment policies. @internal */
export interface DeploymentEnvironments {
  readonly environments: RepositoryEnvironment[];
  readonly policies: RepositoryEnvironmentDeploymentPolicy[];
}

/**
 * One environment per deployment environment of the manifest (custom deployment policies only), with the
 * reviewers and wait timer of its entry in `configured` (names compare case-insensitively, as on GitHub).
 * @internal
 */
export function deploymentEnvironments(scope: Construct, repository: string, environmentPolicies: EnvironmentPolicies[],
  configured: DeploymentEnvironmentOptions[]): DeploymentEnvironments {
  const byName = new Map(configured.map(e => [String(e.name).toLowerCase(), e]));
  const environments: RepositoryEnvironment[] = [];
  const policies: RepositoryEnvironmentDeploymentPolicy[] = [];
  for (const env of environmentPolicies) {
    const settings = byName.get(env.name.toLowerCase());
    const reviewers = settings?.reviewers ?? [];
    const users = reviewers.filter(r => r.reviewerType === EnvironmentReviewerType.USER).map(r => r.id);
    const teams = reviewers.filter(r => r.reviewerType === EnvironmentReviewerType.TEAM).map(r => r.id);
    let idPart = env.name.replace(/[^A-Za-z0-9_-]/g, '_');
    while (scope.node.tryFindChild(`Environment-${idPart}`)) {
      idPart += '_';
    }
    const environment = new RepositoryEnvironment(scope, `Environment-${idPart}`, {
      repository,
      environment: terraformString(env.name),
      waitTimer: settings?.waitTimer ?? 0,
      preventSelfReview: settings?.preventSelfReview ?? false,
      canAdminsBypass: settings?.canAdminsBypass ?? false,
      reviewers: reviewers.length > 0 ? [{ users, teams }] : undefined,
      deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
    });
    environments.push(environment);
    env.branches.forEach((branch, i) => {
      policies.push(new RepositoryEnvironmentDeploymentPolicy(scope, `Policy-${idPart}-branch${i}`, {
        repository,
        environment: environment.environment,
        branchPattern: branch,
      }));
    });
    if (env.tagPattern !== undefined) {
      policies.push(new RepositoryEnvironmentDeploymentPolicy(scope, `Policy-${idPart}-tags`, {
        repository,
        environment: environment.environment,
        tagPattern: env.tagPattern,
      }));
    }
  }
  return { environments, policies };
}
