import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { inspect } from 'util';
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
      schemaVersion: 'two',
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
    const error = errorOf(() => PipelineManifestFile.parse(JSON.stringify({ ...defaultManifest(), schemaVersion: 3 })));
    expect(error.problems).toEqual([expect.stringMatching(/schemaVersion 3 was written by a newer cdk-dockyard/)]);
  });

  test('a manifest from an older version (one image per manifest) says to rewrite it', () => {
    const { images, ...rest } = defaultManifest();
    const v1 = { ...rest, schemaVersion: 1, imageName: images[0].imageName, dockerfile: images[0].dockerfile };
    const error = errorOf(() => PipelineManifestFile.parse(JSON.stringify(v1)));
    expect(error.problems).toEqual(['[pipeline manifest] schemaVersion 1 was written by an older cdk-dockyard (this one reads 2): run "npx projen" to rewrite the manifest']);
  });

  test('not an object', () => {
    const error = errorOf(() => PipelineManifestFile.parse('[]'));
    expect(error.problems).toEqual(['[pipeline manifest] the manifest is not a JSON object: run "npx projen" to rewrite the manifest']);
  });
});

/** A directory tree under a fresh temporary directory: paths ending in "/" are directories, others files. */
function tree(paths: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dockyard-walk-'));
  for (const [path, text] of Object.entries(paths)) {
    if (path.endsWith('/')) {
      mkdirSync(join(root, path), { recursive: true });
    } else {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  }
  return root;
}

/** Runs `fn` with `cwd` as the working directory (process.cwd() is what cdktf's app sees). */
function inDirectory<T>(cwd: string, fn: () => T): T {
  const spy = jest.spyOn(process, 'cwd').mockReturnValue(cwd);
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

describe('PipelineManifestFile.read() finds the manifest from where the cdktf app runs', () => {
  const manifestText = JSON.stringify(defaultManifest(), undefined, 2);

  test.each([
    ['the app in infra/', 'infra'],
    ['the app nested deeper', 'deploy/github/settings'],
    ['the app at the repository root', '.'],
  ])('%s', (_name, appDir) => {
    const root = tree({ '.git/': '', '.github/dockyard-pipeline.json': manifestText, [`${appDir}/cdktf.json`]: '{}' });
    const manifest = inDirectory(join(root, appDir), () => PipelineManifestFile.read());
    expect(manifest).toEqual(defaultManifest());
  });

  test('the nearest manifest wins', () => {
    const nearer = defaultManifest({ requiredChecks: ['nearer'] });
    const root = tree({ '.git/': '', '.github/dockyard-pipeline.json': manifestText, 'infra/.github/dockyard-pipeline.json': JSON.stringify(nearer) });
    expect(inDirectory(join(root, 'infra'), () => PipelineManifestFile.read()).requiredChecks).toEqual(['nearer']);
  });

  test('works where .git is a file (worktrees, submodules)', () => {
    const root = tree({ '.git': 'gitdir: /elsewhere', '.github/dockyard-pipeline.json': manifestText, 'infra/': '' });
    expect(inDirectory(join(root, 'infra'), () => PipelineManifestFile.read())).toEqual(defaultManifest());
  });

  test('problems of a found manifest name its path relative to the app', () => {
    const root = tree({ '.git/': '', '.github/dockyard-pipeline.json': '{ "schemaVersion": 1,', 'infra/': '' });
    const error = errorOf(() => inDirectory(join(root, 'infra'), () => PipelineManifestFile.read()));
    expect(error.problems).toEqual([expect.stringMatching(/^\[\.\.\/\.github\/dockyard-pipeline\.json\] is not valid JSON/)]);
  });

  test('an explicit path stays relative to the working directory', () => {
    const root = tree({ '.git/': '', 'custom/pipeline.json': manifestText, 'infra/.github/dockyard-pipeline.json': '{}' });
    expect(inDirectory(join(root, 'infra'), () => PipelineManifestFile.read('../custom/pipeline.json'))).toEqual(defaultManifest());
    // and it is never looked for elsewhere
    const error = errorOf(() => inDirectory(join(root, 'infra'), () => PipelineManifestFile.read('custom/pipeline.json')));
    expect(error.problems).toEqual([expect.stringMatching(/^\[custom\/pipeline\.json\] cannot read the pipeline manifest \(ENOENT/)]);
  });

  test('the search stops at the repository root: the error names every place looked and the fix, once', () => {
    // a manifest above the repository root belongs to another repository and is never read
    const outer = tree({ '.github/dockyard-pipeline.json': manifestText, 'repo/.git/': '', 'repo/infra/': '' });
    const repo = join(outer, 'repo');
    const error = errorOf(() => inDirectory(join(repo, 'infra'), () => PipelineManifestFile.read()));
    expect(error.problems).toHaveLength(1);
    const [problem] = error.problems;
    expect(problem).toMatch(/^\[PipelineManifestFile\.read\(\)\] no pipeline manifest found: looked for /);
    expect(problem).toContain(`looked for ${join(repo, 'infra', '.github', 'dockyard-pipeline.json')}, ${join(repo, '.github', 'dockyard-pipeline.json')} (`);
    expect(problem).toContain(`up to the repository root ${repo}, which holds .git`);
    expect(problem).not.toContain(join(outer, '.github'));
    expect(problem).toMatch(/run "npx projen" in the repository root/);
    expect(problem).toMatch(/or pass the manifest's path to PipelineManifestFile\.read\(path\)/);
    // Node prints an uncaught error with util.inspect: the problem must appear once, in the message
    expect(inspect(error).split(problem).length - 1).toBe(1);
    expect(error.message.split(problem).length - 1).toBe(1);
  });

  test('without any .git the search ends at the filesystem root', () => {
    const dir = tree({ 'a/b/': '' });
    const error = errorOf(() => inDirectory(join(dir, 'a', 'b'), () => PipelineManifestFile.read()));
    expect(error.problems[0]).toContain(`looked for ${join(dir, 'a', 'b', '.github', 'dockyard-pipeline.json')}, ${join(dir, 'a', '.github', 'dockyard-pipeline.json')}`);
    // ... up to / (unless some ancestor of the temporary directory holds a .git)
    expect(error.problems[0]).toMatch(/the filesystem root|which holds \.git/);
  });
});

describe('the repository a manifest was read from', () => {
  const manifestText = JSON.stringify(defaultManifest());

  test.each([
    [['.github/CODEOWNERS'], '.github/CODEOWNERS'],
    [['CODEOWNERS'], 'CODEOWNERS'],
    [['docs/CODEOWNERS'], 'docs/CODEOWNERS'],
    [['docs/CODEOWNERS', '.github/CODEOWNERS', 'CODEOWNERS'], '.github/CODEOWNERS'], // GitHub reads .github/ first
    [['CODEOWNERS', 'docs/CODEOWNERS'], 'CODEOWNERS'],
  ])('CODEOWNERS files %j: GitHub uses %s', (files, used) => {
    const root = tree({ '.git/': '', '.github/dockyard-pipeline.json': manifestText, 'infra/': '', ...Object.fromEntries(files.map(f => [f, '* @acme'])) });
    const manifest = inDirectory(join(root, 'infra'), () => PipelineManifestFile.read());
    expect(PipelineManifestFile._repositoryOf(manifest)).toEqual({ root, codeOwners: used });
  });

  test('no CODEOWNERS', () => {
    const root = tree({ '.git/': '', '.github/dockyard-pipeline.json': manifestText });
    const manifest = inDirectory(root, () => PipelineManifestFile.read());
    expect(PipelineManifestFile._repositoryOf(manifest)).toEqual({ root, codeOwners: undefined });
  });

  test('a manifest elsewhere belongs to the repository holding .git', () => {
    const root = tree({ '.git/': '', 'ci/pipeline.json': manifestText, 'CODEOWNERS': '* @acme' });
    const manifest = PipelineManifestFile.read(join(root, 'ci', 'pipeline.json'));
    expect(PipelineManifestFile._repositoryOf(manifest)).toEqual({ root, codeOwners: 'CODEOWNERS' });
  });

  test('unknown for a parsed or built manifest', () => {
    expect(PipelineManifestFile._repositoryOf(PipelineManifestFile.parse(manifestText))).toBeUndefined();
    expect(PipelineManifestFile._repositoryOf(defaultManifest())).toBeUndefined();
  });
});
