import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { LocalBackend, TerraformBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { GithubRepositorySettings, type GithubRepositorySettingsOptions } from './github-repository-settings';
import { relativeStatePath } from './state-path';

/**
 * A stack with the GitHub provider (configured with the owner only) and a
 * `GithubRepositorySettings`. The provider reads its token from the
 * `GITHUB_TOKEN` environment variable at plan and apply time; nothing reads
 * a token at synth time, so the synthesized JSON holds no secret and can be
 * committed.
 *
 * Unless a backend is added to the stack (e.g. `new S3Backend(stack, ...)`),
 * the state is local, in `terraform.<stack id>.tfstate` beside the cdktf app
 * (the directory of `cdktf.json`), written as a path relative to the stack's
 * working directory (`cdktf.out/stacks/<stack id>`): the synthesized JSON is
 * the same on every machine, and the state stays out of `cdktf.out`, which is
 * committed. Ignore `*.tfstate*` in git.
 */
export class GithubRepositorySettingsStack extends TerraformStack {
  /** The GitHub provider. */
  public readonly provider: GithubProvider;
  /** The repository settings. */
  public readonly settings: GithubRepositorySettings;

  constructor(scope: Construct, id: string, options: GithubRepositorySettingsOptions) {
    super(scope, id);
    this.provider = new GithubProvider(this, 'github', { owner: options.owner });
    this.settings = new GithubRepositorySettings(this, 'settings', options);
  }

  /**
   * The stack's backend: the first one added to the stack, else a local backend with a relative path
   * (cdktf's own default is an absolute path of the machine that synthesized).
   */
  public ensureBackendExists(): TerraformBackend {
    const backend = this.node.findAll().find((c): c is TerraformBackend => TerraformBackend.isBackend(c));
    return backend ?? new LocalBackend(this, { path: relativeStatePath(this) });
  }
}
