/**
 * GithubRepositorySettingsStack's default backend: local state beside the cdktf app, written as a path
 * relative to the stack's working directory, so the synthesized JSON is the same on every machine; any
 * backend the user adds wins.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { App, LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { defaultManifest, realApp } from './support';
import { GithubRepositorySettingsStack } from '../../src';

/** Synthesizes a settings stack named `id` (after `customize`) with a real App, and returns its cdk.tf.json. */
function synthesized(app: App, outdir: string, id = 'repository-settings', customize?: (stack: TerraformStack) => void): any {
  const stack = new GithubRepositorySettingsStack(app, id, { owner: 'acme', repository: 'app', manifest: defaultManifest() });
  customize?.(stack);
  app.synth();
  return JSON.parse(readFileSync(join(outdir, 'stacks', id, 'cdk.tf.json'), 'utf-8'));
}

/** A real App whose working directory (the cdktf app's directory) is `appDir` and whose outdir is `appDir/<outdir>`. */
function appIn(outdir: string): { app: App; appDir: string; outdir: string } {
  const appDir = mkdtempSync(join(tmpdir(), 'dockyard-app-'));
  const full = join(appDir, outdir);
  mkdirSync(full, { recursive: true });
  jest.spyOn(process, 'cwd').mockReturnValue(appDir);
  return { app: new App({ outdir: full }), appDir, outdir: full };
}

afterEach(() => jest.restoreAllMocks());

describe('the default backend', () => {
  test('cdktf.out in the app directory: ../../../terraform.<stack>.tfstate, i.e. beside cdktf.json', () => {
    const { app, appDir, outdir } = appIn('cdktf.out');
    const json = synthesized(app, outdir);
    const path = json.terraform.backend.local.path;
    expect(path).toBe('../../../terraform.repository-settings.tfstate');
    // Terraform resolves it against the stack's working directory, where cdktf runs it
    expect(resolve(outdir, 'stacks', 'repository-settings', path)).toBe(join(appDir, 'terraform.repository-settings.tfstate'));
    expect(json['//'].metadata.backend).toBe('local');
  });

  test('an outdir deeper in the app directory is followed', () => {
    const { app, outdir } = appIn(join('build', 'tf'));
    expect(synthesized(app, outdir, 'repo').terraform.backend.local.path).toBe('../../../../terraform.repo.tfstate');
  });

  test('an outdir outside the app directory (cdktf synth --output /elsewhere) gets the default form, never an absolute path', () => {
    const { app, outdir } = realApp();
    expect(synthesized(app, outdir, 'repo').terraform.backend.local.path).toBe('../../../terraform.repo.tfstate');
  });

  test('the same on two machines (two different directories)', () => {
    const first = appIn('cdktf.out');
    const a = JSON.stringify(synthesized(first.app, first.outdir));
    jest.restoreAllMocks();
    const second = appIn('cdktf.out');
    const b = JSON.stringify(synthesized(second.app, second.outdir));
    expect(a).toBe(b);
    for (const dir of [first.appDir, second.appDir, tmpdir(), process.cwd()]) expect(a).not.toContain(dir);
  });
});

describe('a backend the user adds wins', () => {
  test('S3Backend', () => {
    const { app, outdir } = realApp();
    const json = synthesized(app, outdir, 'repo', stack => new S3Backend(stack, { bucket: 'acme-state', key: 'github/app.tfstate', region: 'eu-west-1' }));
    expect(json.terraform.backend).toEqual({ s3: { bucket: 'acme-state', key: 'github/app.tfstate', region: 'eu-west-1' } });
  });

  test('a LocalBackend with its own path', () => {
    const { app, outdir } = realApp();
    const json = synthesized(app, outdir, 'repo', stack => new LocalBackend(stack, { path: '../../../state/app.tfstate' }));
    expect(json.terraform.backend).toEqual({ local: { path: '../../../state/app.tfstate' } });
  });

  test('ensureBackendExists returns the user\'s backend and adds none', () => {
    const { app } = realApp();
    const stack = new GithubRepositorySettingsStack(app, 'repo', { owner: 'acme', repository: 'app', manifest: defaultManifest() });
    const s3 = new S3Backend(stack, { bucket: 'b', key: 'k', region: 'eu-west-1' });
    expect(stack.ensureBackendExists()).toBe(s3);
    expect(stack.ensureBackendExists()).toBe(s3);
  });
});
