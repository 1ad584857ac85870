/**
 * The repository settings of the example, as a cdktf app (`cdktf synth` / `cdktf deploy` in this folder).
 * It reads the pipeline manifest that `npx projen` writes next to the workflows, so the required checks,
 * the allowed actions and the environments are those of the generated workflows: nothing is typed twice.
 * The GitHub token is read by the provider from GITHUB_TOKEN at plan/apply time, never here.
 */
import { join } from 'node:path';
import { GithubRepositorySettingsStack, PipelineManifestFile } from 'cdk-dockyard';
import { App, LocalBackend } from 'cdktf';

const app = new App();
const stack = new GithubRepositorySettingsStack(app, 'repository-settings', {
  owner: 'acme',
  repository: 'django-app',
  manifest: PipelineManifestFile.read(join(__dirname, '..', '.github', 'dockyard-pipeline.json')),
});
// a relative state path keeps the synthesized JSON identical on every machine
new LocalBackend(stack, { path: 'terraform.tfstate' });
app.synth();
