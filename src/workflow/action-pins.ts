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
  /** When the tag was read, if recorded. */
  readonly tagged?: string;
  /** The inputs of its action.yml; undefined when not recorded (the pin then comes from projen's ActionRefs). */
  readonly inputs?: readonly string[];
  /** Where the row comes from, when not from the action's own repository. */
  readonly source?: string;
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
  'actions/setup-python': {
    version: 'v7.0.0',
    sha: '5fda3b95a4ea91299a34e894583c3862153e4b97',
    tagged: '2026-07-19',
    inputs: ['python-version', 'python-version-file', 'cache', 'architecture', 'check-latest', 'token',
      'cache-dependency-path', 'update-environment', 'allow-prereleases', 'freethreaded', 'pip-version'],
  },
  'actions/upload-artifact': {
    version: 'v7.0.1',
    sha: '043fb46d1a93c77aae656e7c1c64a875d1fc6a0a',
    inputs: ['name', 'path', 'if-no-files-found', 'retention-days', 'compression-level', 'overwrite',
      'include-hidden-files', 'archive'],
  },
  'actions/download-artifact': {
    version: 'v8.0.1',
    sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c',
    tagged: '2026-03-11',
    inputs: ['name', 'artifact-ids', 'path', 'pattern', 'merge-multiple', 'github-token', 'repository', 'run-id',
      'skip-decompress', 'digest-mismatch'],
  },
  'peter-evans/create-pull-request': {
    version: 'v8.1.1',
    sha: '5f6978faf089d4d20b00c7766989d076bb2fc7f1',
    tagged: '2026-04-10',
    inputs: ['token', 'branch-token', 'path', 'add-paths', 'commit-message', 'committer', 'author', 'signoff',
      'branch', 'delete-branch', 'branch-suffix', 'base', 'push-to-fork', 'sign-commits', 'title', 'body',
      'body-path', 'labels', 'assignees', 'reviewers', 'team-reviewers', 'milestone', 'draft',
      'maintainer-can-modify'],
  },
  // The GitHub App token of the lock refresh workflow (src/workflow/lock-refresh-workflow.ts). Read with the lock's
  // own resolver (src/lock/action-resolver.ts) from a snapshot of github.com/actions/create-github-app-token: its
  // newest release tag there, v3.1.1 (a lightweight tag on the default branch), and the inputs of action.yml at that
  // commit. projen's github.ActionRefs names v3.2.0, but by tag only, with no commit to cite.
  'actions/create-github-app-token': {
    version: 'v3.1.1',
    sha: '1b10c78c7865c340bc4f6099eb2f838309f1e8c3',
    tagged: '2026-04-11',
    inputs: [
      'app-id', 'client-id', 'github-api-url', 'owner', 'permission-actions', 'permission-administration',
      'permission-artifact-metadata', 'permission-attestations', 'permission-checks', 'permission-codespaces',
      'permission-contents', 'permission-custom-properties-for-organizations', 'permission-dependabot-secrets',
      'permission-deployments', 'permission-discussions', 'permission-email-addresses',
      'permission-enterprise-custom-properties-for-organizations', 'permission-environments', 'permission-followers',
      'permission-git-ssh-keys', 'permission-gpg-keys', 'permission-interaction-limits', 'permission-issues',
      'permission-members', 'permission-merge-queues', 'permission-metadata',
      'permission-organization-administration', 'permission-organization-announcement-banners',
      'permission-organization-copilot-seat-management', 'permission-organization-custom-org-roles',
      'permission-organization-custom-properties', 'permission-organization-custom-roles',
      'permission-organization-events', 'permission-organization-hooks', 'permission-organization-packages',
      'permission-organization-personal-access-token-requests', 'permission-organization-personal-access-tokens',
      'permission-organization-plan', 'permission-organization-projects', 'permission-organization-secrets',
      'permission-organization-self-hosted-runners', 'permission-organization-user-blocking', 'permission-packages',
      'permission-pages', 'permission-profile', 'permission-pull-requests',
      'permission-repository-custom-properties', 'permission-repository-hooks', 'permission-repository-projects',
      'permission-secret-scanning-alerts', 'permission-secrets', 'permission-security-events',
      'permission-single-file', 'permission-starring', 'permission-statuses', 'permission-team-discussions',
      'permission-vulnerability-alerts', 'permission-workflows', 'private-key', 'repositories', 'skip-token-revoke',
    ],
  },
  // projen's pull-request-lint pins it itself (github.ActionRefs.AMANNN_ACTION_SEMANTIC_PULL_REQUEST, documented
  // there "at v6.1.1"); the row gives that pin its version comment. test/workflow/pin-table.test.ts checks both against projen.
  'amannn/action-semantic-pull-request': {
    version: 'v6.1.1',
    sha: '48f256284bd46cdaab1048c3721360e808335d50',
    source: 'projen github.ActionRefs',
  },
};
