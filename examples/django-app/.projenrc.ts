/**
 * The bundled example: a small Django project whose whole container pipeline is described
 * with cdk-dockyard. It uses the library only through its public entry point: 'cdk-dockyard'
 * resolves to this checkout's build (the package's "exports" self-reference, see README).
 *
 *   npm run example        # from the repository root: builds the library, then runs this file
 *
 * It writes the production and development Dockerfiles (with their ignore files and docs),
 * the GHCR publish workflow (with its docs) and the pipeline manifest that the cdktf app
 * in infra/ reads to configure the repository (branch rules, actions policy, environments).
 */
import {
  DependencyManifest, GhcrPublishWorkflow, PythonAppDockerfile, PythonDevDockerfile, PythonFramework, RepositorySettingsApp, RepositoryVisibility,
  SystemPackages,
} from 'cdk-dockyard';
import { Project, github } from 'projen';
import { ProjenrcTs } from 'projen/lib/typescript';

const project = new Project({
  name: 'django-app',
  // the drift test synthesizes into a temporary directory and compares with the committed files
  outdir: process.env.DOCKYARD_EXAMPLE_OUTDIR,
});
const projenrc = new ProjenrcTs(project);
// Node16 resolution lets 'cdk-dockyard' resolve to this checkout's package (its "exports" self-reference)
projenrc.tsconfig.file.addOverride('compilerOptions', {
  module: 'node16', target: 'ES2022', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'],
});
new github.GitHub(project, { mergify: false, pullRequestLint: true });
// infra/: the cdktf repository-settings app (cdktf.json, main.ts, settings:synth|diff|deploy tasks, state ignored)
const settingsApp = new RepositorySettingsApp(project, { owner: 'acme', repository: 'django-app' });

const framework = PythonFramework.django('mysite');
const dependencies = DependencyManifest.requirements({ devFiles: ['requirements-dev.txt'] });

// docker/Dockerfile.prod: base (Python 3.11 Alpine) -> dependencies (wheels) -> final (non-root, gunicorn)
const prod = new PythonAppDockerfile(project, 'Prod', {
  framework,
  dependencies,
  buildPackages: SystemPackages.apk(['build-base', 'libffi-dev']),
  collectStatic: true,
});
// every stage stays reachable: add to any of them
prod.final.label('org.opencontainers.image.title', 'django-app');

// docker/Dockerfile.dev: dev dependencies, source bind-mounted, Django's dev server
new PythonDevDockerfile(project, 'Dev', { framework, dependencies });

// .github/workflows/container-publish.yml, .github/container-publish.md, .github/dockyard-pipeline.json
new GhcrPublishWorkflow(project, {
  dockerfile: prod.dockerfile,
  // public: build provenance and an SBOM are attested; `npx projen verify:container-publish <image>@<digest>` checks them
  repositoryVisibility: RepositoryVisibility.PUBLIC,
  publishSemverTags: true,
  synthDrift: { cdktfApp: settingsApp.directory },
});

project.synth();

// print where each generated file went
for (const file of project.files) {
  console.log(`wrote ${file.absolutePath}`);
}
