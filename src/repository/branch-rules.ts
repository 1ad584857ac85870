/**
 * The rules resources of the repository settings: branch rules (a ruleset or classic branch protection),
 * the release-tag ruleset and the push ruleset that guards the workflow files. Each takes plain values
 * already derived from the options and the manifest.
 * @internal
 */
import { BranchProtection } from '@cdktf/provider-github/lib/branch-protection';
import { RepositoryRuleset } from '@cdktf/provider-github/lib/repository-ruleset';
import type { Construct } from 'constructs';
import { GITHUB_ACTIONS_APP_ID } from '../core/github-names';

/** The repository role id of "Admin", the only actor that may bypass the rulesets that have a bypass. */
const REPOSITORY_ADMIN_ROLE_ID = 5;

/** The files the push ruleset guards: every workflow, which decides what its token may do. */
const WORKFLOW_FILE_PATHS = ['.github/workflows/**'];

/** What the branch rules enforce. @internal */
export interface BranchRuleInputs {
  readonly repository: string;
  readonly branches: string[];
  readonly requiredChecks: string[];
  readonly approvals: number;
  readonly dismissStale: boolean;
  readonly lastPush: boolean;
  readonly codeOwnerReview: boolean;
  readonly upToDate: boolean;
  readonly linear: boolean;
  readonly signed: boolean;
}

/** One classic branch protection per branch, applying to administrators too. @internal */
export function branchProtections(scope: Construct, r: BranchRuleInputs): BranchProtection[] {
  return r.branches.map((branch, i) => new BranchProtection(scope, `BranchProtection${i}`, {
    repositoryId: r.repository,
    pattern: branch,
    enforceAdmins: true,
    allowsDeletions: false,
    allowsForcePushes: false,
    requiredLinearHistory: r.linear,
    requireSignedCommits: r.signed,
    requiredStatusChecks: [{ strict: r.upToDate, contexts: r.requiredChecks }],
    requiredPullRequestReviews: [{
      requiredApprovingReviewCount: r.approvals,
      dismissStaleReviews: r.dismissStale,
      requireLastPushApproval: r.lastPush,
      requireCodeOwnerReviews: r.codeOwnerReview,
    }],
  }));
}

/** One ruleset for every protected branch, without bypass actors; checks bound to GitHub Actions. @internal */
export function branchRuleset(scope: Construct, r: BranchRuleInputs): RepositoryRuleset {
  return new RepositoryRuleset(scope, 'BranchRuleset', {
    name: 'dockyard-pipeline-branches',
    repository: r.repository,
    target: 'branch',
    enforcement: 'active',
    conditions: { refName: { include: r.branches.map(b => `refs/heads/${b}`), exclude: [] } },
    rules: {
      deletion: true,
      nonFastForward: true,
      requiredLinearHistory: r.linear,
      requiredSignatures: r.signed,
      pullRequest: {
        requiredApprovingReviewCount: r.approvals,
        dismissStaleReviewsOnPush: r.dismissStale,
        requireLastPushApproval: r.lastPush,
        requireCodeOwnerReview: r.codeOwnerReview,
      },
      requiredStatusChecks: {
        strictRequiredStatusChecksPolicy: r.upToDate,
        requiredCheck: r.requiredChecks.map(context => ({ context, integrationId: GITHUB_ACTIONS_APP_ID })),
      },
    },
  });
}

/** Release tags: created by repository admins only, never moved or deleted. @internal */
export function releaseTagRuleset(scope: Construct, repository: string, tagPattern: string): RepositoryRuleset {
  return new RepositoryRuleset(scope, 'TagRuleset', {
    name: 'dockyard-release-tags',
    repository,
    target: 'tag',
    enforcement: 'active',
    conditions: { refName: { include: [`refs/tags/${tagPattern}`], exclude: [] } },
    bypassActors: [{ actorId: REPOSITORY_ADMIN_ROLE_ID, actorType: 'RepositoryRole', bypassMode: 'always' }],
    rules: { creation: true, update: true, deletion: true, nonFastForward: true },
  });
}

/**
 * A push ruleset (the whole repository and its fork network; push rulesets take no ref conditions) that
 * refuses commits changing the workflow files, except from repository admins. @internal
 */
export function workflowPushRuleset(scope: Construct, repository: string): RepositoryRuleset {
  return new RepositoryRuleset(scope, 'WorkflowPushRuleset', {
    name: 'dockyard-workflow-files',
    repository,
    target: 'push',
    enforcement: 'active',
    bypassActors: [{ actorId: REPOSITORY_ADMIN_ROLE_ID, actorType: 'RepositoryRole', bypassMode: 'always' }],
    rules: { filePathRestriction: { restrictedFilePaths: WORKFLOW_FILE_PATHS } },
  });
}
