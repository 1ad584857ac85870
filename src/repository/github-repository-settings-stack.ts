import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { GithubRepositorySettings, type GithubRepositorySettingsOptions } from './github-repository-settings';

/**
 * A stack with the GitHub provider (configured with the owner only) and a
 * `GithubRepositorySettings`. The provider reads its token from the
 * `GITHUB_TOKEN` environment variable at plan and apply time; nothing reads
 * a token at synth time, so the synthesized JSON holds no secret and can be
 * committed.
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
}
