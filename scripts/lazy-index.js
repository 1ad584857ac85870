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

/** `./x` of an index whose body only re-exports its own files: those files (`./x/leaf`), else `./x` itself. */
function leavesOf(rel) {
  const sub = path.join(lib, rel, 'index.js');
  if (!fs.existsSync(sub)) return [rel];
  const body = fs.readFileSync(sub, 'utf8').split('\n').filter(line => !/^(\/\/|"use strict";|var __|    |}|\)|Object\.defineProperty\(exports, "__esModule")/.test(line) && line.trim() !== '');
  const leaves = body.map(line => /^__exportStar\(require\("(\.\/[^"]+)"\), exports\);$/.exec(line));
  return leaves.every(Boolean) ? leaves.map(m => `${rel}/${m[1].slice(2)}`) : [rel];
}

for (const rel of LAZY) {
  const statement = `__exportStar(require("${rel}"), exports);`;
  if (!index.includes(statement)) continue;
  // a folder whose index only re-exports: one getter per export straight to the file that defines it, so
  // using one construct loads that construct's files, not every sibling of its folder
  const getters = [];
  for (const leaf of leavesOf(rel)) {
    const names = Object.keys(require(path.join(lib, leaf))).filter(n => n !== '__esModule').sort();
    getters.push(...names.map(n =>
      `Object.defineProperty(exports, ${JSON.stringify(n)}, { enumerable: true, configurable: true, get: () => require(${JSON.stringify(leaf)})[${JSON.stringify(n)}] });`,
    ));
  }
  index = index.replace(statement, `// lazily loaded (scripts/lazy-index.js): ${rel}\n${getters.join('\n')}`);
  console.log(`lazy-index: ${rel} -> ${getters.length} lazy exports from ${leavesOf(rel).length} file(s)`);
}
fs.writeFileSync(indexPath, index);
