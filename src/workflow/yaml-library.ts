import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
// type-only at load time: the YAML library is required on first use
import type * as Yaml from 'yaml';

let library: typeof Yaml | undefined;

/**
 * The `yaml` library, loaded on first use. projen bundles its own copy of `yaml` and has loaded it by the
 * time a workflow renders: when that copy is exactly the version cdk-dockyard bundles (the same code, so
 * the same output), it is reused instead of loading and compiling a second copy (about 20–35 ms of a cold
 * `npx projen`, measured in bench/loading.ts). Otherwise, cdk-dockyard's own copy.
 * @internal
 */
export function yamlLibrary(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  library ??= projensCopy() ?? require('yaml') as typeof Yaml;
  return library;
}

function projensCopy(): typeof Yaml | undefined {
  try {
    const projenDir = dirname(require.resolve('projen/package.json'));
    const manifest = require.resolve('yaml/package.json', { paths: [projenDir] });
    const main = require.resolve('yaml', { paths: [projenDir] });
    const loaded = require.cache[main];
    if (loaded === undefined || manifest === require.resolve('yaml/package.json')) return undefined;
    const version = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown }).version;
    return version(manifest) === version(require.resolve('yaml/package.json')) ? loaded.exports as typeof Yaml : undefined;
  } catch {
    return undefined; // an installation without projen next to us, or an unusual layout: our own copy
  }
}
