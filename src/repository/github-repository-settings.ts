import { ActionsRepositoryPermissions } from '@cdktf/provider-github/lib/actions-repository-permissions';
import type { BranchProtection } from '@cdktf/provider-github/lib/branch-protection';
import type { Repository } from '@cdktf/provider-github/lib/repository';
import type { RepositoryEnvironment } from '@cdktf/provider-github/lib/repository-environment';
import type { RepositoryEnvironmentDeploymentPolicy } from '@cdktf/provider-github/lib/repository-environment-deployment-policy';
import type { RepositoryRuleset } from '@cdktf/provider-github/lib/repository-ruleset';
import { WorkflowRepositoryPermissions } from '@cdktf/provider-github/lib/workflow-repository-permissions';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { BranchRuleKind } from './branch-rule-kind';
import { branchProtections, branchRuleset, releaseTagRuleset, workflowPushRuleset, type BranchRuleInputs } from './branch-rules';
import type { DeploymentEnvironmentOptions } from './deployment-environment-options';
import { deploymentEnvironments } from './environments';
import { GithubOwnerType } from './github-owner-type';
import { allowedActionPatternsOf, environmentPoliciesOf, packagesOf, requiredChecksOf } from './pipeline-facts';
import { adoptRepository } from './repository-adoption';
import { DEFAULT_PROVIDER_VERSION, settingsProblems } from './settings-validation';
import { GITHUB_ACTIONS_APP_ID } from '../core/github-names';
import { GHCR_REGISTRY, SEMVER_TAG_PATTERN } from '../pipeline/constants';
import { manifestShapeProblems } from '../pipeline/manifest-check';
import type { PipelineManifest } from '../pipeline/pipeline-manifest';

/** Options of `GithubRepositorySettings`. */
export interface GithubRepositorySettingsOptions {
  /** The user or organization that owns the repository (the `acme` of `github.com/acme/app`). */
  readonly owner: string;

  /** The repository's name (the `app` of `github.com/acme/app`). The repository must exist. */
  readonly repository: string;

  /**
   * The facts of the generated workflows: read them with
   * `PipelineManifestFile.read()` from the `.github/dockyard-pipeline.json`
   * that projen writes.
   */
  readonly manifest: PipelineManifest;

  /**
   * Whether the owner is a personal account or an organization; it decides
   * the GHCR package settings URL.
   * @default GithubOwnerType.USER
   */
  readonly ownerType?: GithubOwnerType;

  /**
   * How branch rules are enforced.
   * @default BranchRuleKind.RULESET
   */
  readonly ruleKind?: BranchRuleKind;

  /**
   * Branches (or fnmatch patterns) protected in addition to the pipeline's
   * publishing branches, which are always protected.
   * @default - only the manifest's deployment branches
   */
  readonly additionalProtectedBranches?: string[];

  /**
   * Approving reviews a pull request needs (0-10 with rulesets, 0-6 with branch
   * protection). A solo maintainer, who cannot approve their own pull
   * requests, sets 0: pull requests, required checks and the ban on force
   * pushes and deletion still apply.
   * @default 1
   */
  readonly requiredApprovals?: number;

  /**
   * Whether a new push dismisses earlier approvals.
   * @default true
   */
  readonly dismissStaleReviews?: boolean;

  /**
   * Whether the most recent push must be approved by someone other than its
   * pusher. With 0 approvals this would still demand a second person, so it
   * is off then.
   * @default - true when requiredApprovals > 0
   */
  readonly requireLastPushApproval?: boolean;

  /**
   * Whether a pull request needs the approval of a code owner of the files it
   * changes (rulesets `require_code_owner_review`, branch protection
   * `require_code_owner_reviews`). It needs a CODEOWNERS file in the
   * repository (write it with `CodeOwners` in `.projenrc.ts`): without one no
   * file has an owner, so the rule asks for no review at all and Scorecard
   * does not count it. When the manifest was read with
   * `PipelineManifestFile.read()`, a repository without CODEOWNERS is
   * reported. GitHub never counts an author's own approval, so a pull request
   * touching files whose only code owner is its author cannot be merged.
   * @default false
   */
  readonly requireCodeOwnerReview?: boolean;

  /**
   * Whether a push ruleset refuses every push, to any branch of the
   * repository and its forks, of a commit that changes `.github/workflows/**`,
   * except pushes by repository administrators. Any collaborator who can push
   * a branch can otherwise push a workflow that asks for `packages: write`
   * and publish an image. It costs: every workflow change (a `.projenrc.ts`
   * change that regenerates a workflow, a Dependabot `github-actions` update)
   * is pushed by an administrator; and push rulesets exist only for private
   * and internal repositories of organizations on GitHub Team or Enterprise
   * (so it needs `ownerType: GithubOwnerType.ORGANIZATION`).
   * @default false
   */
  readonly restrictWorkflowChanges?: boolean;

  /**
   * Whether a pull request's branch must be up to date with its base before
   * merging (the checks ran on the code that will land).
   * @default true
   */
  readonly requireUpToDateBranches?: boolean;

  /**
   * Whether merge commits are refused on protected branches.
   * @default false
   */
  readonly requireLinearHistory?: boolean;

  /**
   * Whether commits on protected branches must have verified signatures.
   * @default false
   */
  readonly requireSignedCommits?: boolean;

  /**
   * Whether a tag ruleset makes release tags (the manifest's tag pattern,
   * `v*.*.*`, which deploy to the tag environment) immutable and creatable by
   * repository admins only. Only applies when the pipeline publishes tags.
   * @default true
   */
  readonly protectReleaseTags?: boolean;

  /**
   * Protection settings (reviewers, wait timer) per environment. When given,
   * it must name every environment the workflows deploy to, and nothing else.
   * @default - every environment of the manifest, without reviewers or wait timer
   */
  readonly environments?: DeploymentEnvironmentOptions[];

  /**
   * Whether GitHub refuses to run any action not pinned to a full commit SHA
   * (`sha_pinning_required`, provider 6.11 or later).
   * @default true
   */
  readonly requireShaPinning?: boolean;

  /**
   * Whether each allowed third-party action pattern names the exact pinned
   * commit (`owner/repo@<sha>`) instead of any ref (`owner/repo@*`). Stricter,
   * but every pin update (e.g. a Dependabot pull request) is blocked until
   * the settings are deployed again.
   * @default false
   */
  readonly pinAllowedActions?: boolean;

  /**
   * Whether to adopt the repository itself (`github_repository`, imported,
   * never created) so Terraform protects it: `prevent_destroy`, archive
   * instead of delete on destroy, and every other attribute ignored.
   * @default false
   */
  readonly manageRepository?: boolean;

  /**
   * The GHCR package name, for the package settings URL.
   * @default - from the manifest's image name, else the repository name lowercased
   */
  readonly packageName?: string;

  /**
   * The version constraint written for the GitHub provider. The bundled
   * bindings pin 6.9.0, which lacks `sha_pinning_required`.
   * @default '~> 6.11'
   */
  readonly providerVersionConstraint?: string;
}

/**
 * The settings of an existing GitHub repository that keep the container
 * pipeline safe, derived from the pipeline manifest: branch rules requiring
 * the generated workflows' checks, a read-only default token, only the
 * actions the workflows use (SHA-pinned), and deployment environments that
 * match the branches. Add it to any `TerraformStack` that has a GitHub
 * provider, or use `GithubRepositorySettingsStack`.
 *
 * It never creates, replaces or destroys the repository. Problems are
 * reported together when the stack synthesizes.
 */
export class GithubRepositorySettings extends Construct {
  /** The GitHub App id of GitHub Actions, which every workflow job's check run comes from. */
  public static readonly GITHUB_ACTIONS_APP_ID = GITHUB_ACTIONS_APP_ID;
  /** The pattern of semver release tags, when the manifest does not give one. */
  public static readonly SEMVER_TAG_PATTERN = SEMVER_TAG_PATTERN;
  /** The default GitHub provider version constraint (6.11 added `sha_pinning_required`). */
  public static readonly DEFAULT_PROVIDER_VERSION = DEFAULT_PROVIDER_VERSION;

  /** The status checks the branch rules require (the generated workflows' job names). */
  public readonly requiredChecks: string[];
  /** The third-party action patterns allowed, besides GitHub-owned actions. */
  public readonly allowedActionPatterns: string[];
  /** The branches (or patterns) the branch rules protect. */
  public readonly protectedBranches: string[];
  /** The GHCR package's settings page, where Actions access is granted by hand (the first image's). */
  public readonly packageSettingsUrl: string;
  /** Every image's GHCR package settings page, in manifest order. */
  public readonly packageSettingsUrls: string[];
  /** The branch ruleset, with `BranchRuleKind.RULESET`. */
  public readonly branchRuleset?: RepositoryRuleset;
  /** The release-tag ruleset, when the pipeline publishes tags and `protectReleaseTags` is on. */
  public readonly tagRuleset?: RepositoryRuleset;
  /** The push ruleset that guards the workflow files, with `restrictWorkflowChanges`. */
  public readonly workflowPushRuleset?: RepositoryRuleset;
  /** One branch protection per branch, with `BranchRuleKind.BRANCH_PROTECTION`. */
  public readonly branchProtections: BranchProtection[];
  /** The actions policy. */
  public readonly actionsPermissions?: ActionsRepositoryPermissions;
  /** The default `GITHUB_TOKEN` permissions. */
  public readonly workflowPermissions?: WorkflowRepositoryPermissions;
  /** The deployment environments. */
  public readonly environments: RepositoryEnvironment[];
  /** The environments' branch and tag deployment policies. */
  public readonly deploymentPolicies: RepositoryEnvironmentDeploymentPolicy[];
  /** The adopted repository, with `manageRepository`. */
  public readonly repositoryResource?: Repository;
  /** @internal */
  public readonly _settingsOptions: GithubRepositorySettingsOptions;

  constructor(scope: Construct, id: string, options: GithubRepositorySettingsOptions) {
    super(scope, id);
    this._settingsOptions = options;
    const manifest = options.manifest;
    const ruleKind = options.ruleKind ?? BranchRuleKind.RULESET;
    const requireShaPinning = options.requireShaPinning ?? true;
    this.branchProtections = [];
    this.environments = [];
    this.deploymentPolicies = [];

    const shape = manifestShapeProblems(manifest);
    if (shape.length > 0) {
      // Nothing can be derived from a malformed manifest: report it and build nothing.
      this.requiredChecks = [];
      this.allowedActionPatterns = [];
      this.protectedBranches = [];
      this.packageSettingsUrl = '';
      this.packageSettingsUrls = [];
      this.node.addValidation({ validate: () => shape.map(p => `manifest: ${p}`) });
      return;
    }

    this.requiredChecks = requiredChecksOf(manifest);
    this.allowedActionPatterns = allowedActionPatternsOf(manifest, options.pinAllowedActions ?? false);
    this.protectedBranches = [...new Set([
      ...manifest.deployments.map(d => d.branch),
      ...(options.additionalProtectedBranches ?? []),
    ])];
    const tagPattern = manifest.tagPattern ?? SEMVER_TAG_PATTERN;
    const environmentPolicies = environmentPoliciesOf(manifest, tagPattern);
    const derivedPackages = packagesOf(manifest, options.repository);
    const packages = options.packageName !== undefined && derivedPackages.length === 1
      ? [{ ...derivedPackages[0], name: options.packageName }] : derivedPackages;
    const ownerType = options.ownerType ?? GithubOwnerType.USER;
    this.packageSettingsUrls = packages.map(p => `https://github.com/${ownerType}/${options.owner}/packages/container/${encodeURIComponent(p.name)}/settings`);
    this.packageSettingsUrl = this.packageSettingsUrls[0] ?? '';

    this.node.addValidation({
      validate: () => settingsProblems(this, options, { ruleKind, requireShaPinning, environmentPolicies, packages }),
    });

    const stack = TerraformStack.of(this);
    stack.addOverride('terraform.required_providers.github.source', 'integrations/github');
    stack.addOverride('terraform.required_providers.github.version',
      options.providerVersionConstraint ?? GithubRepositorySettings.DEFAULT_PROVIDER_VERSION);

    let repository = options.repository;
    if (options.manageRepository) {
      this.repositoryResource = adoptRepository(this, options.repository);
      repository = this.repositoryResource.name;
    }

    // Branch rules.
    const approvals = options.requiredApprovals ?? 1;
    const rules: BranchRuleInputs = {
      repository,
      branches: this.protectedBranches,
      requiredChecks: this.requiredChecks,
      approvals,
      dismissStale: options.dismissStaleReviews ?? true,
      lastPush: options.requireLastPushApproval ?? approvals > 0,
      codeOwnerReview: options.requireCodeOwnerReview ?? false,
      upToDate: options.requireUpToDateBranches ?? true,
      linear: options.requireLinearHistory ?? false,
      signed: options.requireSignedCommits ?? false,
    };
    if (ruleKind === BranchRuleKind.BRANCH_PROTECTION) {
      this.branchProtections.push(...branchProtections(this, rules));
    } else {
      this.branchRuleset = branchRuleset(this, rules);
    }
    if (manifest.tagEnvironment !== undefined && (options.protectReleaseTags ?? true)) {
      this.tagRuleset = releaseTagRuleset(this, repository, tagPattern);
    }
    if (options.restrictWorkflowChanges ?? false) {
      this.workflowPushRuleset = workflowPushRuleset(this, repository);
    }

    // Token and actions policy.
    this.workflowPermissions = new WorkflowRepositoryPermissions(this, 'WorkflowPermissions', {
      repository,
      defaultWorkflowPermissions: 'read',
      canApprovePullRequestReviews: false,
    });
    this.actionsPermissions = new ActionsRepositoryPermissions(this, 'ActionsPermissions', {
      repository,
      enabled: true,
      allowedActions: 'selected',
      allowedActionsConfig: {
        githubOwnedAllowed: true,
        verifiedAllowed: false,
        patternsAllowed: this.allowedActionPatterns,
      },
    });
    // Not in the 6.9 bindings; provider 6.11+ (see providerVersionConstraint).
    this.actionsPermissions.addOverride('sha_pinning_required', requireShaPinning);

    // Environments and their deployment policies.
    const deployment = deploymentEnvironments(this, repository, environmentPolicies, options.environments ?? []);
    this.environments.push(...deployment.environments);
    this.deploymentPolicies.push(...deployment.policies);

    // GHCR package access has no API: say where and what to do.
    if (manifest.registry === GHCR_REGISTRY && this.packageSettingsUrls.length > 0) {
      const several = this.packageSettingsUrls.length > 1;
      new TerraformOutput(this, 'ghcr_package_settings_url', {
        staticId: true,
        value: several ? this.packageSettingsUrls : this.packageSettingsUrl,
        description: several ? 'The GHCR package settings pages, one per image (package access has no API).' : 'The GHCR package settings page (package access has no API).',
      });
      new TerraformOutput(this, 'ghcr_package_access_step', {
        staticId: true,
        value: `Open ${this.packageSettingsUrls.join(' and ')} and, under "Manage Actions access", make sure the repository `
          + `${options.owner}/${options.repository} has the Write role. A package first pushed by this repository's workflow `
          + 'gets it automatically; a package that existed before (pushed by hand or by another repository) needs it, '
          + 'or the publish job fails with 403 (write_package). New packages are private: change visibility under "Danger Zone" if needed.',
        description: 'The manual step that grants the publish workflow access to the GHCR package.',
      });
    }
  }
}
