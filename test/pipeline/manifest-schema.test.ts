/**
 * The manifest's JSON Schema is generated from the one PipelineManifest type (jsii's .jsii, written by the
 * compile the test task runs first), never copied by hand: regenerating it must give the committed file.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MANIFEST_SCHEMA } from '../../src/pipeline/manifest-schema';

const ROOT = join(__dirname, '..', '..');

test('src/pipeline/manifest-schema.ts is what scripts/manifest-schema.js generates from the type', () => {
  const r = spawnSync(process.execPath, ['scripts/manifest-schema.js', '--check'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

test('the schema lists every field of the type, required ones as required', () => {
  expect(Object.keys(MANIFEST_SCHEMA.properties ?? {})).toEqual([
    'schemaVersion', 'registry', 'images', 'deployments', 'tagEnvironment', 'tagPattern', 'mergeQueue',
    'requiredChecks', 'actions', 'shaPinned', 'workflows',
  ]);
  expect(MANIFEST_SCHEMA.required).toEqual(['schemaVersion', 'registry', 'images', 'deployments', 'requiredChecks', 'actions', 'shaPinned', 'workflows']);
  expect(Object.keys(MANIFEST_SCHEMA.$defs ?? {})).toEqual(['ActionUse', 'BranchDeployment', 'ManifestImage', 'PipelineDockerfile']);
});
