/**
 * RepositorySettingsApp: scaffolds the cdktf app of the repository settings (files written only when
 * absent), the dev dependencies of a Node project, git ignore entries and the settings:* tasks; it never
 * loads cdktf.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { javascript, Project, Testing, typescript } from 'projen';
import { RepositorySettingsApp } from '../../src/projen/settings-app';
import { synthFailure } from '../support/synth';

const ROOT = join(__dirname, '..', '..');
const PEERS = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf-8')).peerDependencies;

function outdir(): string {
  return mkdtempSync(join(tmpdir(), 'dockyard-settings-app-'));
}

describe('a plain project', () => {
  const project = new Project({ name: 'app', outdir: outdir() });
  const settings = new RepositorySettingsApp(project, { owner: 'acme', repository: 'app' });
  const files = Testing.synth(project);

  test('writes cdktf.json, tsconfig.json and a starter main.ts in infra/', () => {
    expect(settings.directory).toBe('infra');
    expect(files['infra/cdktf.json']).toEqual({
      language: 'typescript',
      app: 'npx ts-node --transpile-only --project tsconfig.json main.ts',
      projectId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      sendCrashReports: 'false',
      terraformProviders: [],
      terraformModules: [],
      context: {},
    });
    expect(files['infra/tsconfig.json'].compilerOptions).toEqual(expect.objectContaining({ module: 'node16', strict: true }));
    expect(files['infra/tsconfig.json'].exclude).toEqual(['cdktf.out', '.gen', 'node_modules']);
    const main: string = files['infra/main.ts'];
    expect(main).toContain("new GithubRepositorySettingsStack(app, 'repository-settings', {\n  owner: 'acme',\n  repository: 'app',\n  manifest: PipelineManifestFile.read(),\n});");
    expect(main).toContain("import { GithubRepositorySettingsStack, PipelineManifestFile } from 'cdk-dockyard';");
  });

  test('the starter files are not generated files: they are yours to edit', () => {
    const generated: string[] = files['.projen/files.json'].files;
    expect(generated.filter(f => f.startsWith('infra/'))).toEqual([]);
  });

  test('ignores Terraform\'s working files, never cdktf.out itself', () => {
    const ignore: string[] = files['.gitignore'].split('\n');
    expect(ignore).toEqual(expect.arrayContaining([
      '/infra/**/.terraform/',
      '/infra/**/*.tfstate*',
      '/infra/.gen/',
      '/infra/cdktf.out/stacks/*/plan',
      '/infra/cdktf.out/stacks/*/generated_resources.tf',
    ]));
    expect(ignore.filter(l => l.includes('cdktf.out') && !l.includes('stacks/*/'))).toEqual([]);
  });

  test('tasks settings:synth, settings:diff and settings:deploy run cdktf in the app directory without telemetry', () => {
    const tasks = files['.projen/tasks.json'].tasks;
    for (const [name, command] of [['settings:synth', 'synth'], ['settings:diff', 'diff'], ['settings:deploy', 'deploy']]) {
      expect(tasks[name]).toEqual(expect.objectContaining({
        name,
        cwd: 'infra',
        env: { CHECKPOINT_DISABLE: '1' },
        steps: [{ exec: `npx cdktf ${command}` }],
      }));
    }
    expect(settings.synthTask.name).toBe('settings:synth');
    expect(settings.diffTask.name).toBe('settings:diff');
    expect(settings.deployTask.name).toBe('settings:deploy');
  });

  test('a plain project has no dependencies to add', () => {
    expect(files['.projen/deps.json']).toBeUndefined();
  });
});

describe('a Node project', () => {
  test('adds what the app and the drift job need, at cdk-dockyard\'s versions', () => {
    const project = new javascript.NodeProject({ name: 'app', defaultReleaseBranch: 'main', outdir: outdir() });
    new RepositorySettingsApp(project, { owner: 'acme', repository: 'app', directory: 'deploy/settings' });
    const files = Testing.synth(project);
    const dev = files['package.json'].devDependencies;
    expect(dev).toEqual(expect.objectContaining({
      'cdktf': PEERS.cdktf,
      'cdktf-cli': PEERS.cdktf,
      '@cdktf/provider-github': PEERS['@cdktf/provider-github'],
      'constructs': PEERS.constructs,
      'ts-node': '^10.9.2',
      'typescript': '~5.9.0', // ts-node 10 crashes on TypeScript 7 (npm's latest)
    }));
    expect(dev.cdktf).toBe('0.21.0');
    expect(files['.projen/tasks.json'].tasks['settings:synth'].cwd).toBe('deploy/settings');
    expect(files['deploy/settings/main.ts']).toContain('PipelineManifestFile.read()');
  });

  test('keeps the versions the project already has', () => {
    const project = new typescript.TypeScriptProject({
      name: 'app', defaultReleaseBranch: 'main', outdir: outdir(), devDeps: ['ts-node@^10.9.2', 'constructs@^10.5.1'],
    });
    new RepositorySettingsApp(project, { owner: 'acme', repository: 'app' });
    const dev = Testing.synth(project)['package.json'].devDependencies;
    expect(dev['ts-node']).toBe('^10.9.2');
    expect(dev.constructs).toBe('^10.5.1');
    expect(dev.typescript).toBeDefined();
  });

  test('addDependencies: false adds none', () => {
    const project = new javascript.NodeProject({ name: 'app', defaultReleaseBranch: 'main', outdir: outdir() });
    new RepositorySettingsApp(project, { owner: 'acme', repository: 'app', addDependencies: false });
    const dev = Testing.synth(project)['package.json'].devDependencies ?? {};
    expect(Object.keys(dev).filter(d => /cdktf|ts-node/.test(d))).toEqual([]);
  });
});

test('never overwrites the app\'s files', () => {
  const dir = outdir();
  mkdirSync(join(dir, 'infra'));
  writeFileSync(join(dir, 'infra', 'main.ts'), '// mine\n');
  writeFileSync(join(dir, 'infra', 'cdktf.json'), '{ "app": "mine" }\n');
  const project = new Project({ name: 'app', outdir: dir });
  new RepositorySettingsApp(project, { owner: 'acme', repository: 'app' });
  project.synth();
  expect(readFileSync(join(dir, 'infra', 'main.ts'), 'utf-8')).toBe('// mine\n');
  expect(readFileSync(join(dir, 'infra', 'cdktf.json'), 'utf-8')).toBe('{ "app": "mine" }\n');
  expect(existsSync(join(dir, 'infra', 'tsconfig.json'))).toBe(true);
});

test('bad input: every problem at once, and nothing is written', () => {
  const dir = outdir();
  const project = new Project({ name: 'app', outdir: dir });
  new RepositorySettingsApp(project, { owner: '-acme', repository: 'app.git', directory: '../infra' });
  const problems = synthFailure(project).problems.map(m => m.split(project.node.path).join('app'));
  expect(problems).toEqual([
    expect.stringMatching(/^\[app\/RepositorySettingsApp\] owner "-acme" is not a valid GitHub user or organization name/),
    expect.stringMatching(/^\[app\/RepositorySettingsApp\] repository "app\.git" is not a valid GitHub repository name/),
    '[app/RepositorySettingsApp] directory "../infra" leaves the project root with ".."; stay inside it',
  ]);
  expect(existsSync(join(dir, '.gitignore'))).toBe(false);
  expect(existsSync(join(dir, 'infra'))).toBe(false);
});

test.each([
  ['.', /directory "\." would put the cdktf app .* at the project root/],
  ['/srv/infra', /directory "\/srv\/infra" must be relative to the project root/],
])('directory %j is refused', (directory, rule) => {
  const project = new Project({ name: 'app', outdir: outdir() });
  new RepositorySettingsApp(project, { owner: 'acme', repository: 'app', directory });
  const problems = synthFailure(project).problems;
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(rule);
});

test('a .projenrc with RepositorySettingsApp and CodeOwners never loads cdktf (built library)', () => {
  const dir = outdir();
  const code = `
    const { Project } = require('projen');
    const { RepositorySettingsApp } = require(${JSON.stringify(join(ROOT, 'lib', 'projen', 'settings-app.js'))});
    const { CodeOwners } = require(${JSON.stringify(join(ROOT, 'lib', 'projen', 'code-owners.js'))});
    const project = new Project({ name: 'app', outdir: ${JSON.stringify(dir)} });
    new RepositorySettingsApp(project, { owner: 'acme', repository: 'app' });
    new CodeOwners(project, { rules: [{ pattern: '*', owners: ['@acme'] }] });
    project.synth();
    console.log(JSON.stringify(Object.keys(require.cache).filter(k => /node_modules\\/(cdktf|@cdktf\\/provider-github)\\//.test(k))));
  `;
  const r = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PROJEN_DISABLE_POST: 'true' } });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual([]);
  expect(existsSync(join(dir, 'infra', 'main.ts'))).toBe(true);
  expect(existsSync(join(dir, '.github', 'CODEOWNERS'))).toBe(true);
});
