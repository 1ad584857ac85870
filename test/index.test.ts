/**
 * The package entry point (lib/index.js, as built by `npx projen compile`, which the test task runs
 * first) loads its submodules lazily (scripts/lazy-index.js). It must export exactly what the
 * TypeScript index exports, and importing it must not load cdktf or the GitHub provider.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as src from '../src';

const ROOT = join(__dirname, '..');

function inFreshNode(code: string): string {
  const r = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

describe('package entry point', () => {
  test('exports the same names as src/index.ts, each resolving to a defined value', () => {
    const built = JSON.parse(inFreshNode(
      "const l = require('cdk-dockyard'); console.log(JSON.stringify(Object.keys(l).filter(k => k !== '__esModule').map(k => [k, typeof l[k]])))",
    )) as Array<[string, string]>;
    const expected = Object.keys(src).filter(k => k !== '__esModule').sort();
    expect(built.map(([k]) => k).sort()).toEqual(expected);
    expect(built.filter(([, type]) => type === 'undefined')).toEqual([]);
  });

  test('importing the package loads neither cdktf, the GitHub provider nor the YAML library', () => {
    const loaded = JSON.parse(inFreshNode(
      "require('cdk-dockyard'); console.log(JSON.stringify(Object.keys(require.cache).filter(k => /node_modules\\/(cdktf|@cdktf\\/provider-github|yaml)\\//.test(k))))",
    ));
    expect(loaded).toEqual([]);
  });

  test('using a Dockerfile construct does not load cdktf either', () => {
    const loaded = JSON.parse(inFreshNode(
      "const { MultiStageDockerfile, PythonAppDockerfile } = require('cdk-dockyard'); void MultiStageDockerfile; void PythonAppDockerfile; console.log(JSON.stringify(Object.keys(require.cache).filter(k => /node_modules\\/(cdktf|@cdktf\\/provider-github)\\//.test(k))))",
    ));
    expect(loaded).toEqual([]);
  });

  test('the cdktf constructs load on first use', () => {
    expect(inFreshNode("const l = require('cdk-dockyard'); console.log(typeof l.GithubRepositorySettingsStack)")).toBe('function');
  });
});

describe('API.md', () => {
  test('is the jsii-docgen output of the current API (run "npx projen docgen" to refresh)', () => {
    const out = join(tmpdir(), `dockyard-api-${process.pid}.md`);
    const r = spawnSync('npx', ['jsii-docgen', '-o', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    const fresh = readFileSync(out, 'utf8');
    rmSync(out, { force: true });
    expect(fresh === readFileSync(join(ROOT, 'API.md'), 'utf8')).toBe(true);
  });
});
