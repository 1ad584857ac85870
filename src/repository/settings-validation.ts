import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { TerraformStack, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import { BranchRuleKind } from './branch-rule-kind';
import { EnvironmentReviewer } from './environment-reviewer';
import { GithubOwnerType } from './github-owner-type';
import type { GithubRepositorySettingsOptions } from './github-repository-settings';
import type { EnvironmentPolicies, PackageFacts } from './pipeline-facts';
import { providerVersionProblem } from './provider-version';
import {
  actionNameProblem, branchPatternProblem, checkNameProblem, codeOwnersLocations, environmentNameProblem, isFullSha, ownerProblem, quoteValue,
  repositoryProblem,
} from '../core/github-names';
import { PipelineManifestFile } from '../pipeline/pipeline-manifest-file';

/** GitHub's limits. */
const MAX_APPROVALS: Record<BranchRuleKind, number> = {
  [BranchRuleKind.RULESET]: 10,
  [BranchRuleKind.BRANCH_PROTECTION]: 6,
};
const MAX_REVIEWERS = 6;
const MAX_WAIT_TIMER_MINUTES = 43200;

/** The default GitHub provider version constraint (6.11 added `sha_pinning_required`). @internal */
export const DEFAULT_PROVIDER_VERSION = '~> 6.11';

/**
 * Free text bound for a Terraform string: `${` and `%{` would start a template, so they are written
 * escaped (`$${`, `%%{`), which Terraform reads back as the literal text.
 * @internal
 */
export function terraformString(value: string): string {
  return value.replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
}

/** @internal */
export interface DerivedSettings {
  readonly ruleKind: BranchRuleKind;
  readonly requireShaPinning: boolean;
  readonly environmentPolicies: EnvironmentPolicies[];
  readonly packages: PackageFacts[];
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

  add(codeOwnerReviewProblem(options));
  add(workflowRestrictionProblem(options));

  // Required checks.
  const checks = manifest.requiredChecks;
  if (checks.length === 0) {
    problems.push('the manifest lists no required checks, so the branch rules could not require the build: '
      + 'run "npx projen" with the publish workflow in .projenrc.ts to regenerate the manifest');
  }
  for (const c of checks) add(checkNameProblem(c));

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

  // Packages.
  if (options.packageName !== undefined && derived.packages.length !== 1) {
    problems.push(`packageName names one package, but the manifest lists ${derived.packages.length} images: drop packageName (each package is named after its image)`);
  }
  for (const pkg of derived.packages) {
    if (pkg.namespace !== undefined && Token.isUnresolved(options.owner) === false
      && pkg.namespace.toLowerCase() !== String(options.owner).toLowerCase()) {
      problems.push(`the image ${pkg.image} is not in the owner's namespace "${String(options.owner).toLowerCase()}": `
        + `the workflow's GITHUB_TOKEN can only push packages of ${options.owner}; publish to ghcr.io/${String(options.owner).toLowerCase()}/... `
        + 'or fix owner');
    }
    if (pkg.name.length === 0 || pkg.name !== pkg.name.toLowerCase()) {
      problems.push(`package name ${quoteValue(pkg.name)} is not a GHCR package name: use the lowercase image path after the owner`);
    }
  }

  // Provider.
  add(providerVersionProblem(options.providerVersionConstraint ?? DEFAULT_PROVIDER_VERSION));
  problems.push(...providerProblems(scope, options.owner));
  add(duplicateSettingsProblem(scope, options));
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
      const p = r instanceof EnvironmentReviewer
        ? r._problem()
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

/** Code-owner review in a repository without CODEOWNERS (known when the manifest was read from the repository). */
function codeOwnerReviewProblem(options: GithubRepositorySettingsOptions): string | undefined {
  if (options.requireCodeOwnerReview !== true) return undefined;
  const repository = PipelineManifestFile._repositoryOf(options.manifest);
  if (repository === undefined || repository.codeOwners !== undefined) return undefined;
  return `requireCodeOwnerReview is on, but the repository ${repository.root} has no CODEOWNERS file (GitHub reads the first of `
    + `${codeOwnersLocations().join(', ')}), so no file has a code owner and the rule would ask for no review (Scorecard does not count it either): `
    + 'write one with CodeOwners in .projenrc.ts and run "npx projen", or leave requireCodeOwnerReview off';
}

/** Push rulesets exist only for private and internal repositories of organizations on GitHub Team or Enterprise. */
function workflowRestrictionProblem(options: GithubRepositorySettingsOptions): string | undefined {
  if (options.restrictWorkflowChanges !== true || (options.ownerType ?? GithubOwnerType.USER) === GithubOwnerType.ORGANIZATION) return undefined;
  return 'restrictWorkflowChanges needs a push ruleset, which GitHub offers only for private and internal repositories of organizations '
    + `on GitHub Team or Enterprise, but ownerType says ${options.owner} is a personal account: set ownerType: GithubOwnerType.ORGANIZATION `
    + 'if it is an organization, or leave restrictWorkflowChanges off';
}

/** A second settings construct for the same repository would synthesize conflicting resources. */
function duplicateSettingsProblem(scope: IConstruct, options: GithubRepositorySettingsOptions): string | undefined {
  const key = (o: GithubRepositorySettingsOptions) => `${String(o.owner).toLowerCase()}/${String(o.repository).toLowerCase()}`;
  const all = scope.node.root.node.findAll()
    .filter((c): c is IConstruct & { readonly _settingsOptions: GithubRepositorySettingsOptions } =>
      (c as { readonly _settingsOptions?: unknown })._settingsOptions !== undefined)
    .filter(c => key(c._settingsOptions) === key(options));
  const first = all[0];
  if (first === undefined || first === scope) return undefined;
  return `the repository ${options.owner}/${options.repository} is already configured by ${first.node.path}; two settings constructs would `
    + 'create the same rulesets, permissions and environments twice, which conflict when applied: keep one GithubRepositorySettings per repository '
    + '(it reads the one pipeline manifest of the repository)';
}

function providerProblems(scope: IConstruct, owner: string): string[] {
  const providers = TerraformStack.of(scope).node.findAll().filter((c): c is GithubProvider => c instanceof GithubProvider);
  const problems: string[] = [];
  for (const p of providers) {
    if (p.token !== undefined && !Token.isUnresolved(p.token)) {
      problems.push(`the GitHub provider ${p.node.path} has a token written in the code, which would be synthesized into cdk.tf.json (a committed file): `
        + 'remove token and export GITHUB_TOKEN when you run cdktf plan/deploy, or pass a sensitive TerraformVariable');
    }
    const pem = p.appAuth?.pemFile;
    if (pem !== undefined && !Token.isUnresolved(pem)) {
      problems.push(`the GitHub provider ${p.node.path} has an app private key (appAuth.pemFile) written in the code, which would be synthesized into cdk.tf.json: `
        + 'set GITHUB_APP_PEM_FILE in the environment instead, or pass a sensitive TerraformVariable');
    }
  }
  return [...problems, ...ownerProblems(providers, owner)];
}

function ownerProblems(providers: GithubProvider[], owner: string): string[] {
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
