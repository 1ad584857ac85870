import { SHIPPED_ACTIONS } from './action-pins';
import { actionNameProblem, FULL_SHA } from '../core/github-names';

/**
 * An action and the commit it is pinned to. Every `uses:` the library writes is
 * `owner/repo@<40-hex commit> # <version>`: the commit is what GitHub runs, the
 * version comment is what Dependabot and Renovate read to propose updates.
 *
 * The static members are the pins this library version ships (each the commit its
 * release tag pointed to); pass `ActionPin.of(...)` in `actionPins` to override one
 * or to pin an action the table does not know (e.g. one of projen's workflows uses).
 */
export class ActionPin {
  /** actions/checkout. */
  public static readonly CHECKOUT = ActionPin.shipped('actions/checkout');
  /** actions/setup-node (the synth-drift job; projen's own workflows use it too). */
  public static readonly SETUP_NODE = ActionPin.shipped('actions/setup-node');
  /** actions/attest-build-provenance. */
  public static readonly ATTEST_BUILD_PROVENANCE = ActionPin.shipped('actions/attest-build-provenance');
  /** docker/setup-qemu-action. */
  public static readonly SETUP_QEMU = ActionPin.shipped('docker/setup-qemu-action');
  /** docker/setup-buildx-action. */
  public static readonly SETUP_BUILDX = ActionPin.shipped('docker/setup-buildx-action');
  /** docker/login-action. */
  public static readonly LOGIN = ActionPin.shipped('docker/login-action');
  /** docker/metadata-action. */
  public static readonly METADATA = ActionPin.shipped('docker/metadata-action');
  /** docker/build-push-action. */
  public static readonly BUILD_PUSH = ActionPin.shipped('docker/build-push-action');
  /** actions/setup-python (projen's Python project workflows). */
  public static readonly SETUP_PYTHON = ActionPin.shipped('actions/setup-python');
  /** actions/upload-artifact (digests of multi-platform legs; projen's build workflow). */
  public static readonly UPLOAD_ARTIFACT = ActionPin.shipped('actions/upload-artifact');
  /** actions/download-artifact (digests of multi-platform legs; projen's build workflow). */
  public static readonly DOWNLOAD_ARTIFACT = ActionPin.shipped('actions/download-artifact');
  /** peter-evans/create-pull-request (projen's upgrade workflow; the lock refresh workflow). */
  public static readonly CREATE_PULL_REQUEST = ActionPin.shipped('peter-evans/create-pull-request');
  /** amannn/action-semantic-pull-request (projen's pull-request-lint workflow pins it; the row adds its version). */
  public static readonly SEMANTIC_PULL_REQUEST = ActionPin.shipped('amannn/action-semantic-pull-request');

  /**
   * A pin of your own: `action` is `owner/repo` (or `owner/repo/path`), `sha` the full 40-character
   * commit, `version` the tag it corresponds to (written as the `# version` comment).
   * Validated at synth time.
   */
  public static of(action: string, sha: string, version: string): ActionPin {
    return new ActionPin(action, sha, version);
  }

  /** The shipped pins, one per action of the table. */
  public static defaults(): ActionPin[] {
    return Object.keys(SHIPPED_ACTIONS).map(a => ActionPin.shipped(a));
  }

  private static shipped(action: string): ActionPin {
    const row = SHIPPED_ACTIONS[action];
    return new ActionPin(action, row.sha, row.version);
  }

  /** `owner/repo` or `owner/repo/path`. */
  public readonly action: string;
  /** The full commit SHA. */
  public readonly sha: string;
  /** The version (tag) the commit corresponds to, e.g. `v7.3.0`. */
  public readonly version: string;

  private constructor(action: string, sha: string, version: string) {
    this.action = action;
    this.sha = sha;
    this.version = version;
  }

  /** The `uses:` value: `owner/repo@sha`. */
  public get uses(): string {
    return `${this.action}@${this.sha}`;
  }

  /** @internal */
  public _problems(): string[] {
    const problems: string[] = [];
    const what = `action pin ${JSON.stringify(this.action)}`;
    if (actionNameProblem(this.action) !== undefined) {
      problems.push(`${what} is not an action name; use "owner/repo" or "owner/repo/path" (letters, digits, ".", "_", "-")`);
    }
    if (typeof this.sha !== 'string' || !FULL_SHA.test(this.sha)) {
      problems.push(`${what} is pinned to ${JSON.stringify(this.sha)}, which is not a full commit SHA; pass the 40-character lowercase hex commit the tag points to (\`git ls-remote https://github.com/${String(this.action).split('/').slice(0, 2).join('/')} refs/tags/${this.version}\`)`);
    }
    if (typeof this.version !== 'string' || !VERSION.test(this.version)) {
      problems.push(`${what} has version ${JSON.stringify(this.version)}; pass the release tag, e.g. "v7.3.0" (letters, digits, ".", "_", "+", "-")`);
    }
    return problems;
  }
}

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
