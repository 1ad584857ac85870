/**
 * The one table of the actions the generated workflows use: the release tag this library
 * version pins, the commit that tag points to, and the inputs the action declares in its
 * `action.yml` at that commit (read from each action's own repository; see the `tagged` dates).
 * actionlint cannot check the `with:` keys of an action pinned by SHA, so tests compare every
 * `with:` key against these inputs. Refresh a row (tag, commit, inputs) to move a pin.
 * @internal
 */
export interface ShippedAction {
  readonly version: string;
  readonly sha: string;
  readonly tagged: string;
  readonly inputs: readonly string[];
}

/** @internal */
export const SHIPPED_ACTIONS: Readonly<Record<string, ShippedAction>> = {
  'actions/checkout': {
    version: 'v7.0.1',
    sha: '3d3c42e5aac5ba805825da76410c181273ba90b1',
    tagged: '2026-07-17',
    inputs: ['repository', 'ref', 'token', 'ssh-key', 'ssh-known-hosts', 'ssh-strict', 'ssh-user',
      'persist-credentials', 'path', 'clean', 'filter', 'sparse-checkout', 'sparse-checkout-cone-mode',
      'fetch-depth', 'fetch-tags', 'show-progress', 'lfs', 'submodules', 'set-safe-directory', 'github-server-url',
      'allow-unsafe-pr-checkout'],
  },
  'actions/setup-node': {
    version: 'v7.0.0',
    sha: '820762786026740c76f36085b0efc47a31fe5020',
    tagged: '2026-07-13',
    inputs: ['node-version', 'node-version-file', 'architecture', 'check-latest', 'registry-url', 'scope', 'token',
      'cache', 'package-manager-cache', 'cache-dependency-path', 'mirror', 'mirror-token'],
  },
  'actions/attest-build-provenance': {
    version: 'v4.1.0',
    sha: 'a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32',
    tagged: '2026-02-26',
    inputs: ['subject-path', 'subject-digest', 'subject-name', 'subject-checksums', 'predicate-type', 'predicate',
      'predicate-path', 'push-to-registry', 'create-storage-record', 'show-summary', 'github-token'],
  },
  'docker/setup-qemu-action': {
    version: 'v4.2.0',
    sha: '96fe6ef7f33517b61c61be40b68a1882f3264fb8',
    tagged: '2026-07-01',
    inputs: ['image', 'platforms', 'reset', 'cache-image'],
  },
  'docker/setup-buildx-action': {
    version: 'v4.3.0',
    sha: '37fe631027851001ddb9b187196cc803df7f5f0e',
    tagged: '2026-08-17',
    inputs: ['version', 'driver', 'driver-opts', 'buildkitd-flags', 'buildkitd-config', 'buildkitd-config-inline',
      'use', 'name', 'endpoint', 'platforms', 'append', 'keep-state', 'cache-binary', 'cleanup'],
  },
  'docker/login-action': {
    version: 'v4.1.0',
    sha: '4907a6ddec9925e35a0a9e82d7399ccc52663121',
    tagged: '2026-04-02',
    inputs: ['registry', 'username', 'password', 'ecr', 'scope', 'logout', 'registry-auth'],
  },
  'docker/metadata-action': {
    version: 'v6.2.0',
    sha: 'dc802804100637a589fabce1cb79ff13a1411302',
    tagged: '2026-07-02',
    inputs: ['context', 'images', 'tags', 'flavor', 'labels', 'annotations', 'sep-tags', 'sep-labels',
      'sep-annotations', 'bake-target', 'github-token'],
  },
  'docker/build-push-action': {
    version: 'v7.3.0',
    sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a',
    tagged: '2026-07-01',
    inputs: ['add-hosts', 'allow', 'annotations', 'attests', 'build-args', 'build-contexts', 'builder', 'cache-from',
      'cache-to', 'call', 'cgroup-parent', 'context', 'file', 'labels', 'load', 'network', 'no-cache',
      'no-cache-filters', 'outputs', 'platforms', 'provenance', 'pull', 'push', 'sbom', 'secrets', 'secret-envs',
      'secret-files', 'shm-size', 'ssh', 'tags', 'target', 'ulimit', 'github-token'],
  },
};
