import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockyardValidationError } from '../../src/core/problems';
import { newestReleaseTag, parseActionName, parseInputs, parseLsRemoteTags, resolveAction } from '../../src/lock/action-resolver';
import { GitRemote, makeRemote } from '../support/git-remotes';

const actionYml = (inputs: string[]) => [
  'name: Test action',
  'description: for the lock resolver',
  inputs.length ? 'inputs:' : '',
  ...inputs.map(i => `  ${i}:\n    description: the ${i}\n    required: false`),
  'runs:',
  '  using: node20',
  '  main: index.js',
  '',
].join('\n');

function failure(fn: () => unknown): DockyardValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DockyardValidationError);
    return error as DockyardValidationError;
  }
  throw new Error('expected a DockyardValidationError, but nothing was thrown');
}

/** Runs `fn` with a private TMPDIR (other test files running meanwhile create and remove temp dirs of their own); returns what is left in it. */
function leftInTmpdir(root: string, fn: () => void): string[] {
  const dir = mkdtempSync(join(root, 'tmpdir-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    fn();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  return readdirSync(dir);
}

describe('resolveAction against local git remotes (file://)', () => {
  let root: string;
  let checkout: GitRemote;
  let yamlVariant: GitRemote;
  let noAction: GitRemote;
  let noRelease: GitRemote;
  let badYaml: GitRemote;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'dockyard-remotes-'));
    checkout = makeRemote(root, 'checkout', [
      { files: { 'action.yml': actionYml(['ref', 'repository']) }, tags: ['v1.0.0'] },
      { files: { 'action.yml': actionYml(['ref', 'repository', 'fetch-depth']) }, tags: ['v1.2.0', 'v1'] },
      {
        files: { 'action.yml': actionYml(['ref', 'repository', 'fetch-depth', 'token']), 'init/action.yml': actionYml(['languages', 'config-file']) },
        annotatedTags: ['v1.10.0'],
      },
      { files: { 'action.yml': actionYml(['ref', 'token', 'sparse-checkout']) }, tags: ['v2.0.0-rc.1', 'latest', 'release-9.9.9', 'v10', 'v9.9.9.9'] },
    ]);
    yamlVariant = makeRemote(root, 'yaml-variant', [{ files: { 'action.yaml': actionYml(['name-of-thing']) }, tags: ['v0.3.1'] }]);
    noAction = makeRemote(root, 'no-action', [{ files: { 'README.md': 'not an action\n' }, tags: ['v1.0.0'] }]);
    noRelease = makeRemote(root, 'no-release', [{ files: { 'action.yml': actionYml(['a']) }, tags: ['v1', 'v2.0.0-beta.1', 'stable'] }]);
    badYaml = makeRemote(root, 'bad-yaml', [
      { files: { 'action.yml': 'name: x\ninputs: [a, b]\n' }, tags: ['v1.0.0'] },
      { files: { 'action.yml': 'name: x\ninputs:\n  a: {\n' }, tags: ['v1.0.1'] },
      { files: { 'action.yml': 'name: x\nruns:\n  using: composite\n  steps: []\n' }, tags: ['v1.0.2'] },
    ]);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the newest release is v1.10.0 by semantic version (not v1.2.0, not the pre-release, not other tags), dereferenced to its commit', () => {
    let resolved!: ReturnType<typeof resolveAction>;
    const left = leftInTmpdir(root, () => {
      resolved = resolveAction('actions/checkout', { url: checkout.url });
    });
    expect(resolved).toEqual({
      action: 'actions/checkout',
      version: 'v1.10.0',
      sha: checkout.commitOf('v1.10.0'),
      inputs: ['fetch-depth', 'ref', 'repository', 'token'],
    });
    // v1.10.0 is annotated: the tag object is not the commit, and the lock must hold the commit.
    expect(checkout.objectOf('v1.10.0')).not.toBe(resolved.sha);
    expect(resolved.sha).toMatch(/^[0-9a-f]{40}$/);
    // the temporary clone is gone
    expect(left).toEqual([]);
  });

  test('a named tag resolves to that tag, with the inputs of that commit', () => {
    expect(resolveAction('actions/checkout', { url: checkout.url, tag: 'v1.0.0' })).toEqual({
      action: 'actions/checkout', version: 'v1.0.0', sha: checkout.commitOf('v1.0.0'), inputs: ['ref', 'repository'],
    });
    // a pre-release can be pinned on purpose
    const rc = resolveAction('actions/checkout', { url: checkout.url, tag: 'v2.0.0-rc.1' });
    expect(rc.sha).toBe(checkout.commitOf('v2.0.0-rc.1'));
    expect(rc.inputs).toEqual(['ref', 'sparse-checkout', 'token']);
  });

  test('an owner/repo/path action reads path/action.yml', () => {
    expect(resolveAction('github/codeql-action/init', { url: checkout.url })).toEqual({
      action: 'github/codeql-action/init', version: 'v1.10.0', sha: checkout.commitOf('v1.10.0'), inputs: ['config-file', 'languages'],
    });
  });

  test('action.yaml is read when there is no action.yml', () => {
    expect(resolveAction('owner/yaml-variant', { url: yamlVariant.url })).toEqual({
      action: 'owner/yaml-variant', version: 'v0.3.1', sha: yamlVariant.commitOf('v0.3.1'), inputs: ['name-of-thing'],
    });
  });

  test('a tag that does not exist names the tag, the URL and the release tags there are', () => {
    const error = failure(() => resolveAction('actions/checkout', { url: checkout.url, tag: 'v9.0.0' }));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^action "actions\/checkout": tag "v9.0.0" does not exist in file:\/\/.*checkout\.git \(release tags: .*v1\.10\.0.*\)/);
    expect(error.problems[0]).toContain('Correct the "tag" option');
  });

  test('a repository without action.yml / action.yaml is an error naming both', () => {
    const error = failure(() => resolveAction('owner/no-action', { url: noAction.url }));
    expect(error.problems[0]).toMatch(/no action\.yml or action\.yaml at v1\.0\.0 \([0-9a-f]{40}\)/);
    const inPath = failure(() => resolveAction('actions/checkout/missing', { url: checkout.url }));
    expect(inPath.problems[0]).toContain('no missing/action.yml or missing/action.yaml');
    expect(inPath.problems[0]).toContain('Check the path after owner/repo');
  });

  test('a repository without any vX.Y.Z tag asks for the tag option', () => {
    const error = failure(() => resolveAction('owner/no-release', { url: noRelease.url }));
    expect(error.problems[0]).toMatch(/has no release tag of the form vMAJOR\.MINOR\.PATCH \(tags seen: .*stable.*\)\. Pass the tag to pin as the "tag" option\./);
  });

  test('an unreachable remote is a clear error with git\'s reason', () => {
    const missing = `file://${join(root, 'does-not-exist.git')}`;
    const error = failure(() => resolveAction('actions/checkout', { url: missing }));
    expect(error.problems[0]).toContain(`could not list the tags of ${missing}`);
    expect(error.problems[0]).toMatch(/git exited with 128: .*does-not-exist\.git/);
    expect(error.problems[0]).toContain('Check the URL');
  });

  test('malformed action.yml files: inputs not a mapping, invalid YAML; no inputs at all is fine', () => {
    expect(failure(() => resolveAction('o/bad', { url: badYaml.url, tag: 'v1.0.0' })).problems[0]).toContain('"inputs" in action.yml at v1.0.0');
    expect(failure(() => resolveAction('o/bad', { url: badYaml.url, tag: 'v1.0.1' })).problems[0]).toMatch(/action\.yml at v1\.0\.1 \([0-9a-f]{40}\) is not valid YAML/);
    expect(resolveAction('o/bad', { url: badYaml.url }).inputs).toEqual([]);
  });
});

describe('action names, tags and inputs (pure)', () => {
  test.each([
    ['actions/checkout', { owner: 'actions', repo: 'checkout', path: '' }],
    ['github/codeql-action/init', { owner: 'github', repo: 'codeql-action', path: 'init' }],
    ['o/r/a/b', { owner: 'o', repo: 'r', path: 'a/b' }],
    ['toString/constructor', { owner: 'toString', repo: 'constructor', path: '' }],
  ])('%s parses', (action, parts) => {
    expect(parseActionName(action)).toEqual({ action, ...parts });
  });

  test.each([
    ['', /is empty/],
    ['checkout', /is not "owner\/repo"/],
    ['actions/checkout@v4', /carries a version after "@".*pass the tag as the "tag" option/],
    ['actions/checkout/../x', /is not "owner\/repo" or "owner\/repo\/path"/],
    ['actions//x', /is not "owner\/repo"/],
    ['-bad/x', /is not "owner\/repo"/],
  ])('%j is rejected', (action, message) => {
    expect(failure(() => parseActionName(action)).problems[0]).toMatch(message);
  });

  test('rejected options: a tag that is not a tag name, a non-positive timeout', () => {
    expect(failure(() => resolveAction('a/b', { url: 'file:///nowhere', tag: '--upload-pack=x' })).problems[0]).toContain('is not a valid tag name');
    expect(failure(() => resolveAction('a/b', { url: 'file:///nowhere', timeoutMs: 0 })).problems[0]).toContain('timeoutMs 0');
  });

  test('newestReleaseTag compares numerically and ignores pre-releases and other tags', () => {
    expect(newestReleaseTag(['v1.2.0', 'v1.10.0', 'v1.9.9', 'v2.0.0-rc.1', 'v10', 'latest'])).toBe('v1.10.0');
    expect(newestReleaseTag(['v0.0.9', 'v0.0.10', 'v01.0.0', '1.0.0', 'v1.0.0+build'])).toBe('v0.0.10');
    expect(newestReleaseTag(['v99999999999999999999.0.0', 'v99999999999999999998.9.9'])).toBe('v99999999999999999999.0.0');
    expect(newestReleaseTag(['v1', 'main'])).toBeUndefined();
  });

  test('parseLsRemoteTags prefers the dereferenced commit of annotated tags', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const c = 'c'.repeat(40);
    const tags = parseLsRemoteTags(`${a}\trefs/tags/v1.0.0\n${b}\trefs/tags/v1.1.0\n${c}\trefs/tags/v1.1.0^{}\n`);
    expect([...tags]).toEqual([['v1.0.0', a], ['v1.1.0', c]]);
  });

  test('parseInputs: keys sorted, __proto__ is just a key, duplicates rejected', () => {
    expect(parseInputs('o/r', 'action.yml', 'inputs:\n  __proto__: {}\n  constructor: {}\n  b: {}\n')).toEqual(['__proto__', 'b', 'constructor']);
    expect(failure(() => parseInputs('o/r', 'action.yml', 'inputs:\n  a: {}\n  a: {}\n')).problems[0]).toContain('is not valid YAML');
    expect(failure(() => parseInputs('o/r', 'action.yml', '- a\n- b\n')).problems[0]).toContain('is not a YAML mapping');
    expect(failure(() => parseInputs('o/r', 'action.yml', 'inputs:\n  1: {}\n')).problems[0]).toContain('not a non-empty string');
  });
});
