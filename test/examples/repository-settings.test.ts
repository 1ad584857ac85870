/**
 * Each example's cdktf app (examples/<name>/infra) synthesized with the real cdktf CLI (0.21,
 * offline with CHECKPOINT_DISABLE=1): the committed cdk.tf.json must equal what `cdktf synth`
 * produces now, and no token may reach it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STACK_JSON = join('stacks', 'repository-settings', 'cdk.tf.json');
const SENTINEL = 'ghp_SENTINEL_TOKEN_must_never_be_synthesized_0123456789';

describe.each(['django-app', 'monorepo'])('examples/%s/infra (cdktf synth)', name => {
  const INFRA = join(__dirname, '..', '..', 'examples', name, 'infra');
  let out: string;
  let synthesized: string;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'dockyard-cdktf-'));
    const r = spawnSync('npx', ['cdktf', 'synth', '--output', out], {
      cwd: INFRA,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: 'true', GITHUB_TOKEN: SENTINEL, GH_TOKEN: SENTINEL },
      encoding: 'utf8',
      timeout: 240_000,
    });
    if (r.status !== 0) {
      throw new Error(`cdktf synth failed (is lib/ built? run "npx projen compile"):\n${r.stdout}\n${r.stderr}`);
    }
    synthesized = readFileSync(join(out, STACK_JSON), 'utf8');
  });

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('the committed cdk.tf.json equals what cdktf synth produces now (run "npm run example" to refresh)', () => {
    const committed = readFileSync(join(INFRA, 'cdktf.out', STACK_JSON), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(synthesized));
  });

  test('main.ts type-checks against the built library (cdktf.json runs it with --transpile-only)', () => {
    const r = spawnSync('npx', ['tsc', '--noEmit', '-p', join(INFRA, 'tsconfig.json')], { encoding: 'utf8', timeout: 120_000 });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  test('the committed cdk.tf.json is the same on every machine: relative state path beside the app, no absolute path', () => {
    const committed = readFileSync(join(INFRA, 'cdktf.out', STACK_JSON), 'utf8');
    expect(JSON.parse(committed).terraform.backend).toEqual({ local: { path: '../../../terraform.repository-settings.tfstate' } });
    for (const text of [committed, synthesized]) {
      expect(text).not.toContain(join(__dirname, '..', '..'));
      expect(text).not.toContain(out);
      expect(text).not.toMatch(/"(\/[^/"]|[A-Za-z]:\\)/);
    }
  });

  test('no token reaches the synthesized configuration', () => {
    expect(synthesized).not.toContain(SENTINEL);
    const provider = JSON.parse(synthesized).provider.github;
    expect(provider).toEqual([{ owner: 'acme' }]);
  });

  test('requires the checks and environments of the generated workflow', () => {
    const manifest = JSON.parse(readFileSync(join(INFRA, '..', '.github', 'dockyard-pipeline.json'), 'utf8'));
    const tf = JSON.parse(synthesized);
    const rulesets = Object.values(tf.resource.github_repository_ruleset) as any[];
    const branchRules = rulesets.find(r => r.target === 'branch');
    const checks = branchRules.rules.required_status_checks.required_check.map((c: any) => c.context).sort();
    expect(checks).toEqual([...manifest.requiredChecks].sort());
    const environments = Object.values(tf.resource.github_repository_environment).map((e: any) => e.environment).sort();
    expect(environments).toEqual([...new Set(manifest.deployments.map((d: any) => d.environment))].sort());
  });
});
