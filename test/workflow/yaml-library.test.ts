import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import 'projen';
import * as ownYaml from 'yaml';
import { yamlLibrary } from '../../src/workflow/yaml-library';

const versionAt = (manifest: string) => (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;

test('the yaml copy projen has loaded is reused when it is the version cdk-dockyard bundles, never a different one', () => {
  const projenDir = dirname(require.resolve('projen/package.json'));
  const projensPath = require.resolve('yaml', { paths: [projenDir] });
  // two copies on disk (projen bundles its own), so reusing one saves loading the other
  expect(projensPath).not.toBe(require.resolve('yaml'));
  const projensVersion = versionAt(require.resolve('yaml/package.json', { paths: [projenDir] }));
  const ownVersion = versionAt(require.resolve('yaml/package.json'));
  const projensCopy = require.cache[projensPath];
  expect(projensCopy).toBeDefined(); // projen loads its copy when it is imported
  const expected = projensVersion === ownVersion ? projensCopy!.exports : ownYaml;
  expect(yamlLibrary()).toBe(expected);
  // either copy renders the same text as cdk-dockyard's own
  const doc = { on: { push: { branches: ['main'] } }, jobs: { b: { 'runs-on': 'ubuntu-latest', 'steps': [{ run: 'echo "a: b"\necho c' }] } } };
  expect(yamlLibrary().stringify(doc, { lineWidth: 0 })).toBe(ownYaml.stringify(doc, { lineWidth: 0 }));
});
