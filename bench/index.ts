/**
 * `npm run bench`: runs every benchmark module of this folder in turn. Each module
 * measures its subject side by side with a baseline in the same run and prints
 * medians, ratios and the target each ratio is held to.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

async function runAll(): Promise<void> {
  const only = process.argv.slice(2);
  const modules = readdirSync(__dirname)
    .filter(f => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_'))
    .filter(f => only.length === 0 || only.some(o => f.includes(o)))
    .sort();
  let failed = 0;
  for (const file of modules) {
    console.log(`\n=== bench/${file} ===`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(__dirname, file)) as { main?: () => Promise<boolean | void> };
    if (typeof mod.main !== 'function') continue;
    const ok = await mod.main();
    if (ok === false) failed++;
  }
  if (failed > 0) {
    console.log(`\n${failed} benchmark module(s) missed a target`);
    process.exitCode = 1;
  }
}

void runAll();
