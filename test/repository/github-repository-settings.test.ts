import { readFileSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { ActionsRepositoryPermissions } from '@cdktf/provider-github/lib/actions-repository-permissions';
import { BranchProtection } from '@cdktf/provider-github/lib/branch-protection';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { Repository } from '@cdktf/provider-github/lib/repository';
import { RepositoryEnvironment } from '@cdktf/provider-github/lib/repository-environment';
import { RepositoryEnvironmentDeploymentPolicy } from '@cdktf/provider-github/lib/repository-environment-deployment-policy';
import { RepositoryRuleset } from '@cdktf/provider-github/lib/repository-ruleset';
import { WorkflowRepositoryPermissions } from '@cdktf/provider-github/lib/workflow-repository-permissions';
import { Testing, TerraformStack } from 'cdktf';
// Types of cdktf's jest matchers (registered by test/setup.ts).
import 'cdktf/lib/testing/adapters/jest';
import { SHA, defaultManifest, realApp, resources, settingsStack, synth, synthJson } from './support';
import {
  BranchRuleKind, EnvironmentReviewer, GithubOwnerType, GithubRepositorySettings, GithubRepositorySettingsStack,
} from '../../src';

describe('GithubRepositorySettings defaults', () => {
  const out = synth();

  test('configures the provider with the owner only (no token)', () => {
    expect(out).toHaveProviderWithProperties(GithubProvider, { owner: 'acme' });
    const json = JSON.parse(out);
    expect(json.provider.github).toEqual([{ owner: 'acme' }]);
  });

  test('raises the provider version above the bindings\' pinned 6.9.0', () => {
    const json = JSON.parse(out);
    expect(json.terraform.required_providers.github).toEqual({ source: 'integrations/github', version: '~> 6.11' });
  });

  test('one active branch ruleset over the publishing branches: no deletion, no force push, reviews, checks by app id', () => {
    expect(out).toHaveResourceWithProperties(RepositoryRuleset, {
      name: 'dockyard-pipeline-branches',
      repository: 'app',
      target: 'branch',
      enforcement: 'active',
      conditions: { ref_name: { include: ['refs/heads/main', 'refs/heads/develop'], exclude: [] } },
      rules: {
        deletion: true,
        non_fast_forward: true,
        required_linear_history: false,
        required_signatures: false,
        pull_request: {
          required_approving_review_count: 1,
          dismiss_stale_reviews_on_push: true,
          require_last_push_approval: true,
          require_code_owner_review: false,
        },
        required_status_checks: {
          strict_required_status_checks_policy: true,
          required_check: [{ context: 'container-build', integration_id: 15368 }],
        },
      },
    });
    const rulesets = resources(JSON.parse(out), 'github_repository_ruleset');
    expect(rulesets).toHaveLength(1);
    expect(rulesets[0].bypass_actors).toBeUndefined();
    expect(out).not.toHaveResource(BranchProtection);
  });

  test('the default token is read-only and cannot approve pull requests', () => {
    expect(out).toHaveResourceWithProperties(WorkflowRepositoryPermissions, {
      repository: 'app',
      default_workflow_permissions: 'read',
      can_approve_pull_request_reviews: false,
    });
  });

  test('only GitHub-owned and the workflows\' third-party actions may run, SHA-pinned', () => {
    expect(out).toHaveResourceWithProperties(ActionsRepositoryPermissions, {
      repository: 'app',
      enabled: true,
      allowed_actions: 'selected',
      allowed_actions_config: {
        github_owned_allowed: true,
        verified_allowed: false,
        patterns_allowed: [
          'amannn/action-semantic-pull-request@*',
          'docker/build-push-action@*',
          'docker/login-action@*',
          'docker/metadata-action@*',
          'docker/setup-buildx-action@*',
        ],
      },
      sha_pinning_required: true,
    });
  });

  test('environments with custom branch policies matching the deployments', () => {
    for (const environment of ['production', 'staging']) {
      expect(out).toHaveResourceWithProperties(RepositoryEnvironment, {
        repository: 'app',
        environment,
        wait_timer: 0,
        can_admins_bypass: false,
        prevent_self_review: false,
        deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      });
    }
    const json = JSON.parse(out);
    const policies = resources(json, 'github_repository_environment_deployment_policy');
    expect(policies).toHaveLength(2);
    const envs = json.resource.github_repository_environment;
    const envOf = (ref: string) => envs[/^\$\{github_repository_environment\.([^.]+)\.environment\}$/.exec(ref)![1]].environment;
    expect(policies.map(p => [envOf(p.environment), p.branch_pattern, p.tag_pattern])).toEqual([
      ['production', 'main', undefined],
      ['staging', 'develop', undefined],
    ]);
    for (const env of resources(json, 'github_repository_environment')) {
      expect(env.reviewers).toBeUndefined();
    }
  });

  test('no release tag ruleset and no tag policy without tag publishing', () => {
    const json = JSON.parse(out);
    expect(resources(json, 'github_repository_ruleset').filter(r => r.target === 'tag')).toEqual([]);
    expect(resources(json, 'github_repository_environment_deployment_policy').filter(p => p.tag_pattern)).toEqual([]);
  });

  test('never touches the repository itself', () => {
    expect(out).not.toHaveResource(Repository);
    expect(JSON.parse(out).import).toBeUndefined();
  });

  test('outputs the GHCR package settings URL and the manual step', () => {
    const json = JSON.parse(out);
    expect(json.output.ghcr_package_settings_url.value).toBe('https://github.com/users/acme/packages/container/app/settings');
    expect(json.output.ghcr_package_access_step.value).toContain('https://github.com/users/acme/packages/container/app/settings');
    expect(json.output.ghcr_package_access_step.value).toContain('acme/app has the Write role');
  });

  test('snapshot', () => {
    expect(JSON.parse(out)).toMatchSnapshot();
  });
});

describe('GithubRepositorySettings options', () => {
  test('tag publishing: a semver tag policy on the tag environment and immutable admin-only release tags', () => {
    const json = synthJson({ manifest: defaultManifest({ tagEnvironment: 'production' }) });
    const tagPolicies = resources(json, 'github_repository_environment_deployment_policy').filter(p => p.tag_pattern !== undefined);
    expect(tagPolicies).toHaveLength(1);
    expect(tagPolicies[0].tag_pattern).toBe('v*.*.*');
    expect(tagPolicies[0].branch_pattern).toBeUndefined();
    expect(tagPolicies[0].environment).toMatch(/^\$\{github_repository_environment\.settings_Environment-production_[0-9A-F]+\.environment\}$/);
    const tagRulesets = resources(json, 'github_repository_ruleset').filter(r => r.target === 'tag');
    expect(tagRulesets).toEqual([expect.objectContaining({
      name: 'dockyard-release-tags',
      conditions: { ref_name: { include: ['refs/tags/v*.*.*'], exclude: [] } },
      rules: { creation: true, update: true, deletion: true, non_fast_forward: true },
      bypass_actors: [{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }],
    })]);
    expect(json).toMatchSnapshot();
  });

  test('protectReleaseTags: false leaves tags alone but keeps the tag policy', () => {
    const json = synthJson({ manifest: defaultManifest({ tagEnvironment: 'production' }), protectReleaseTags: false });
    expect(resources(json, 'github_repository_ruleset').filter(r => r.target === 'tag')).toEqual([]);
    expect(resources(json, 'github_repository_environment_deployment_policy').filter(p => p.tag_pattern === 'v*.*.*')).toHaveLength(1);
  });

  test('solo-maintainer profile: 0 approvals turns off last-push approval, keeps PRs, checks, no force push', () => {
    const out = synth({ requiredApprovals: 0 });
    expect(out).toHaveResourceWithProperties(RepositoryRuleset, {
      rules: expect.objectContaining({
        deletion: true,
        non_fast_forward: true,
        pull_request: {
          required_approving_review_count: 0,
          dismiss_stale_reviews_on_push: true,
          require_last_push_approval: false,
          require_code_owner_review: false,
        },
        required_status_checks: expect.objectContaining({ required_check: [{ context: 'container-build', integration_id: 15368 }] }),
      }),
    });
  });

  test('stricter rules: approvals, linear history, signed commits, additional branches', () => {
    const out = synth({
      requiredApprovals: 2,
      requireLinearHistory: true,
      requireSignedCommits: true,
      additionalProtectedBranches: ['release/*', 'main'],
      requireUpToDateBranches: false,
    });
    expect(out).toHaveResourceWithProperties(RepositoryRuleset, {
      conditions: { ref_name: { include: ['refs/heads/main', 'refs/heads/develop', 'refs/heads/release/*'], exclude: [] } },
      rules: expect.objectContaining({
        required_linear_history: true,
        required_signatures: true,
        pull_request: {
          required_approving_review_count: 2, dismiss_stale_reviews_on_push: true, require_last_push_approval: true, require_code_owner_review: false,
        },
        required_status_checks: expect.objectContaining({ strict_required_status_checks_policy: false }),
      }),
    });
  });

  test('classic branch protection: one rule per branch, admins included, checks by name', () => {
    const json = synthJson({ ruleKind: BranchRuleKind.BRANCH_PROTECTION, requireLinearHistory: true });
    expect(resources(json, 'github_repository_ruleset')).toEqual([]);
    const protections = resources(json, 'github_branch_protection');
    expect(protections.map(p => p.pattern)).toEqual(['main', 'develop']);
    for (const p of protections) {
      expect(p).toEqual({
        repository_id: 'app',
        pattern: p.pattern,
        enforce_admins: true,
        allows_deletions: false,
        allows_force_pushes: false,
        required_linear_history: true,
        require_signed_commits: false,
        required_status_checks: [{ strict: true, contexts: ['container-build'] }],
        required_pull_request_reviews: [{
          required_approving_review_count: 1, dismiss_stale_reviews: true, require_last_push_approval: true, require_code_owner_reviews: false,
        }],
      });
    }
    expect(json).toMatchSnapshot();
  });

  test('environment reviewers, wait timer and self-review', () => {
    const out = synth({
      environments: [
        { name: 'production', reviewers: [EnvironmentReviewer.user(1234), EnvironmentReviewer.team(42)], waitTimer: 30, preventSelfReview: true },
        { name: 'staging', canAdminsBypass: true },
      ],
    });
    expect(out).toHaveResourceWithProperties(RepositoryEnvironment, {
      environment: 'production',
      reviewers: [{ users: [1234], teams: [42] }],
      wait_timer: 30,
      prevent_self_review: true,
      can_admins_bypass: false,
    });
    expect(out).toHaveResourceWithProperties(RepositoryEnvironment, { environment: 'staging', can_admins_bypass: true, wait_timer: 0 });
  });

  test('environment names match case-insensitively, as on GitHub', () => {
    const out = synth({ environments: [{ name: 'Production', waitTimer: 5 }, { name: 'STAGING' }] });
    expect(out).toHaveResourceWithProperties(RepositoryEnvironment, { environment: 'production', wait_timer: 5 });
  });

  test('several branches deploying to one environment get one environment and one policy each', () => {
    const json = synthJson({
      manifest: defaultManifest({
        deployments: [{ branch: 'main', environment: 'production' }, { branch: 'hotfix', environment: 'production' }],
      }),
    });
    expect(resources(json, 'github_repository_environment')).toHaveLength(1);
    expect(resources(json, 'github_repository_environment_deployment_policy').map(p => p.branch_pattern)).toEqual(['main', 'hotfix']);
  });

  test('pinAllowedActions names the pinned commit in each pattern', () => {
    const out = synth({ pinAllowedActions: true });
    expect(out).toHaveResourceWithProperties(ActionsRepositoryPermissions, {
      allowed_actions_config: expect.objectContaining({
        patterns_allowed: [
          `amannn/action-semantic-pull-request@${SHA.projenPr}`,
          `docker/build-push-action@${SHA.buildPush}`,
          `docker/login-action@${SHA.login}`,
          `docker/metadata-action@${SHA.metadata}`,
          `docker/setup-buildx-action@${SHA.buildx}`,
        ],
      }),
    });
  });

  test('requireShaPinning: false writes sha_pinning_required = false and accepts tag refs', () => {
    const manifest = defaultManifest();
    const json = synthJson({
      requireShaPinning: false,
      manifest: { ...manifest, shaPinned: false, actions: [{ action: 'docker/login-action', ref: 'v3', workflows: ['x.yml'] }] },
    });
    const [perms] = resources(json, 'github_actions_repository_permissions');
    expect(perms.sha_pinning_required).toBe(false);
    expect(perms.allowed_actions_config.patterns_allowed).toEqual(['docker/login-action@*']);
  });

  test('a custom provider version constraint', () => {
    const json = synthJson({ providerVersionConstraint: '>= 6.11.1, < 7.0.0' });
    expect(json.terraform.required_providers.github.version).toBe('>= 6.11.1, < 7.0.0');
  });

  test('manageRepository adopts the repository by import: archive on destroy, prevent destroy, other attributes ignored', () => {
    const out = synth({ manageRepository: true });
    expect(out).toHaveResourceWithProperties(Repository, {
      name: 'app',
      archive_on_destroy: true,
      lifecycle: expect.objectContaining({ prevent_destroy: true }),
    });
    const json = JSON.parse(out);
    const [address] = Object.keys(json.resource.github_repository);
    expect(json.import).toEqual([{ id: 'app', to: `github_repository.${address}` }]);
    const ignored: string[] = json.resource.github_repository[address].lifecycle.ignore_changes;
    expect(ignored).toEqual(expect.arrayContaining(['visibility', 'private', 'has_issues', 'default_branch', 'allow_merge_commit']));
    expect(ignored).not.toContain('name');
    expect(ignored).not.toContain('archive_on_destroy');
    // Every other resource refers to the adopted repository, so it is adopted first.
    for (const type of ['github_repository_ruleset', 'github_workflow_repository_permissions', 'github_actions_repository_permissions', 'github_repository_environment']) {
      for (const r of resources(json, type)) {
        expect(r.repository).toBe(`\${github_repository.${address}.name}`);
      }
    }
  });

  test('organization owners get the orgs/ package URL; nested image paths are URL-encoded', () => {
    const json = synthJson({
      ownerType: GithubOwnerType.ORGANIZATION,
      manifest: defaultManifest({ imageName: 'acme/app/api' }),
    });
    expect(json.output.ghcr_package_settings_url.value).toBe('https://github.com/orgs/acme/packages/container/app%2Fapi/settings');
  });

  test('without an image name the package is the lowercased repository; packageName overrides', () => {
    const a = settingsStack({ repository: 'My-App', manifest: defaultManifest({ imageName: undefined }) });
    expect(a.settings.packageSettingsUrl).toBe('https://github.com/users/acme/packages/container/my-app/settings');
    const b = settingsStack({ packageName: 'other' });
    expect(b.settings.packageSettingsUrl).toBe('https://github.com/users/acme/packages/container/other/settings');
  });

  test('no GHCR outputs for another registry', () => {
    const json = synthJson({ manifest: defaultManifest({ registry: 'registry.example.com' }) });
    expect(json.output).toBeUndefined();
  });

  test('usable in any TerraformStack with its own provider', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'custom');
    new GithubProvider(stack, 'gh', { owner: 'Acme' });
    const settings = new GithubRepositorySettings(stack, 'pipeline', { owner: 'acme', repository: 'app', manifest: defaultManifest() });
    const out = Testing.synth(stack, true);
    expect(out).toHaveResourceWithProperties(RepositoryRuleset, { name: 'dockyard-pipeline-branches' });
    expect(out).toHaveResource(RepositoryEnvironmentDeploymentPolicy);
    expect(settings.requiredChecks).toEqual(['container-build']);
    expect(settings.environments.map(e => e.environmentInput)).toEqual(['production', 'staging']);
  });
});

describe('no secret reaches the synthesized JSON', () => {
  const SENTINEL = 'ghp_SENTINEL0000000000000000000000000000';
  const saved: Record<string, string | undefined> = {};
  const vars = ['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_APP_PEM_FILE'];

  beforeAll(() => {
    for (const v of vars) {
      saved[v] = process.env[v];
      process.env[v] = SENTINEL;
    }
  });
  afterAll(() => {
    for (const v of vars) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });

  test('Testing.synth output holds neither the token nor any token attribute', () => {
    const out = synth({ manageRepository: true, manifest: defaultManifest({ tagEnvironment: 'production' }) });
    expect(out).not.toContain(SENTINEL);
    expect(out).not.toContain('GITHUB_TOKEN');
    const json = JSON.parse(out);
    expect(Object.keys(json.provider.github[0])).toEqual(['owner']);
  });

  test('every file a real app.synth() writes is free of the token', () => {
    const { app, outdir } = realApp();
    new GithubRepositorySettingsStack(app, 'repo', { owner: 'acme', repository: 'app', manifest: defaultManifest() });
    app.synth();
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(outdir);
    const stackFile = join(outdir, 'stacks', 'repo', 'cdk.tf.json');
    expect(files).toContain(stackFile);
    for (const f of files) {
      const text = readFileSync(f, 'utf-8');
      expect(text).not.toContain(SENTINEL);
      expect(text).not.toContain('GITHUB_TOKEN');
    }
    const json = JSON.parse(readFileSync(stackFile, 'utf-8'));
    expect(json.provider.github).toEqual([{ owner: 'acme' }]);
    // A real synth keeps the raised provider version and sha_pinning_required too.
    expect(json.terraform.required_providers.github).toEqual({ source: 'integrations/github', version: '~> 6.11' });
    expect(Object.values<any>(json.resource.github_actions_repository_permissions)[0].sha_pinning_required).toBe(true);
  });
});

describe('GithubRepositorySettingsStack', () => {
  test('exposes its provider and settings', () => {
    const stack = settingsStack();
    expect(stack).toBeInstanceOf(GithubRepositorySettingsStack);
    expect(stack.provider.owner).toBe('acme');
    expect(stack.settings.allowedActionPatterns).toContain('docker/build-push-action@*');
    expect(stack.settings.branchRuleset).toBeDefined();
    expect(stack.settings.repositoryResource).toBeUndefined();
  });
});
