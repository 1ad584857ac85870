/**
 * The repository settings of the example, as a cdktf app (`cdktf synth` / `cdktf deploy` in this folder).
 * It reads the pipeline manifest that `npx projen` writes next to the workflows, so the required checks,
 * the allowed actions and the environments are those of the generated workflows: nothing is typed twice.
 * PipelineManifestFile.read() finds .github/dockyard-pipeline.json from this folder up to the repository root.
 * The state is local, in terraform.repository-settings.tfstate beside this file (a relative path in the
 * synthesized JSON, so it is the same on every machine); add a backend to the stack to keep it elsewhere.
 * The GitHub token is read by the provider from GITHUB_TOKEN at plan/apply time, never here.
 */
import { App } from 'cdktf';
import { GithubRepositorySettingsStack, PipelineManifestFile } from 'cdk-dockyard';

const app = new App();
new GithubRepositorySettingsStack(app, 'repository-settings', {
  owner: 'acme',
  repository: 'django-app',
  manifest: PipelineManifestFile.read(),
});
app.synth();
