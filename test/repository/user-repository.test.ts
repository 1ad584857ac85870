/**
 * The cdktf app where users put it: the README's main.ts in infra/ of a repository (a temporary one, with
 * .git, the pipeline manifest at .github/dockyard-pipeline.json and the app's files scaffolded by
 * RepositorySettingsApp), synthesized by the real cdktf CLI (0.21, offline with CHECKPOINT_DISABLE=1)
 * against the built library (`npx projen compile` first). The synthesized JSON must name no directory of
 * the machine, so the committed cdktf.out is the same everywhere and the synth-drift job passes.
 */
import { execFile, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { homedir, tmpdir } from 'os';
import { join, resolve } from 'path';
import { promisify } from 'util';
import { Project } from 'projen';
import { defaultManifest } from './support';
import { RepositorySettingsApp } from '../../src/projen/settings-app';

const ROOT = join(__dirname, '..', '..');
const STACK = join('cdktf.out', 'stacks', 'repository-settings');
const SENTINEL = 'ghp_SENTINEL_TOKEN_must_never_be_synthesized_0123456789';

/** The README's main.ts ("Repository settings (cdktf)"), unchanged. */
const README_MAIN = `// main.ts of a cdktf app (cdktf.json next to it)
import { App } from 'cdktf';
import { EnvironmentReviewer, GithubRepositorySettingsStack, PipelineManifestFile } from 'cdk-dockyard';

const app = new App();
new GithubRepositorySettingsStack(app, 'repository-settings', {
  owner: 'acme',
  repository: 'app',
  manifest: PipelineManifestFile.read(), // .github/dockyard-pipeline.json, written by \`npx projen\`
  environments: [
    { name: 'production', reviewers: [EnvironmentReviewer.user(583231)] }, // gh api users/<login> --jq .id
    { name: 'staging' },
  ],
});
app.synth();
`;

const roots: string[] = [];

/**
 * A user's repository in a fresh temporary directory: `git init`, node_modules resolving to this checkout's
 * (cdk-dockyard itself to the checkout, through its package exports), the app scaffolded in infra/ by a projen
 * project, the manifest at the root (unless `manifest` is false), and `main` as infra/main.ts (unless undefined).
 */
function userRepository(prefix: string, main: string | undefined, manifest = true): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  roots.push(root);
  spawnSync('git', ['init', '-q'], { cwd: root });
  mkdirSync(join(root, 'node_modules'));
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    symlinkSync(join(ROOT, 'node_modules', entry), join(root, 'node_modules', entry));
  }
  symlinkSync(ROOT, join(root, 'node_modules', 'cdk-dockyard'));
  const project = new Project({ name: 'user-app', outdir: root });
  new RepositorySettingsApp(project, { owner: 'acme', repository: 'app' });
  project.synth();
  if (manifest) {
    mkdirSync(join(root, '.github'), { recursive: true });
    writeFileSync(join(root, '.github', 'dockyard-pipeline.json'), JSON.stringify(defaultManifest({ tagEnvironment: 'production' }), undefined, 2));
  }
  if (main !== undefined) writeFileSync(join(root, 'infra', 'main.ts'), main);
  return root;
}

const run = promisify(execFile);
const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', CI: 'true', GITHUB_TOKEN: SENTINEL, GH_TOKEN: SENTINEL };

/** `npx cdktf synth` in the repository's infra/; the output of a failure is in the error. */
async function cdktfSynth(root: string): Promise<{ stdout: string; stderr: string }> {
  return run('npx', ['cdktf', 'synth'], { cwd: join(root, 'infra'), env: ENV, timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
}

/** Every string of a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('the README\'s main.ts in infra/ of a repository', () => {
  let first: string;
  let second: string;
  let starter: string;

  beforeAll(async () => {
    first = userRepository('dockyard-user-', README_MAIN);
    second = userRepository('dockyard-another-user-with-a-longer-path-', README_MAIN);
    starter = userRepository('dockyard-starter-', undefined);
    const failures: string[] = [];
    await Promise.all([first, second, starter].map(root => cdktfSynth(root).catch(e => {
      failures.push(`${root}:\n${e.stdout}\n${e.stderr}`);
    })));
    if (failures.length > 0) throw new Error(`cdktf synth failed (is lib/ built? run "npx projen compile"):\n${failures.join('\n')}`);
  });

  const stackJson = (root: string) => readFileSync(join(root, 'infra', STACK, 'cdk.tf.json'), 'utf-8');

  test('synthesizes, reading the manifest at the repository root', () => {
    const tf = JSON.parse(stackJson(first));
    const rulesets = Object.values<any>(tf.resource.github_repository_ruleset);
    expect(rulesets.map(r => r.name).sort()).toEqual(['dockyard-pipeline-branches', 'dockyard-release-tags']);
    expect(Object.values<any>(tf.resource.github_repository_environment).map(e => e.environment).sort()).toEqual(['production', 'staging']);
    expect(tf.provider.github).toEqual([{ owner: 'acme' }]);
    expect(stackJson(first)).not.toContain(SENTINEL);
  });

  test('the synthesized files name no directory of this machine', () => {
    const machine = [first, realpathSync(first), ROOT, realpathSync(ROOT), tmpdir(), homedir()];
    for (const file of [join(STACK, 'cdk.tf.json'), join('cdktf.out', 'manifest.json')]) {
      const text = readFileSync(join(first, 'infra', file), 'utf-8');
      for (const dir of machine) expect(text).not.toContain(dir);
      // an absolute path: "/x..." (not cdktf's "//" metadata key) or "C:\\..."
      const absolute = strings(JSON.parse(text)).filter(s => /^\/[^/]/.test(s) || /^[A-Za-z]:[\\/]/.test(s));
      expect(absolute).toEqual([]);
    }
  });

  test('the same JSON from another place on disk', () => {
    expect(stackJson(second)).toBe(stackJson(first));
    expect(readFileSync(join(second, 'infra', 'cdktf.out', 'manifest.json'), 'utf-8'))
      .toBe(readFileSync(join(first, 'infra', 'cdktf.out', 'manifest.json'), 'utf-8'));
  });

  test('the state goes beside cdktf.json, outside the committed cdktf.out, and git ignores it', () => {
    const path = JSON.parse(stackJson(first)).terraform.backend.local.path;
    expect(path).toBe('../../../terraform.repository-settings.tfstate');
    // Terraform resolves it in the stack's working directory, where cdktf runs it
    expect(resolve(first, 'infra', STACK, path)).toBe(join(first, 'infra', 'terraform.repository-settings.tfstate'));
    const ignored = (file: string) => spawnSync('git', ['check-ignore', '-q', file], { cwd: first }).status === 0;
    expect(ignored('infra/terraform.repository-settings.tfstate')).toBe(true);
    expect(ignored('infra/terraform.repository-settings.tfstate.backup')).toBe(true);
    expect(ignored('infra/.terraform/providers')).toBe(true);
    expect(ignored(`infra/${STACK}/.terraform/terraform.tfstate`)).toBe(true);
    expect(ignored(`infra/${STACK}/plan`)).toBe(true);
    expect(ignored('infra/.gen/providers/github/index.ts')).toBe(true);
    // what the drift job compares is committed
    expect(ignored(`infra/${STACK}/cdk.tf.json`)).toBe(false);
    expect(ignored('infra/cdktf.out/manifest.json')).toBe(false);
    expect(ignored(`infra/${STACK}/.terraform.lock.hcl`)).toBe(false);
    expect(ignored('infra/main.ts')).toBe(false);
  });

  test('the scaffolded starter main.ts synthesizes too', () => {
    const tf = JSON.parse(stackJson(starter));
    expect(tf.terraform.backend.local.path).toBe('../../../terraform.repository-settings.tfstate');
    expect(Object.values<any>(tf.resource.github_repository_environment).map(e => e.environment).sort()).toEqual(['production', 'staging']);
    expect(stackJson(starter)).not.toContain(starter);
  });
});

describe('without a manifest', () => {
  test('the app fails once, naming every place looked and the fix', () => {
    const root = userRepository('dockyard-no-manifest-', README_MAIN, false);
    const r = spawnSync('npx', ['ts-node', '--transpile-only', '--project', 'tsconfig.json', 'main.ts'], {
      cwd: join(root, 'infra'), env: ENV, encoding: 'utf8', timeout: 120_000,
    });
    expect(r.status).not.toBe(0);
    const real = realpathSync(root);
    const looked = `looked for ${join(real, 'infra', '.github', 'dockyard-pipeline.json')}, ${join(real, '.github', 'dockyard-pipeline.json')} `;
    expect(r.stderr.split(looked).length - 1).toBe(1);
    expect(r.stderr).toContain(`up to the repository root ${real}, which holds .git`);
    expect(r.stderr.split('no pipeline manifest found').length - 1).toBe(1);
    expect(r.stderr).toMatch(/run "npx projen" in the repository root/);
  });
});
