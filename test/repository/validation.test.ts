import { existsSync } from 'fs';
import { join } from 'path';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import { SHA, defaultManifest, realApp } from './support';
import {
  PipelineManifest, BranchRuleKind, EnvironmentReviewer, GithubRepositorySettings, GithubRepositorySettingsStack,
  type GithubRepositorySettingsOptions,
} from '../../src';
import { collectProblems, DockyardValidationError, assertValid } from '../../src/core/problems';

/** The problems of a settings stack, each `[path] message`, as reported by validation. */
function problemsOf(options: Partial<GithubRepositorySettingsOptions>): string[] {
  const stack = new GithubRepositorySettingsStack(Testing.app(), 'repo', {
    owner: 'acme', repository: 'app', manifest: defaultManifest(), ...options,
  });
  return collectProblems(stack);
}

/** Asserts exactly one problem, on the settings construct, matching every pattern. */
function expectOneProblem(options: Partial<GithubRepositorySettingsOptions>, ...patterns: RegExp[]): string {
  const problems = problemsOf(options);
  expect(problems).toHaveLength(1);
  expect(problems[0].startsWith('[repo/settings] ')).toBe(true);
  for (const p of patterns) {
    expect(problems[0]).toMatch(p);
  }
  return problems[0];
}

describe('valid input has no problem', () => {
  test.each<[string, Partial<GithubRepositorySettingsOptions>]>([
    ['defaults', {}],
    ['mixed-case owner and repository, dots and underscores', { owner: 'Acme-Corp', repository: 'My_App.v2', manifest: defaultManifest({ imageName: 'acme-corp/app' }) }],
    ['branch protection with 6 approvals', { ruleKind: BranchRuleKind.BRANCH_PROTECTION, requiredApprovals: 6 }],
    ['ruleset with 10 approvals', { requiredApprovals: 10 }],
    ['globs in additional branches', { additionalProtectedBranches: ['release/*', 'hotfix/[0-9]*', 'v?'] }],
    ['six reviewers and the longest wait', {
      environments: [
        { name: 'production', reviewers: [1, 2, 3, 4, 5].map(EnvironmentReviewer.user).concat([EnvironmentReviewer.team(9)]), waitTimer: 43200 },
        { name: 'staging' },
      ],
    }],
  ])('%s', (_name, options) => {
    expect(problemsOf(options)).toEqual([]);
  });
});

describe('bad input: a clear error naming the construct and the fix', () => {
  test.each(['-acme', 'acme-', 'ac--me', 'acme corp', 'a'.repeat(40), '', 'acme/app', 'ac_me'])('invalid owner %j', owner => {
    // The provider takes the same owner; only the settings report the name.
    expectOneProblem({ owner, manifest: defaultManifest({ imageName: undefined }) }, /owner .* is not a valid GitHub user or organization name/, /1-39 letters, digits or single hyphens/);
  });

  test.each(['', '.', '..', 'app.git', 'my app', 'app/x', 'a'.repeat(101), 'app$'])('invalid repository %j', repository => {
    expectOneProblem({ repository }, /repository .* is not a valid GitHub repository name/, /1-100 letters, digits/);
  });

  test.each([
    ['feature..x', /"\.\."/],
    ['refs/heads/main', /short branch name \("main"\)/],
    ['-main', /cannot start with "-"/],
    ['main.lock', /\.lock/],
    ['rel ease', /whitespace/],
    ['a:b', /whitespace, a control character or one of/],
    ['release/', /empty path component/],
    ['.hidden', /starts with "\."/],
    ['x[abc', /unclosed "\["/],
    ['HEAD', /reserved by git/],
    ['main.', /ends with "\."/],
  ])('branch pattern GitHub rejects: %j', (branch, rule) => {
    const problem = expectOneProblem({ additionalProtectedBranches: [branch] }, /additionalProtectedBranches entry/, /is not a branch name or pattern GitHub accepts/);
    expect(problem).toMatch(rule);
  });

  test('a manifest deployment branch GitHub rejects', () => {
    expectOneProblem({
      manifest: defaultManifest({ deployments: [{ branch: 'main', environment: 'production' }, { branch: 'dev~1', environment: 'staging' }] }),
    }, /manifest deployment branch \(to environment "staging"\) "dev~1"/);
  });

  test('a manifest tag pattern GitHub rejects', () => {
    expectOneProblem({ manifest: defaultManifest({ tagEnvironment: 'production', tagPattern: 'refs/tags/v*' }) },
      /manifest tagPattern "refs\/tags\/v\*" is not a tag name or pattern GitHub accepts: give the short tag name \("v\*"\)/);
  });

  test.each([-1, 11, 1.5, Number.NaN])('ruleset approvals out of range: %p', requiredApprovals => {
    expectOneProblem({ requiredApprovals }, /requiredApprovals .* is out of range/, /from 0 to 10/, /solo maintainer/);
  });

  test('branch protection approvals above 6', () => {
    expectOneProblem({ ruleKind: BranchRuleKind.BRANCH_PROTECTION, requiredApprovals: 7 }, /branch protection accept a whole number from 0 to 6/);
  });

  test('a manifest deployment environment with no configured environment', () => {
    expectOneProblem({ environments: [{ name: 'production', reviewers: [EnvironmentReviewer.user(1)] }] },
      /deploy to environment "staging" \(from branch "develop"\) but environments does not configure it/,
      /add \{ name: 'staging' \}/);
  });

  test('the tag environment counts as a deployment environment', () => {
    expectOneProblem({
      manifest: defaultManifest({ tagEnvironment: 'release' }),
      environments: [{ name: 'production' }, { name: 'staging' }],
    }, /environment "release" \(from tags "v\*\.\*\.\*"\)/);
  });

  test('a configured environment no workflow deploys to', () => {
    expectOneProblem({ environments: [{ name: 'production' }, { name: 'staging' }, { name: 'prod' }] },
      /environment "prod" is configured but no generated workflow deploys to it \(they deploy to "production", "staging"\)/);
  });

  test('an environment configured twice', () => {
    expectOneProblem({ environments: [{ name: 'production' }, { name: 'staging' }, { name: 'Staging' }] }, /configured twice/);
  });

  test.each<[string, unknown]>([
    ['a login instead of an id', 'octocat'],
    ['zero', 0],
    ['negative', -5],
    ['fractional', 12.5],
  ])('reviewer that is not a user or team id: %s', (_name, id) => {
    expectOneProblem({
      environments: [{ name: 'production', reviewers: [EnvironmentReviewer.user(id as number)] }, { name: 'staging' }],
    }, /environment "production": reviewer .* is not a numeric user id/, /gh api users\/<login> --jq \.id/);
  });

  test('a team reviewer by slug', () => {
    expectOneProblem({
      environments: [{ name: 'production', reviewers: [EnvironmentReviewer.team('platform' as unknown as number)] }, { name: 'staging' }],
    }, /reviewer "platform" is not a numeric team id/, /gh api orgs\/<org>\/teams\/<team-slug> --jq \.id/);
  });

  test('a reviewer given as a bare number or name, not an EnvironmentReviewer', () => {
    expectOneProblem({
      environments: [{ name: 'production', reviewers: ['octocat' as unknown as EnvironmentReviewer] }, { name: 'staging' }],
    }, /reviewer "octocat" is not a user or team id: use EnvironmentReviewer\.user\(id\)/);
  });

  test('more than six reviewers', () => {
    expectOneProblem({
      environments: [{ name: 'production', reviewers: [1, 2, 3, 4, 5, 6, 7].map(EnvironmentReviewer.user) }, { name: 'staging' }],
    }, /has 7 reviewers; GitHub allows at most 6/);
  });

  test('a wait timer out of range', () => {
    expectOneProblem({ environments: [{ name: 'production', waitTimer: 43201 }, { name: 'staging' }] }, /waitTimer 43201 is out of range/);
  });

  test('a workflow action not pinned to a SHA when pinning is required', () => {
    const manifest = defaultManifest();
    const actions = manifest.actions.map(a => a.action === 'docker/login-action' ? { ...a, ref: 'v3' } : a);
    const problem = expectOneProblem({ manifest: { ...manifest, actions } },
      /action "docker\/login-action@v3" \(used by \.github\/workflows\/ghcr-publish\.yml\) is not pinned to a full 40-character commit SHA/,
      /requireShaPinning is on/, /set requireShaPinning: false/);
    expect(problem).toMatch(/npx projen/);
  });

  test('GitHub-owned actions must be pinned too (sha_pinning_required covers every action)', () => {
    const manifest = defaultManifest();
    const actions = manifest.actions.map(a => a.action === 'actions/checkout' ? { ...a, ref: SHA.checkout.slice(0, 7) } : a);
    expectOneProblem({ manifest: { ...manifest, actions } }, /action "actions\/checkout@08c6903" .* is not pinned/);
  });

  test('pinAllowedActions needs pinned refs even without required pinning', () => {
    const manifest = defaultManifest();
    const actions = manifest.actions.map(a => a.action === 'docker/login-action' ? { ...a, ref: 'v3' } : a);
    expectOneProblem({ manifest: { ...manifest, actions }, requireShaPinning: false, pinAllowedActions: true }, /pinAllowedActions is on/);
  });

  test('an image outside the owner\'s namespace', () => {
    expectOneProblem({ manifest: defaultManifest({ imageName: 'someone-else/app' }) }, /ghcr\.io\/someone-else\/app is not in the owner's namespace "acme"/);
  });

  test('a manifest without required checks', () => {
    expectOneProblem({ manifest: defaultManifest({ requiredChecks: [] }) }, /lists no required checks/);
  });

  test('a manifest without branches', () => {
    expectOneProblem({ manifest: defaultManifest({ deployments: [] }) }, /no branch would be protected/);
  });

  test('a malformed manifest is reported and nothing is built', () => {
    const manifest = { ...defaultManifest(), requiredChecks: 'container-build', schemaVersion: 3 } as unknown as PipelineManifest;
    const stack = new GithubRepositorySettingsStack(Testing.app(), 'repo', { owner: 'acme', repository: 'app', manifest });
    const problems = collectProblems(stack);
    expect(problems).toEqual([
      expect.stringMatching(/^\[repo\/settings\] manifest: schemaVersion 3 was written by a newer cdk-dockyard/),
      expect.stringMatching(/^\[repo\/settings\] manifest: field "requiredChecks" must be an array of strings/),
    ]);
    expect(stack.settings.node.children).toEqual([]);
  });

  test('a stack without a GitHub provider (reported by cdktf)', () => {
    const stack = new TerraformStack(Testing.app(), 'bare');
    new GithubRepositorySettings(stack, 'settings', { owner: 'acme', repository: 'app', manifest: defaultManifest() });
    // cdktf reports it; the settings add no duplicate.
    expect(collectProblems(stack)).toEqual([expect.stringMatching(/^\[bare\] Found resources without a matching provider construct.*github/)]);
  });

  test('a provider for another owner, or with no owner', () => {
    const other = new TerraformStack(Testing.app(), 'other');
    new GithubProvider(other, 'gh', { owner: 'someone' });
    new GithubRepositorySettings(other, 'settings', { owner: 'acme', repository: 'app', manifest: defaultManifest() });
    expect(collectProblems(other)).toEqual([expect.stringMatching(/provider's owner "someone" differs from owner "acme"/)]);

    const none = new TerraformStack(Testing.app(), 'none');
    new GithubProvider(none, 'gh', {});
    new GithubRepositorySettings(none, 'settings', { owner: 'acme', repository: 'app', manifest: defaultManifest() });
    expect(collectProblems(none)).toEqual([expect.stringMatching(/provider has no owner, so it would act on the token user's repositories/)]);
  });
});

describe('all problems at once, at synth time, nothing written', () => {
  const bad: Partial<GithubRepositorySettingsOptions> = {
    owner: '-bad-',
    repository: 'x.git',
    requiredApprovals: 11,
    additionalProtectedBranches: ['a..b'],
    environments: [{ name: 'production', reviewers: [EnvironmentReviewer.user(-1)] }],
    manifest: (() => {
      const m = defaultManifest({ imageName: undefined });
      return { ...m, actions: m.actions.map(a => ({ ...a, ref: 'main' })) };
    })(),
  };

  test('collectProblems lists every problem with the construct path', () => {
    const problems = problemsOf(bad);
    const expected = [
      /owner "-bad-"/,
      /repository "x\.git"/,
      /"a\.\.b"/,
      /requiredApprovals 11/,
      /reviewer -1 is not a numeric user id/,
      /environment "staging" .* environments does not configure it/,
      ...defaultManifest().actions.map(a => new RegExp(`action "${a.action}@main"`)),
    ];
    expect(problems).toHaveLength(expected.length);
    expected.forEach((re, i) => expect(problems[i]).toMatch(re));
    expect(problems.every(p => p.startsWith('[repo/settings] '))).toBe(true);
  });

  test('assertValid throws one DockyardValidationError listing them all', () => {
    const stack = new GithubRepositorySettingsStack(Testing.app(), 'repo', {
      owner: 'acme', repository: 'app', manifest: defaultManifest(), ...bad,
    });
    let error: unknown;
    try {
      assertValid(stack);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DockyardValidationError);
    expect((error as DockyardValidationError).problems).toEqual(collectProblems(stack));
    expect((error as Error).message).toMatch(/found 13 problem\(s\); nothing was written/);
  });

  test('Testing.synth with validations throws', () => {
    const stack = new GithubRepositorySettingsStack(Testing.app(), 'repo', {
      owner: 'acme', repository: 'app', manifest: defaultManifest(), ...bad,
    });
    expect(() => Testing.synth(stack, true)).toThrow(/\[repo\/settings\] owner "-bad-"[\s\S]*\[repo\/settings\] repository "x\.git"/);
  });

  test('a real app.synth() throws before writing the stack', () => {
    const { app, outdir } = realApp();
    new GithubRepositorySettingsStack(app, 'repo', { owner: 'acme', repository: 'app', manifest: defaultManifest(), ...bad });
    expect(() => app.synth()).toThrow(/\[repo\/settings\] requiredApprovals 11 is out of range/);
    expect(existsSync(join(outdir, 'stacks', 'repo', 'cdk.tf.json'))).toBe(false);
  });
});
