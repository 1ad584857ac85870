/**
 * `cdktf` and `@cdktf/provider-github` are optional peer dependencies: npm does not install them, and a
 * `.projenrc.ts` that only writes Dockerfiles and workflows never loads them (lib/index.js loads this
 * module lazily, the first time a repository-settings export is read). This guard runs first when the
 * module is loaded, so a missing package is reported by name with the command that installs it, instead
 * of as a bare MODULE_NOT_FOUND from inside the module.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

/** The peer versions this build supports, from cdk-dockyard's own package.json (one source). */
function peerVersions(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf-8')).peerDependencies ?? {};
  } catch {
    return {};
  }
}

function installed(name: string): boolean {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

const missing = ['cdktf', '@cdktf/provider-github'].filter(name => !installed(name));
if (missing.length > 0) {
  const peers = peerVersions();
  const spec = (name: string, peer = name) => (peers[peer] ? `${name}@${peers[peer]}` : name);
  throw new Error(
    `cdk-dockyard: GithubRepositorySettings and GithubRepositorySettingsStack need ${missing.join(' and ')}, `
    + `optional peer dependenc${missing.length > 1 ? 'ies' : 'y'} that ${missing.length > 1 ? 'are' : 'is'} not installed `
    + '(npm does not install optional peers). Install them where your cdktf app runs: '
    + `npm install --save-dev ${spec('cdktf')} ${spec('cdktf-cli', 'cdktf')} ${spec('@cdktf/provider-github')} `
    + '(RepositorySettingsApp adds them to a Node project for you). A .projenrc.ts that only writes Dockerfiles and '
    + 'workflows does not need them.',
  );
}
