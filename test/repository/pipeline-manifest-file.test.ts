import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { defaultManifest } from './support';
import { PipelineManifestFile } from '../../src';
import { DockyardValidationError } from '../../src/core/problems';

function errorOf(fn: () => unknown): DockyardValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DockyardValidationError);
    return e as DockyardValidationError;
  }
  throw new Error('expected a DockyardValidationError');
}

describe('PipelineManifestFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockyard-manifest-'));

  test('the default path is where projen writes it', () => {
    expect(PipelineManifestFile.DEFAULT_PATH).toBe('.github/dockyard-pipeline.json');
  });

  test('reads a manifest file back unchanged', () => {
    const manifest = defaultManifest({ tagEnvironment: 'production' });
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify(manifest, undefined, 2));
    expect(PipelineManifestFile.read(path)).toEqual(manifest);
  });

  test('a missing file says how to create it', () => {
    const error = errorOf(() => PipelineManifestFile.read(join(dir, 'missing.json')));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/missing\.json\] cannot read the pipeline manifest \(ENOENT/);
    expect(error.problems[0]).toMatch(/run "npx projen"/);
  });

  test('text that is not JSON', () => {
    const error = errorOf(() => PipelineManifestFile.parse('{ "schemaVersion": 1,', 'x.json'));
    expect(error.problems).toEqual([expect.stringMatching(/^\[x\.json\] is not valid JSON/)]);
  });

  test('every shape problem at once', () => {
    const bad = {
      ...defaultManifest(),
      schemaVersion: 0,
      registry: 3,
      deployments: [{ branch: 'main' }],
      requiredChecks: ['ok', 1],
      actions: [{ action: 'docker/login-action', ref: 'x', workflows: 'build.yml' }],
      shaPinned: 'yes',
    };
    const error = errorOf(() => PipelineManifestFile.parse(JSON.stringify(bad), 'm.json'));
    expect(error.problems.map(p => /field "([^"]+)"/.exec(p)?.[1])).toEqual([
      'schemaVersion', 'registry', 'deployments', 'requiredChecks', 'actions', 'shaPinned',
    ]);
    expect(error.problems.every(p => p.startsWith('[m.json] ') && p.endsWith('run "npx projen" to rewrite the manifest'))).toBe(true);
  });

  test('a manifest from a newer version', () => {
    const error = errorOf(() => PipelineManifestFile.parse(JSON.stringify({ ...defaultManifest(), schemaVersion: 2 })));
    expect(error.problems).toEqual([expect.stringMatching(/schemaVersion 2 was written by a newer cdk-dockyard/)]);
  });

  test('not an object', () => {
    const error = errorOf(() => PipelineManifestFile.parse('[]'));
    expect(error.problems).toEqual(['[pipeline manifest] the manifest is not a JSON object: run "npx projen" to rewrite the manifest']);
  });
});
