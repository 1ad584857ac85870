import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Testing } from 'cdktf';
import {
  GithubRepositorySettingsStack, type GithubRepositorySettingsOptions, type ManifestImage, type PipelineManifest,
} from '../../src';

/** Fake but well-formed 40-hex commit SHAs. */
export const SHA = {
  checkout: '08c6903cd8c0fde910a37f88322edcfb5dd907a8',
  buildx: 'e468171a9de216ec08956ac3ada2f0791b6bd435',
  login: '5e57cd118135c172c3672efd75eb46360885c0ef',
  metadata: 'c1e51972afc2121e065aed6d45c65596fe445f3f',
  buildPush: '263435318d21b8e681c14492fe198d362a7d2c83',
  setupNode: '49933ea5288caeca8642d1e84afbd3f7d6820020',
  projenPr: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
};

/** One image of the default pipeline (a one-image workflow). */
export function defaultImage(imageName: string | undefined): ManifestImage {
  return { name: '', imageName, dockerfile: { path: 'Dockerfile', target: 'runtime', context: '.' }, platforms: [], workflow: '.github/workflows/ghcr-publish.yml' };
}

/**
 * The manifest of a default pipeline: main → production, develop → staging. `imageName` (a shortcut) sets the
 * one image's name; undefined means derived from the repository.
 */
export function defaultManifest(overrides: Partial<PipelineManifest> & { imageName?: string } = {}): PipelineManifest {
  const { imageName, ...rest } = overrides;
  return {
    schemaVersion: 2,
    registry: 'ghcr.io',
    images: [defaultImage('imageName' in overrides ? imageName : 'acme/app')],
    deployments: [
      { branch: 'main', environment: 'production' },
      { branch: 'develop', environment: 'staging' },
    ],
    requiredChecks: ['container-build'],
    actions: [
      { action: 'actions/checkout', ref: SHA.checkout, version: 'v5.0.0', workflows: ['.github/workflows/ghcr-publish.yml', '.github/workflows/build.yml'] },
      { action: 'docker/setup-buildx-action', ref: SHA.buildx, version: 'v3.11.1', workflows: ['.github/workflows/ghcr-publish.yml'] },
      { action: 'docker/login-action', ref: SHA.login, version: 'v3.5.0', workflows: ['.github/workflows/ghcr-publish.yml'] },
      { action: 'docker/metadata-action', ref: SHA.metadata, version: 'v5.8.0', workflows: ['.github/workflows/ghcr-publish.yml'] },
      { action: 'docker/build-push-action', ref: SHA.buildPush, version: 'v6.18.0', workflows: ['.github/workflows/ghcr-publish.yml'] },
      { action: 'actions/setup-node', ref: SHA.setupNode, version: 'v5.0.0', workflows: ['.github/workflows/build.yml'] },
      { action: 'amannn/action-semantic-pull-request', ref: SHA.projenPr, version: 'v6.1.1', workflows: ['.github/workflows/pull-request-lint.yml'] },
    ],
    shaPinned: true,
    workflows: ['.github/workflows/ghcr-publish.yml', '.github/workflows/build.yml', '.github/workflows/pull-request-lint.yml'],
    ...rest,
  };
}

/** A settings stack in a fresh test app. */
export function settingsStack(options: Partial<GithubRepositorySettingsOptions> = {}): GithubRepositorySettingsStack {
  const app = Testing.app();
  return new GithubRepositorySettingsStack(app, 'repo', {
    owner: 'acme',
    repository: 'app',
    manifest: defaultManifest(),
    ...options,
  });
}

/** The synthesized JSON (validations run) as text. */
export function synth(options: Partial<GithubRepositorySettingsOptions> = {}): string {
  return Testing.synth(settingsStack(options), true);
}

/** The synthesized JSON (validations run), parsed. */
export function synthJson(options: Partial<GithubRepositorySettingsOptions> = {}): any {
  return JSON.parse(synth(options));
}

/** The resources of one type of a synthesized stack, as a list. */
export function resources(json: any, type: string): any[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** A real cdktf App writing to a temporary outdir. */
export function realApp(): { app: App; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'dockyard-cdktf-'));
  return { app: new App({ outdir, skipValidation: false }), outdir };
}
