import { VARIABLE_NAME } from '../core/docker-names';

/** Options of a GitHub App that opens the lock refresh pull requests. */
export interface LockRefreshAppOptions {
  /**
   * The repository (or organization) secret that holds the GitHub App's client ID (`Iv1.…`/`Iv23…`, on the app's
   * settings page; `actions/create-github-app-token` takes it in place of the deprecated app id).
   * @default "DOCKYARD_LOCK_APP_CLIENT_ID"
   */
  readonly clientIdSecret?: string;
  /**
   * The secret that holds the GitHub App's private key (the whole PEM file).
   * @default "DOCKYARD_LOCK_APP_PRIVATE_KEY"
   */
  readonly privateKeySecret?: string;
}

/**
 * Who opens the lock refresh pull request. Never the workflow's `GITHUB_TOKEN`: a pull request opened with it
 * triggers no workflow, so its required checks would never run, and the token would need write access.
 * Either a GitHub App (a short-lived installation token minted for the job with contents, pull-requests and
 * workflows write, through `actions/create-github-app-token`) or a fine-grained personal access token.
 */
export class LockRefreshAuth {
  /** A GitHub App installed on the repository, with Contents, Pull requests and Workflows read and write permissions. */
  public static githubApp(options: LockRefreshAppOptions = {}): LockRefreshAuth {
    return new LockRefreshAuth('github-app', [
      options.clientIdSecret ?? 'DOCKYARD_LOCK_APP_CLIENT_ID',
      options.privateKeySecret ?? 'DOCKYARD_LOCK_APP_PRIVATE_KEY',
    ]);
  }

  /**
   * A fine-grained personal access token in a secret, limited to this repository, with Contents, Pull requests
   * and Workflows read and write permissions.
   * @param secret the secret's name @default "DOCKYARD_LOCK_TOKEN"
   */
  public static token(secret?: string): LockRefreshAuth {
    return new LockRefreshAuth('token', [secret ?? 'DOCKYARD_LOCK_TOKEN']);
  }

  /** `github-app` or `token`. */
  public readonly kind: string;
  /** The secrets the workflow reads: the client ID and private key of the app, or the token. */
  public readonly secrets: string[];

  private constructor(kind: string, secrets: string[]) {
    this.kind = kind;
    this.secrets = secrets;
  }

  /** @internal */
  public _problems(what: string): string[] {
    const problems: string[] = [];
    for (const secret of this.secrets) {
      if (typeof secret !== 'string' || !VARIABLE_NAME.test(secret)) {
        problems.push(`${what} secret ${JSON.stringify(secret)} is not a secret name; use letters, digits and "_", not starting with a digit (e.g. "DOCKYARD_LOCK_TOKEN")`);
      } else if (secret.toUpperCase().startsWith('GITHUB_')) {
        problems.push(`${what} secret ${JSON.stringify(secret)} cannot be a repository secret (the GITHUB_ prefix is reserved, and GITHUB_TOKEN's pull requests trigger no checks); use e.g. "DOCKYARD_LOCK_TOKEN"`);
      }
    }
    return problems;
  }
}
