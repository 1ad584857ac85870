/**
 * Loading cost of the library (issue: keep loading cheap).
 * 1. `require('cdk-dockyard')` vs `require('projen')`, each in a fresh node process (target <= 1.05x):
 *    the lazy index keeps cdktf and the GitHub provider out of a .projenrc.ts that does not use them.
 * 2. Synthesis of the bundled example with every construct vs the same project without them, median of >= 20
 *    interleaved runs each (target <= 1.05x, issue "One rule per fact").
 * 3. `cdktf synth` of the example's settings stack vs an empty stack (target <= 1.2x), when the example has one.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report, sideBySide, timeCommand } from './_measure';

const ROOT = join(__dirname, '..');
const EXAMPLE = join(ROOT, 'examples', 'django-app');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

export function requireRatio(): boolean {
  const run = (code: string) => () => timeCommand(process.execPath, ['-e', code], { cwd: ROOT });
  const loaded = (mod: string) => {
    const code = `require(${JSON.stringify(mod)}); const ids = Object.keys(require.cache); console.log(JSON.stringify({ cdktf: ids.some(i => i.includes('/node_modules/cdktf/')), provider: ids.some(i => i.includes('/@cdktf/provider-github/')) }))`;
    const r = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf8' });
    return r.stdout.trim();
  };
  console.log(`modules loaded by require('cdk-dockyard'): ${loaded('cdk-dockyard')}`);
  const m = sideBySide({
    projen: run("require('projen')"),
    dockyard: run("require('cdk-dockyard')"),
    // what a .projenrc.ts really loads: projen, the library, and the constructs it uses
    projenrc: run("require('projen'); const d = require('cdk-dockyard'); void d.MultiStageDockerfile; void d.PythonAppDockerfile; void d.GhcrPublishWorkflow"),
  }, RUNS);
  console.log(`medians over ${RUNS} fresh processes each, interleaved: require('projen') ${m.projen.toFixed(1)} ms; require('cdk-dockyard') ${m.dockyard.toFixed(1)} ms; projen + cdk-dockyard + its projen constructs ${m.projenrc.toFixed(1)} ms`);
  const a = report("require('cdk-dockyard') / require('projen')", m.dockyard / m.projen, 1.05);
  const b = report("projen + cdk-dockyard's projen constructs / require('projen')", m.projenrc / m.projen, 1.05);
  return a && b;
}

/** The example's .projenrc.ts against a copy that creates the same projen project without any cdk-dockyard construct. */
export function synthRatio(): boolean {
  // the copies live inside the repository so 'cdk-dockyard' still resolves to this checkout
  const work = join(ROOT, 'bench', '.tmp');
  rmSync(work, { recursive: true, force: true });
  const full = join(work, 'full');
  const bare = join(work, 'bare');
  mkdirSync(full, { recursive: true });
  mkdirSync(bare, { recursive: true });
  copyFileSync(join(EXAMPLE, '.projenrc.ts'), join(full, '.projenrc.ts'));
  copyFileSync(join(EXAMPLE, 'tsconfig.projen.json'), join(full, 'tsconfig.projen.json'));
  copyFileSync(join(EXAMPLE, 'tsconfig.projen.json'), join(bare, 'tsconfig.projen.json'));
  writeFileSync(join(bare, '.projenrc.ts'), [
    "import { Project, github } from 'projen';",
    "import { ProjenrcTs } from 'projen/lib/typescript';",
    "const project = new Project({ name: 'django-app', outdir: process.env.DOCKYARD_EXAMPLE_OUTDIR });",
    'const projenrc = new ProjenrcTs(project);',
    "projenrc.tsconfig.file.addOverride('compilerOptions', { module: 'node16', target: 'ES2022', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] });",
    'new github.GitHub(project, { mergify: false, pullRequestLint: true });',
    'project.synth();',
    // the example's closing loop, which belongs to the project, not to the constructs
    'for (const file of project.files) {',
    '  console.log(`wrote ${file.absolutePath}`);',
    '}',
    '',
  ].join('\n'));
  const out = mkdtempSync(join(tmpdir(), 'dockyard-bench-'));
  const synth = (dir: string) => () => timeCommand('npx', ['ts-node', '--transpile-only', '--project', 'tsconfig.projen.json', '.projenrc.ts'], {
    cwd: dir, env: { ...process.env, DOCKYARD_EXAMPLE_OUTDIR: join(out, dir === full ? 'full' : 'bare'), PROJEN_DISABLE_POST: 'true' },
  });
  const runs = Math.max(20, Math.floor(RUNS / 3));
  const m = sideBySide({ bare: synth(bare), full: synth(full) }, runs, 1);
  rmSync(work, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  console.log(`synth without cdk-dockyard median ${m.bare.toFixed(0)} ms; with every construct ${m.full.toFixed(0)} ms (${runs} runs each, interleaved)`);
  return report('example synth, with / without cdk-dockyard constructs', m.full / m.bare, 1.05);
}

/** `cdktf synth` of the example's repository-settings stack against an app with one empty stack. */
export function cdktfRatio(): boolean {
  const infra = join(EXAMPLE, 'infra');
  const work = join(ROOT, 'bench', '.tmp', 'empty-cdktf');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  copyFileSync(join(infra, 'cdktf.json'), join(work, 'cdktf.json'));
  copyFileSync(join(infra, 'tsconfig.json'), join(work, 'tsconfig.json'));
  writeFileSync(join(work, 'main.ts'), [
    "import { App, TerraformStack } from 'cdktf';",
    'const app = new App();',
    "new TerraformStack(app, 'empty');",
    'app.synth();',
    '',
  ].join('\n'));
  const out = mkdtempSync(join(tmpdir(), 'dockyard-bench-cdktf-'));
  const synth = (dir: string, name: string) => () => timeCommand('npx', ['cdktf', 'synth', '--output', join(out, name)], {
    cwd: dir, env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: 'true' },
  });
  const runs = Number(process.env.BENCH_CDKTF_RUNS ?? 5);
  const m = sideBySide({ empty: synth(work, 'empty'), settings: synth(infra, 'settings') }, runs, 1);
  rmSync(work, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  console.log(`cdktf synth of an empty stack median ${m.empty.toFixed(0)} ms; of the settings stack ${m.settings.toFixed(0)} ms (${runs} runs each, interleaved)`);
  return report('cdktf synth, settings stack / empty stack', m.settings / m.empty, 1.2);
}

export async function main(): Promise<boolean> {
  if (!existsSync(join(ROOT, 'lib', 'index.js'))) throw new Error('lib/ is missing: run "npx projen compile" (npm run bench does)');
  const results = [requireRatio(), synthRatio(), cdktfRatio()];
  return results.every(Boolean);
}
