/**
 * The README as a test: every TypeScript snippet is run the way a new user runs it, from the `npm pack` tarball
 * of this checkout (lib/ as the test task's compile left it), in scratch projects outside the checkout with the
 * packages of the README's own `npm install` lines from the npm registry. The marker convention is in
 * test/readme/snippets.ts and in the README ("Contributing: README snippets").
 *
 * - "peerless": the first install line only (no cdktf): every `.projenrc.ts` snippet runs here, which also proves
 *   that cdktf and @cdktf/provider-github are optional peers (npm does not install them, synthesis works without
 *   them, and reading the settings constructs says what to install);
 * - "cdktf": both install lines (the first one's result copied from "peerless", then the second line run): the cdktf
 *   `main.ts` snippets run here, in a copy of their base program's output.
 *
 * Set DOCKYARD_KEEP_README_SCRATCH=1 to keep the scratch directory for a look after the run.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import {
  changedFiles, CommandResult, describeResult, installed, limited, run, runOk, snapshot, userEnv,
} from './scratch';
import { parseReadme, Program, programsOf } from './snippets';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const { fences, problems: markerProblems } = parseReadme(README);
const { programs, problems: programProblems } = programsOf(fences);
const projenrcPrograms = programs.filter(p => p.kind === 'projenrc');
const cdktfPrograms = programs.filter(p => p.kind === 'cdktf');

/** The Quickstart's first-synthesis command (the README must say exactly this). */
const BOOTSTRAP = ['ts-node', '-O', '{"module":"commonjs"}', '.projenrc.ts'];
const BOOTSTRAP_TEXT = `npx ${BOOTSTRAP.slice(0, 2).join(' ')} '${BOOTSTRAP[2]}' ${BOOTSTRAP[3]}`;
const OPTIONAL_PEERS = ['cdktf', '@cdktf/provider-github'];
/** A program that reads a repository-settings construct (the first read loads src/repository). */
const USES_SETTINGS = "const { GithubRepositorySettingsStack } = require('cdk-dockyard');\nconsole.log(typeof GithubRepositorySettingsStack);\n";

/** The package lists of the `npm install --save-dev` lines in the README's Install section. */
function installLines(): string[][] {
  const section = /\n## Install\n([\s\S]*?)\n## /.exec(README)?.[1] ?? '';
  const fence = /```bash\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return fence.split('\n')
    .map(l => /^npm install --save-dev (.+)$/.exec(l.trim())?.[1])
    .filter((l): l is string => l !== undefined)
    .map(l => l.split(/\s+/));
}

const MINUTE = 60_000;
const timings: string[] = [];
const t0 = Date.now();
const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    timings.push(`${what}: ${((Date.now() - start) / 1000).toFixed(1)} s (done at ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
};

let scratch: string;
let tarball: string;
let packedFiles: string[];
let peerless: string;
let withCdktf: string;
let cdktfReady: Promise<void> = Promise.resolve();
/** Per projenrc program: its run (the changed files); and its output after the unedited runs, for cdktf snippets. */
const projenrcRuns = new Map<string, Promise<ProjenrcRun>>();
const outputs = new Map<string, { promise: Promise<string>; resolve: (dir: string) => void; reject: (e: unknown) => void }>();
const cdktfRuns = new Map<string, Promise<CdktfRun>>();

interface ProjenrcRun {
  /** Files the first synthesis wrote. */
  readonly generated: string[];
  /** Files a second `npx projen` changed (must be none). */
  readonly rerunChanged: string[];
  /** Files `npx projen` changed after the edit (must be some). */
  readonly editChanged: string[];
}

interface CdktfRun {
  readonly stacks: string[];
  readonly editChanged?: string[];
}

/** Runs install lines in a scratch project (a new, empty one unless it exists). */
async function npmInstall(dir: string, lines: string[][]): Promise<void> {
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `readme-${relative(scratch, dir)}`, version: '0.0.0', private: true }, undefined, 2)}\n`);
  }
  for (const packages of lines) {
    const args = packages.map(p => (p === 'cdk-dockyard' ? tarball : p));
    await timed(`npm install in ${relative(scratch, dir)} (${packages.join(' ')})`,
      () => runOk('npm', ['install', '--save-dev', '--no-audit', '--no-fund', ...args], { cwd: dir, timeoutMs: 5 * MINUTE }));
  }
}

/** A `.projenrc.ts` program: first synthesis as the Quickstart says, `npx projen` again (no change), the edit, `npx projen` (a change). */
async function runProjenrc(p: Program): Promise<ProjenrcRun> {
  const dir = join(peerless, 'programs', p.name);
  mkdirSync(dir, { recursive: true });
  await runOk('git', ['init', '-q'], { cwd: dir });
  writeFileSync(join(dir, '.projenrc.ts'), p.source());
  const post = p.noPost ? ['--no-post'] : [];
  const env = userEnv(p.noPost ? { PROJEN_DISABLE_POST: 'true' } : {});
  const step = (what: string, args: string[]) => timed(`${p.name}: ${what}`, () => runOk('npx', args, { cwd: dir, env, timeoutMs: 3 * MINUTE }));
  await step(BOOTSTRAP_TEXT, BOOTSTRAP);
  const first = snapshot(dir);
  await step('npx projen', ['projen', ...post]);
  const second = snapshot(dir);
  const copy = join(scratch, 'outputs', p.name);
  cpSync(dir, copy, { recursive: true });
  outputs.get(p.name)!.resolve(copy);
  writeFileSync(join(dir, '.projenrc.ts'), p.source(true));
  await step('npx projen after the edit', ['projen', ...post]);
  const third = snapshot(dir);
  const withoutRc = (m: Map<string, string>) => new Map([...m].filter(([k]) => k !== '.projenrc.ts'));
  return {
    generated: [...first.keys()].filter(f => f !== '.projenrc.ts'),
    rerunChanged: changedFiles(first, second),
    editChanged: changedFiles(withoutRc(second), withoutRc(third)),
  };
}

/** A cdktf main.ts: written into a copy of its base program's output, `npx cdktf synth` (and again after an edit). */
async function runCdktf(p: Program): Promise<CdktfRun> {
  const target = p.fence.cdktf!;
  await cdktfReady;
  const base = await outputs.get(target.program)!.promise;
  const dir = join(withCdktf, 'programs', p.name);
  cpSync(base, dir, { recursive: true });
  const main = join(dir, target.path);
  const app = dirname(main);
  if (!existsSync(join(app, 'cdktf.json'))) throw new Error(`program ${target.program} does not write ${relative(dir, join(app, 'cdktf.json'))}`);
  writeFileSync(main, p.source());
  const synth = (what: string) => timed(`${p.name}: ${what}`, () => runOk('npx', ['cdktf', 'synth'], { cwd: app, env: userEnv({ CHECKPOINT_DISABLE: '1', CI: 'true' }), timeoutMs: 4 * MINUTE }));
  await synth('npx cdktf synth');
  const out = join(app, 'cdktf.out');
  const first = snapshot(out);
  const stacks = [...first.keys()].filter(f => /^stacks\/[^/]+\/cdk\.tf\.json$/.test(f));
  if (!p.fence.edit) return { stacks };
  writeFileSync(main, p.source(true));
  await synth('npx cdktf synth after the edit');
  return { stacks, editChanged: changedFiles(first, snapshot(out)) };
}

beforeAll(async () => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'dockyard-readme-')));
  peerless = join(scratch, 'peerless');
  withCdktf = join(scratch, 'cdktf');
  const packed = await timed('npm pack', () => runOk('npm', ['pack', '--pack-destination', scratch, '--json'], { cwd: ROOT, timeoutMs: 2 * MINUTE }));
  const info = JSON.parse(packed.stdout)[0];
  tarball = join(scratch, info.filename);
  packedFiles = info.files.map((f: { path: string }) => f.path);
  const lines = installLines();
  await npmInstall(peerless, lines.slice(0, 1));
  // the second project is the first one after the first line (copied, to save installing it twice), then the second line
  mkdirSync(withCdktf, { recursive: true });
  for (const f of ['package.json', 'package-lock.json', 'node_modules']) cpSync(join(peerless, f), join(withCdktf, f), { recursive: true, verbatimSymlinks: true });
  cdktfReady = npmInstall(withCdktf, lines.slice(1));
  cdktfReady.catch(() => undefined); // awaited by the cdktf snippets
  // the programs run from here on, one per CPU (at least two) at a time: ts-node type-checks each .projenrc.ts
  for (const p of projenrcPrograms) {
    let resolve!: (dir: string) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<string>((res, rej) => [resolve, reject] = [res, rej]);
    promise.catch(() => undefined);
    outputs.set(p.name, { promise, resolve, reject });
  }
  // the bases of cdktf snippets first, so that cdktf synth overlaps with the other programs
  const bases = new Set(cdktfPrograms.map(p => p.fence.cdktf!.program));
  const order = [...projenrcPrograms.filter(p => bases.has(p.name)), ...projenrcPrograms.filter(p => !bases.has(p.name))];
  for (const [p, result] of limited(order, Math.max(2, cpus().length), runProjenrc)) {
    projenrcRuns.set(p.name, result);
    // a cdktf snippet on a program that failed before its output was copied fails with that program's error
    result.catch(e => outputs.get(p.name)!.reject(new Error(`its base program ${p.name} failed:\n${(e as Error).message}`)));
  }
  for (const p of cdktfPrograms) {
    const result = runCdktf(p);
    cdktfRuns.set(p.name, result);
    result.catch(() => undefined);
  }
}, 8 * MINUTE);

afterAll(async () => {
  await Promise.allSettled([cdktfReady, ...projenrcRuns.values(), ...cdktfRuns.values()]);
  console.log(`README test (${((Date.now() - t0) / 1000).toFixed(0)} s) in ${scratch}:\n  ${timings.join('\n  ')}`);
  if (scratch && process.env.DOCKYARD_KEEP_README_SCRATCH !== '1') rmSync(scratch, { recursive: true, force: true });
}, 8 * MINUTE);

describe('README snippet markers', () => {
  test('every ts fence has a marker, and every program is well formed (see "Contributing: README snippets")', () => {
    expect([...markerProblems, ...programProblems]).toEqual([]);
  });

  test('the README has snippets of each kind, and the programs the Contributing section names', () => {
    expect(projenrcPrograms.map(p => p.name)).toEqual(expect.arrayContaining(['quickstart', 'python-app', 'workflow', 'escape-hatches', 'many-images', 'settings-app']));
    expect(cdktfPrograms.length).toBeGreaterThan(0);
    expect(projenrcPrograms.some(p => p.fences.length > 2 || p.fence.continues !== undefined)).toBe(true);
  });

  test('the Quickstart is a complete program with ProjenrcTs, and says how to run it the first time', () => {
    const quickstart = programs.find(p => p.name === 'quickstart')!;
    expect(quickstart.fence.continues).toBeUndefined();
    expect(quickstart.source()).toMatch(/new ProjenrcTs\(project\)/);
    expect(README).toContain(BOOTSTRAP_TEXT);
  });

  test('the Install section has the two npm install lines the scratch projects are made from', () => {
    const lines = installLines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual(expect.arrayContaining(['cdk-dockyard', 'projen', 'constructs', 'ts-node']));
    expect(lines[0].join(' ')).not.toMatch(/cdktf/);
    expect(lines[1]).toEqual(expect.arrayContaining(OPTIONAL_PEERS.map(n => `${n}@${PACKAGE.peerDependencies[n]}`)));
  });
});

describe('the packed tarball', () => {
  test('holds the compiled library and its docs, not the sources, tests, scripts or notes', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', '.jsii', 'lib/index.js', 'lib/index.d.ts']));
    expect(packedFiles.filter(f => f.startsWith('lib/workflow/scripts/') && f.endsWith('.sh')).length).toBeGreaterThan(0);
    expect(packedFiles.filter(f => /^(src|test|scripts|examples|bench|\.notes|\.ci|\.projen)\//.test(f) || f === '.projenrc.ts')).toEqual([]);
  });

  test('declares cdktf and @cdktf/provider-github as optional peers', () => {
    for (const name of OPTIONAL_PEERS) {
      expect(PACKAGE.peerDependencies[name]).toBeDefined();
      expect(PACKAGE.peerDependenciesMeta?.[name]).toEqual({ optional: true });
    }
    expect(PACKAGE.peerDependenciesMeta?.projen).toBeUndefined();
    expect(PACKAGE.peerDependenciesMeta?.constructs).toBeUndefined();
  });
});

describe('optional peers, installed from the tarball with the README\'s first install line', () => {
  test('npm installs cdk-dockyard and the required peers, but neither cdktf nor @cdktf/provider-github', () => {
    expect(installed(peerless, 'cdk-dockyard')).toBe(true);
    expect(installed(peerless, 'projen')).toBe(true);
    expect(installed(peerless, 'constructs')).toBe(true);
    for (const name of OPTIONAL_PEERS) expect(installed(peerless, name)).toBe(false);
    expect(readdirSync(join(peerless, 'node_modules')).filter(n => /cdktf/.test(n))).toEqual([]);
  });

  test('reading GithubRepositorySettingsStack without them fails with an error naming both packages and the install command', async () => {
    const dir = join(peerless, 'uses-settings');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.js'), USES_SETTINGS);
    const r = await run('node', ['main.js'], { cwd: dir, timeoutMs: 2 * MINUTE });
    expect(r.status).not.toBe(0);
    const install = `npm install --save-dev cdktf@${PACKAGE.peerDependencies.cdktf} cdktf-cli@${PACKAGE.peerDependencies.cdktf} @cdktf/provider-github@${PACKAGE.peerDependencies['@cdktf/provider-github']}`;
    expect(r.stderr).toContain('GithubRepositorySettings and GithubRepositorySettingsStack need cdktf and @cdktf/provider-github');
    expect(r.stderr).toContain(install);
    expect(r.stderr).not.toMatch(/Cannot find module/);
  });

  test('with both install lines, the same program loads the construct', async () => {
    await cdktfReady;
    for (const name of OPTIONAL_PEERS) expect(installed(withCdktf, name)).toBe(true);
    const dir = join(withCdktf, 'uses-settings');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.js'), USES_SETTINGS);
    const r: CommandResult = await run('node', ['main.js'], { cwd: dir, timeoutMs: 2 * MINUTE });
    expect(describeResult(r)).toMatch(/exited 0/);
    expect(r.stdout.trim()).toBe('function');
  }, 8 * MINUTE);
});

describe('README .projenrc.ts programs (without cdktf installed): first synthesis, npx projen, the edit, npx projen', () => {
  test.each(projenrcPrograms.map(p => [p.name, p] as const))('%s', async (_name, p) => {
    const result = await projenrcRuns.get(p.name)!;
    expect(result.generated).toEqual(expect.arrayContaining(['.projen/tasks.json', '.projen/files.json']));
    expect(result.rerunChanged).toEqual([]);
    expect(result.editChanged.length).toBeGreaterThan(0);
  }, 8 * MINUTE);
});

describe('README cdktf main.ts programs: npx cdktf synth in their base program\'s app', () => {
  test.each(cdktfPrograms.map(p => [p.name, p] as const))('%s', async (_name, p) => {
    const result = await cdktfRuns.get(p.name)!;
    expect(result.stacks.length).toBeGreaterThan(0);
    if (p.fence.edit) expect(result.editChanged?.length).toBeGreaterThan(0);
  }, 8 * MINUTE);
});
