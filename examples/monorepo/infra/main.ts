/**
 * The repository settings, as a cdktf app: `npx projen settings:synth` (also run by the synth-drift job),
 * `npx projen settings:diff`, `npx projen settings:deploy` (the GitHub provider reads GITHUB_TOKEN then).
 * PipelineManifestFile.read() finds .github/dockyard-pipeline.json, which `npx projen` writes, from here up
 * to the repository root. The state is local (terraform.repository-settings.tfstate here, ignored by git) unless you
 * add a backend to the stack, e.g. new S3Backend(stack, { ... }).
 */
import { App } from 'cdktf';
import { GithubRepositorySettingsStack, PipelineManifestFile } from 'cdk-dockyard';

const app = new App();
new GithubRepositorySettingsStack(app, 'repository-settings', {
  owner: 'acme',
  repository: 'monorepo',
  manifest: PipelineManifestFile.read(),
});
app.synth();
