/**
 * The opt-in settings that reach Scorecard's top Branch-Protection tier and narrow who can publish:
 * code-owner review (rulesets and branch protection), the push ruleset guarding the workflow files;
 * and the problems they report.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { BranchProtection } from '@cdktf/provider-github/lib/branch-protection';
import { RepositoryRuleset } from '@cdktf/provider-github/lib/repository-ruleset';
import { Testing } from 'cdktf';
// Types of cdktf's jest matchers (registered by test/setup.ts).
import 'cdktf/lib/testing/adapters/jest';
import { defaultManifest, resources, settingsStack, synth, synthJson } from './support';
import {
  BranchRuleKind, GithubOwnerType, GithubRepositorySettingsStack, PipelineManifestFile, type GithubRepositorySettingsOptions,
} from '../../src';
import { collectProblems } from '../../src/core/problems';

/** A manifest read by PipelineManifestFile.read() from a temporary repository holding `files`. */
function manifestFromRepository(files: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'dockyard-owners-'));
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, '.github'));
  writeFileSync(join(root, '.github', 'dockyard-pipeline.json'), JSON.stringify(defaultManifest()));
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), '* @acme\n');
  }
  return { root, manifest: PipelineManifestFile.read(join(root, '.github', 'dockyard-pipeline.json')) };
}

function problemsOf(options: Partial<GithubRepositorySettingsOptions>): string[] {
  const stack = new GithubRepositorySettingsStack(Testing.app(), 'repo', {
    owner: 'acme', repository: 'app', manifest: defaultManifest(), ...options,
  });
  return collectProblems(stack);
}

describe('requireCodeOwnerReview', () => {
  test('off by default, written explicitly so Terraform keeps it off', () => {
    const json = synthJson();
    expect(resources(json, 'github_repository_ruleset')[0].rules.pull_request.require_code_owner_review).toBe(false);
  });

  test('rulesets: require_code_owner_review', () => {
    expect(synth({ requireCodeOwnerReview: true, requiredApprovals: 2 })).toHaveResourceWithProperties(RepositoryRuleset, {
      name: 'dockyard-pipeline-branches',
      rules: expect.objectContaining({
        pull_request: {
          required_approving_review_count: 2,
          dismiss_stale_reviews_on_push: true,
          require_last_push_approval: true,
          require_code_owner_review: true,
        },
      }),
    });
  });

  test('branch protection: require_code_owner_reviews on every branch', () => {
    const out = synth({ requireCodeOwnerReview: true, ruleKind: BranchRuleKind.BRANCH_PROTECTION });
    for (const pattern of ['main', 'develop']) {
      expect(out).toHaveResourceWithProperties(BranchProtection, {
        pattern,
        required_pull_request_reviews: [expect.objectContaining({ require_code_owner_reviews: true })],
      });
    }
  });

  test.each([
    ['.github/CODEOWNERS'], ['CODEOWNERS'], ['docs/CODEOWNERS'],
  ])('accepted when the repository has %s', file => {
    expect(problemsOf({ requireCodeOwnerReview: true, manifest: manifestFromRepository([file]).manifest })).toEqual([]);
  });

  test('accepted for a manifest built in memory (its repository is unknown)', () => {
    expect(problemsOf({ requireCodeOwnerReview: true })).toEqual([]);
  });

  test('refused in a repository without CODEOWNERS: the rule would ask for no review', () => {
    const { root, manifest } = manifestFromRepository(['CODEOWNERS.md', 'src/CODEOWNERS']);
    const problems = problemsOf({ requireCodeOwnerReview: true, manifest });
    expect(problems).toEqual([expect.stringMatching(/^\[repo\/settings\] requireCodeOwnerReview is on, but the repository /)]);
    expect(problems[0]).toContain(root);
    expect(problems[0]).toContain('.github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS');
    expect(problems[0]).toMatch(/write one with CodeOwners in \.projenrc\.ts and run "npx projen", or leave requireCodeOwnerReview off$/);
    // without the option, the same repository is fine
    expect(problemsOf({ manifest })).toEqual([]);
  });
});

describe('restrictWorkflowChanges', () => {
  const org = { restrictWorkflowChanges: true, ownerType: GithubOwnerType.ORGANIZATION };

  test('no push ruleset by default', () => {
    const json = synthJson({ ownerType: GithubOwnerType.ORGANIZATION });
    expect(resources(json, 'github_repository_ruleset').filter(r => r.target === 'push')).toEqual([]);
    expect(settingsStack().settings.workflowPushRuleset).toBeUndefined();
  });

  test('a push ruleset refuses workflow changes, admins bypass, no ref conditions', () => {
    const out = synth(org);
    expect(out).toHaveResourceWithProperties(RepositoryRuleset, {
      name: 'dockyard-workflow-files',
      repository: 'app',
      target: 'push',
      enforcement: 'active',
      bypass_actors: [{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }],
      rules: { file_path_restriction: { restricted_file_paths: ['.github/workflows/**'] } },
    });
    const [push] = resources(JSON.parse(out), 'github_repository_ruleset').filter(r => r.target === 'push');
    expect(push.conditions).toBeUndefined();
    // the branch ruleset is unchanged beside it
    expect(out).toHaveResourceWithProperties(RepositoryRuleset, { name: 'dockyard-pipeline-branches', target: 'branch' });
  });

  test('also beside classic branch protection (a push ruleset is always a ruleset)', () => {
    const json = synthJson({ ...org, ruleKind: BranchRuleKind.BRANCH_PROTECTION });
    expect(resources(json, 'github_repository_ruleset').map(r => r.target)).toEqual(['push']);
    expect(resources(json, 'github_branch_protection')).toHaveLength(2);
  });

  test('exposed as workflowPushRuleset', () => {
    expect(settingsStack(org).settings.workflowPushRuleset).toBeInstanceOf(RepositoryRuleset);
  });

  test('refused for a personal account: push rulesets need an organization on Team or Enterprise', () => {
    expect(problemsOf({ restrictWorkflowChanges: true })).toEqual([
      '[repo/settings] restrictWorkflowChanges needs a push ruleset, which GitHub offers only for private and internal repositories of '
      + 'organizations on GitHub Team or Enterprise, but ownerType says acme is a personal account: set ownerType: '
      + 'GithubOwnerType.ORGANIZATION if it is an organization, or leave restrictWorkflowChanges off',
    ]);
  });
});

test('every problem at once, with the others of the settings', () => {
  const { manifest } = manifestFromRepository([]);
  const problems = problemsOf({ requireCodeOwnerReview: true, restrictWorkflowChanges: true, requiredApprovals: 11, manifest });
  expect(problems.map(p => /^\[repo\/settings\] (\w+)/.exec(p)?.[1])).toEqual(['requiredApprovals', 'requireCodeOwnerReview', 'restrictWorkflowChanges']);
});

test('the strictest profile synthesizes: 2 approvals, code owners, stale reviews dismissed, no bypass', () => {
  const { manifest } = manifestFromRepository(['.github/CODEOWNERS']);
  const json = JSON.parse(Testing.synth(settingsStack({ manifest, requiredApprovals: 2, requireCodeOwnerReview: true }), true));
  const [branch] = resources(json, 'github_repository_ruleset');
  expect(branch.bypass_actors).toBeUndefined();
  expect(branch.rules).toEqual(expect.objectContaining({
    deletion: true,
    non_fast_forward: true,
    pull_request: {
      required_approving_review_count: 2, dismiss_stale_reviews_on_push: true, require_last_push_approval: true, require_code_owner_review: true,
    },
    required_status_checks: { strict_required_status_checks_policy: true, required_check: [{ context: 'container-build', integration_id: 15368 }] },
  }));
});
