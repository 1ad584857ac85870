import { resources } from './support';
import type { ActionUse, PipelineManifest } from '../../src';
import { BranchRuleKind } from '../../src';

/** How GitHub matches an allowed-actions pattern against a `uses:` value: `*` is a wildcard, names are case-insensitive. */
export function githubPatternMatches(pattern: string, uses: string): boolean {
  const source = pattern.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'i').test(uses);
}

/** Whether `github_owned_allowed` covers a `uses:` (GitHub's own organizations). */
export function githubOwned(uses: string): boolean {
  return ['actions', 'github'].includes(uses.split('/')[0].toLowerCase());
}

/** The `uses:` values of a manifest. */
function usesOf(actions: ActionUse[]): string[] {
  return actions.map(a => `${a.action}@${a.ref}`);
}

/** Checks the agreement of one synthesized stack with its manifest. */
export function expectAgreement(json: any, manifest: PipelineManifest, ruleKind: BranchRuleKind): void {
  // Required checks equal the manifest's check names, each bound to GitHub Actions with rulesets.
  if (ruleKind === BranchRuleKind.RULESET) {
    const [ruleset] = resources(json, 'github_repository_ruleset').filter(r => r.target === 'branch');
    const checks = ruleset.rules.required_status_checks.required_check;
    expect(checks.map((c: any) => c.context)).toEqual(manifest.requiredChecks);
    expect(new Set(checks.map((c: any) => c.integration_id))).toEqual(new Set([15368]));
    // each branch once (a repository-wide manifest may map one branch to the environments of several workflows)
    expect(ruleset.conditions.ref_name.include).toEqual([...new Set(manifest.deployments.map(d => `refs/heads/${d.branch}`))]);
  } else {
    const protections = resources(json, 'github_branch_protection');
    expect(protections.map(p => p.pattern)).toEqual([...new Set(manifest.deployments.map(d => d.branch))]);
    for (const p of protections) {
      expect(p.required_status_checks[0].contexts).toEqual(manifest.requiredChecks);
    }
  }

  // Allowed actions cover every `uses:` and nothing more.
  const [perms] = resources(json, 'github_actions_repository_permissions');
  expect(perms.allowed_actions).toBe('selected');
  expect(perms.allowed_actions_config.github_owned_allowed).toBe(true);
  expect(perms.allowed_actions_config.verified_allowed).toBe(false);
  const patterns: string[] = perms.allowed_actions_config.patterns_allowed;
  const uses = usesOf(manifest.actions);
  for (const u of uses) {
    const allowed = githubOwned(u) || patterns.some(p => githubPatternMatches(p, u));
    expect({ uses: u, allowed }).toEqual({ uses: u, allowed: true });
  }
  for (const p of patterns) {
    const matched = uses.filter(u => !githubOwned(u) && githubPatternMatches(p, u));
    expect({ pattern: p, matchesAThirdPartyUse: matched.length > 0 }).toEqual({ pattern: p, matchesAThirdPartyUse: true });
    // Each pattern admits one action only, never a whole owner.
    expect(new Set(matched.map(u => u.split('@')[0])).size).toBe(1);
  }
  expect(patterns.filter(p => githubOwned(p))).toEqual([]);

  // Environment policies equal the deployments map (plus semver tags to the tag environment).
  const envResources = json.resource.github_repository_environment ?? {};
  const envNameOf = (ref: string) => envResources[/^\$\{github_repository_environment\.([^.]+)\.environment\}$/.exec(ref)![1]].environment;
  const policies = resources(json, 'github_repository_environment_deployment_policy');
  const branchPairs = policies.filter(p => p.branch_pattern !== undefined).map(p => `${envNameOf(p.environment)} <- ${p.branch_pattern}`);
  expect(branchPairs.sort()).toEqual(manifest.deployments.map(d => `${d.environment} <- ${d.branch}`).sort());
  const tagPairs = policies.filter(p => p.tag_pattern !== undefined).map(p => `${envNameOf(p.environment)} <- ${p.tag_pattern}`);
  expect(tagPairs).toEqual(manifest.tagEnvironment === undefined ? [] : [`${manifest.tagEnvironment} <- ${manifest.tagPattern ?? 'v*.*.*'}`]);
  const tagRulesets = resources(json, 'github_repository_ruleset').filter(r => r.target === 'tag');
  expect(tagRulesets.map(r => r.conditions.ref_name.include)).toEqual(
    manifest.tagEnvironment === undefined ? [] : [[`refs/tags/${manifest.tagPattern ?? 'v*.*.*'}`]]);
  const expectedEnvs = new Set([...manifest.deployments.map(d => d.environment), ...(manifest.tagEnvironment ? [manifest.tagEnvironment] : [])]);
  expect(new Set(Object.values<any>(envResources).map(e => e.environment))).toEqual(expectedEnvs);
  for (const env of Object.values<any>(envResources)) {
    expect(env.deployment_branch_policy).toEqual({ protected_branches: false, custom_branch_policies: true });
  }
}

