#!/usr/bin/env node
/**
 * Post-compile step: make lib/index.js load its submodules on first use.
 *
 * jsii needs `export * from './repository'` (and the others) in src/index.ts to see every type, and
 * tsc compiles each into an eager `__exportStar(require("./repository"), exports)`, which would make
 * every `.projenrc.ts` that imports cdk-dockyard load cdktf and the GitHub provider (and the YAML
 * library, and every module it does not use). Like aws-cdk-lib's lazy index, this rewrites those
 * statements into getters that `require()` the submodule the first time one of its exports is read.
 * The exported names are those of the compiled submodules, so the set of exports is unchanged
 * (test/index.test.ts compares them).
 */
const fs = require('node:fs');
const path = require('node:path');

const LAZY = ['./dockerfile', './pipeline', './presets', './workflow', './repository', './projen/code-owners', './projen/settings-app', './projen/lock'];
const lib = path.join(__dirname, '..', 'lib');
const indexPath = path.join(lib, 'index.js');
let index = fs.readFileSync(indexPath, 'utf8');

for (const rel of LAZY) {
  const statement = `__exportStar(require("${rel}"), exports);`;
  if (!index.includes(statement)) continue;
  const names = Object.keys(require(path.join(lib, rel))).filter(n => n !== '__esModule').sort();
  const getters = names.map(n =>
    `Object.defineProperty(exports, ${JSON.stringify(n)}, { enumerable: true, configurable: true, get: () => require(${JSON.stringify(rel)})[${JSON.stringify(n)}] });`,
  );
  index = index.replace(statement, `// lazily loaded (scripts/lazy-index.js): ${rel}\n${getters.join('\n')}`);
  console.log(`lazy-index: ${rel} -> ${names.length} lazy exports`);
}
fs.writeFileSync(indexPath, index);
