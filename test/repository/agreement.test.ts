import { Testing } from 'cdktf';
import * as fc from 'fast-check';
import { expectAgreement, githubOwned, githubPatternMatches } from './agreement-support';
import { resources, defaultImage } from './support';
import type { PipelineManifest } from '../../src';
import { BranchRuleKind, GithubRepositorySettingsStack } from '../../src';

/**
 * Agreement between the pipeline manifest and the synthesized settings, over
 * many generated manifests: the settings must be derived from the manifest,
 * never typed twice.
 */

const hex40 = fc.stringMatching(/^[0-9a-f]{40}$/);
const branchName = fc.constantFrom('main', 'develop', 'release', 'staging-branch', 'hotfix/urgent', 'v2', 'trunk');
const environmentName = fc.constantFrom('production', 'staging', 'preview', 'qa', 'prod-eu');
const checkName = fc.constantFrom('container-build', 'synth-drift', 'build', 'image (linux/amd64)', 'Lint & test');
const actionName = fc.constantFrom(
  'actions/checkout', 'actions/setup-node', 'actions/attest-build-provenance', 'github/codeql-action/init',
  'docker/setup-buildx-action', 'docker/setup-qemu-action', 'docker/login-action', 'docker/metadata-action',
  'docker/build-push-action', 'amannn/action-semantic-pull-request', 'peter-evans/create-pull-request',
  'anchore/sbom-action/download-syft',
);
const workflowFile = fc.constantFrom('.github/workflows/ghcr-publish.yml', '.github/workflows/build.yml', '.github/workflows/upgrade-main.yml');

const manifestArb: fc.Arbitrary<PipelineManifest> = fc.record({
  deployments: fc.uniqueArray(
    fc.record({ branch: branchName, environment: environmentName }),
    { minLength: 1, maxLength: 4, selector: d => d.branch },
  ),
  tagEnvironment: fc.option(environmentName, { nil: undefined }),
  tagPattern: fc.option(fc.constantFrom('v*.*.*', 'release-*'), { nil: undefined }),
  requiredChecks: fc.uniqueArray(checkName, { minLength: 1, maxLength: 3 }),
  actions: fc.uniqueArray(
    fc.record({ action: actionName, ref: hex40, workflows: fc.uniqueArray(workflowFile, { minLength: 1, maxLength: 3 }) }),
    { maxLength: 9, selector: a => a.action },
  ),
}).map(partial => ({
  schemaVersion: 2,
  registry: 'ghcr.io',
  images: [defaultImage('acme/app')],
  shaPinned: true,
  workflows: [...new Set(partial.actions.flatMap(a => a.workflows))],
  ...partial,
}));

function synthesize(manifest: PipelineManifest, ruleKind: BranchRuleKind, pinAllowedActions = false): any {
  const stack = new GithubRepositorySettingsStack(Testing.app(), 'repo', {
    owner: 'acme', repository: 'app', manifest, ruleKind, pinAllowedActions,
  });
  return JSON.parse(Testing.synth(stack, true));
}

describe('settings agree with the manifest', () => {
  test.each([BranchRuleKind.RULESET, BranchRuleKind.BRANCH_PROTECTION])('over generated manifests (%s)', ruleKind => {
    fc.assert(fc.property(manifestArb, manifest => {
      expectAgreement(synthesize(manifest, ruleKind), manifest, ruleKind);
    }), { numRuns: 40 });
  });

  test('pinned patterns admit exactly the pinned commits', () => {
    fc.assert(fc.property(manifestArb, manifest => {
      const json = synthesize(manifest, BranchRuleKind.RULESET, true);
      const [perms] = resources(json, 'github_actions_repository_permissions');
      const patterns: string[] = perms.allowed_actions_config.patterns_allowed;
      for (const a of manifest.actions.filter(x => !githubOwned(x.action))) {
        expect(patterns.some(p => githubPatternMatches(p, `${a.action}@${a.ref}`))).toBe(true);
        // Another commit of the same action is not admitted.
        const other = a.ref.replace(/^./, c => (c === '0' ? '1' : '0'));
        expect(patterns.some(p => githubPatternMatches(p, `${a.action}@${other}`))).toBe(false);
      }
    }), { numRuns: 20 });
  });

  test('the pattern model itself: a wildcard pattern admits its action only', () => {
    expect(githubPatternMatches('docker/login-action@*', `docker/login-action@${'a'.repeat(40)}`)).toBe(true);
    expect(githubPatternMatches('docker/login-action@*', `docker/login-action-evil@${'a'.repeat(40)}`)).toBe(false);
    expect(githubPatternMatches('docker/login-action@*', `docker/build-push-action@${'a'.repeat(40)}`)).toBe(false);
    expect(githubPatternMatches('anchore/sbom-action/download-syft@*', 'anchore/sbom-action/download-syft@v0')).toBe(true);
    expect(githubPatternMatches('anchore/sbom-action/download-syft@*', 'anchore/sbom-action@v0')).toBe(false);
  });
});
