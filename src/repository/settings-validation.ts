import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { TerraformStack, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import { BranchRuleKind } from './branch-rule-kind';
import {
  actionNameProblem, branchPatternProblem, environmentNameProblem, isFullSha, ownerProblem, quoteValue, repositoryProblem,
} from './github-names';
import type { GithubRepositorySettingsOptions } from './github-repository-settings';
import type { EnvironmentPolicies } from './pipeline-facts';

/** GitHub's limits. */
const MAX_APPROVALS: Record<BranchRuleKind, number> = {
  [BranchRuleKind.RULESET]: 10,
  [BranchRuleKind.BRANCH_PROTECTION]: 6,
};
const MAX_REVIEWERS = 6;
const MAX_WAIT_TIMER_MINUTES = 43200;

/** @internal */
export interface DerivedSettings {
  readonly ruleKind: BranchRuleKind;
  readonly requireShaPinning: boolean;
  readonly environmentPolicies: EnvironmentPolicies[];
  readonly pkg: { namespace?: string; name: string };
  readonly packageName: string;
}

/**
 * Every problem of a `GithubRepositorySettings`, each naming the value, the
 * rule and the fix (the construct path is added by the caller).
 * @internal
 */
export function settingsProblems(scope: IConstruct, options: GithubRepositorySettingsOptions, derived: DerivedSettings): string[] {
  const problems: string[] = [];
  const add = (p: string | undefined) => {
    if (p !== undefined) problems.push(p);
  };
  const manifest = options.manifest;

  add(ownerProblem(options.owner));
  add(repositoryProblem(options.repository));

  // Branches.
  for (const d of manifest.deployments) {
    add(branchPatternProblem(d.branch, `manifest deployment branch (to environment "${d.environment}")`));
    add(environmentNameProblem(d.environment, `manifest deployment environment (of branch "${d.branch}")`));
  }
  for (const b of options.additionalProtectedBranches ?? []) {
    add(branchPatternProblem(b, 'additionalProtectedBranches entry'));
  }
  if (manifest.tagEnvironment !== undefined) {
    add(environmentNameProblem(manifest.tagEnvironment, 'manifest tagEnvironment'));
  }
  if (manifest.tagPattern !== undefined) {
    add(branchPatternProblem(manifest.tagPattern, 'manifest tagPattern', 'tag'));
  }
  if (manifest.deployments.length === 0 && (options.additionalProtectedBranches ?? []).length === 0) {
    problems.push('the manifest has no deployment branches and additionalProtectedBranches is empty, so no branch would be protected: '
      + 'give the publish workflow its branches in .projenrc.ts (and run "npx projen"), or list branches in additionalProtectedBranches');
  }

  // Reviews.
  const approvals = options.requiredApprovals ?? 1;
  const max = MAX_APPROVALS[derived.ruleKind];
  if (typeof approvals !== 'number' || !Number.isInteger(approvals) || approvals < 0 || approvals > max) {
    problems.push(`requiredApprovals ${quoteValue(approvals)} is out of range: ${derived.ruleKind === BranchRuleKind.RULESET ? 'rulesets' : 'branch protection'} `
      + `accept a whole number from 0 to ${max} (0 for a solo maintainer, who cannot approve their own pull requests)`);
  }

  // Required checks.
  const checks = manifest.requiredChecks;
  if (checks.length === 0) {
    problems.push('the manifest lists no required checks, so the branch rules could not require the build: '
      + 'run "npx projen" with the publish workflow in .projenrc.ts to regenerate the manifest');
  }
  for (const c of checks) {
    if (c.trim().length === 0 || /[\u0000-\u001f\u007f]/.test(c)) {
      problems.push(`required check ${quoteValue(c)} is not a job name GitHub can report: give the job a printable name`);
    }
  }

  // Environments.
  problems.push(...environmentProblems(options, derived.environmentPolicies));

  // Actions.
  for (const use of manifest.actions) {
    if (use.action.startsWith('./')) continue;
    const nameProblem = actionNameProblem(use.action);
    const where = use.workflows.length > 0 ? ` (used by ${use.workflows.join(', ')})` : '';
    if (nameProblem !== undefined) {
      problems.push(`manifest ${nameProblem}${where}: run "npx projen" to regenerate the manifest`);
      continue;
    }
    const mustPin = derived.requireShaPinning || (options.pinAllowedActions ?? false);
    if (mustPin && !isFullSha(use.ref)) {
      const why = derived.requireShaPinning
        ? 'requireShaPinning is on, so GitHub would refuse to run it'
        : 'pinAllowedActions is on, so its allowed pattern needs the commit';
      problems.push(`action "${use.action}@${use.ref}"${where} is not pinned to a full 40-character commit SHA and ${why}: `
        + 'pin it in .projenrc.ts (the publish workflow\'s action pins, or projen\'s github.actions overrides for projen\'s own workflows) '
        + 'and run "npx projen", or set requireShaPinning: false');
    }
  }

  // Package.
  if (derived.pkg.namespace !== undefined && Token.isUnresolved(options.owner) === false
    && derived.pkg.namespace.toLowerCase() !== String(options.owner).toLowerCase()) {
    problems.push(`the image ghcr.io/${manifest.imageName} is not in the owner's namespace "${String(options.owner).toLowerCase()}": `
      + `the workflow's GITHUB_TOKEN can only push packages of ${options.owner}; publish to ghcr.io/${String(options.owner).toLowerCase()}/... `
      + 'or fix owner');
  }
  if (derived.packageName.length === 0 || derived.packageName !== derived.packageName.toLowerCase()) {
    problems.push(`package name ${quoteValue(derived.packageName)} is not a GHCR package name: use the lowercase image path after the owner`);
  }

  // Provider.
  problems.push(...providerProblems(scope, options.owner));
  return problems;
}

function environmentProblems(options: GithubRepositorySettingsOptions, policies: EnvironmentPolicies[]): string[] {
  const problems: string[] = [];
  if (options.environments === undefined) {
    return problems;
  }
  const deployed = new Map(policies.map(p => [p.name.toLowerCase(), p]));
  const deployedList = policies.map(p => `"${p.name}"`).join(', ') || 'none';
  const seen = new Set<string>();
  for (const env of options.environments) {
    const nameProblem = environmentNameProblem(env.name, 'environments entry');
    if (nameProblem !== undefined) {
      problems.push(nameProblem);
      continue;
    }
    const key = env.name.toLowerCase();
    if (seen.has(key)) {
      problems.push(`environment "${env.name}" is configured twice (names are case-insensitive on GitHub): merge the two entries`);
    }
    seen.add(key);
    if (!deployed.has(key)) {
      problems.push(`environment "${env.name}" is configured but no generated workflow deploys to it (they deploy to ${deployedList}): `
        + 'fix its name or remove it from environments');
    }
    const reviewers = env.reviewers ?? [];
    for (const r of reviewers) {
      const p = typeof r === 'object' && r !== null && typeof (r as any)._problem === 'function'
        ? (r as any)._problem() as string | undefined
        : `reviewer ${quoteValue(r)} is not a user or team id: use EnvironmentReviewer.user(id) or EnvironmentReviewer.team(id) with a numeric id`;
      if (p !== undefined) problems.push(`environment "${env.name}": ${p}`);
    }
    if (reviewers.length > MAX_REVIEWERS) {
      problems.push(`environment "${env.name}" has ${reviewers.length} reviewers; GitHub allows at most ${MAX_REVIEWERS}: use a team instead of several users`);
    }
    const wait = env.waitTimer ?? 0;
    if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_TIMER_MINUTES) {
      problems.push(`environment "${env.name}": waitTimer ${quoteValue(wait)} is out of range: give whole minutes from 0 to ${MAX_WAIT_TIMER_MINUTES} (30 days)`);
    }
  }
  for (const p of policies) {
    if (!seen.has(p.name.toLowerCase())) {
      const from = [...p.branches.map(b => `branch "${b}"`), ...(p.tagPattern ? [`tags "${p.tagPattern}"`] : [])].join(', ');
      problems.push(`the workflows deploy to environment "${p.name}" (from ${from}) but environments does not configure it: `
        + `add { name: '${p.name}' } with its reviewers to environments, or leave environments out to create every environment without reviewers`);
    }
  }
  return problems;
}

function providerProblems(scope: IConstruct, owner: string): string[] {
  const providers = TerraformStack.of(scope).node.findAll().filter((c): c is GithubProvider => c instanceof GithubProvider);
  // A stack without any GitHub provider is reported by cdktf itself.
  const defaults = providers.filter(p => p.alias === undefined);
  if (defaults.length === 1) {
    const providerOwner = defaults[0].owner;
    if (providerOwner === undefined) {
      return [`the GitHub provider has no owner, so it would act on the token user's repositories: set { owner: '${owner}' } on it`];
    }
    if (!Token.isUnresolved(providerOwner) && !Token.isUnresolved(owner) && providerOwner.toLowerCase() !== String(owner).toLowerCase()) {
      return [`the GitHub provider's owner "${providerOwner}" differs from owner "${owner}": make them the same`];
    }
  }
  return [];
}
