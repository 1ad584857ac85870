/**
 * The second bundled example: a monorepo with two images published by ONE workflow.
 *
 *   npm run example        # from the repository root: builds the library, then runs this file (and the first example)
 *
 * - services/api: a Python WSGI service built with the production preset (Debian slim).
 * - services/worker: a worker built from typed stages on busybox.
 * Each image is built for linux/amd64 and linux/arm64, each platform as its own leg on a native runner
 * (ubuntu-24.04, ubuntu-24.04-arm), pushed by digest and merged into one tagged index per image. Path filters
 * (computed by a changes job, never in `on:`) rebuild only the image whose files changed; one aggregate job,
 * container-ready, is the required check, so the checks do not move as images and platforms change.
 * The cdktf app in infra/ reads the repository-wide manifest and requires container-ready and synth-drift.
 */
import {
  BaseImage, CopySource, GhcrPublishWorkflow, MultiStageDockerfile, PythonAppDockerfile, PythonFramework, PythonOsFamily,
  RepositorySettingsApp, RepositoryVisibility,
} from 'cdk-dockyard';
import { Project, github } from 'projen';
import { ProjenrcTs } from 'projen/lib/typescript';

const project = new Project({
  name: 'monorepo',
  // the drift test synthesizes into a temporary directory and compares with the committed files
  outdir: process.env.DOCKYARD_EXAMPLE_OUTDIR,
});
const projenrc = new ProjenrcTs(project);
// Node16 resolution lets 'cdk-dockyard' resolve to this checkout's package (its "exports" self-reference)
projenrc.tsconfig.file.addOverride('compilerOptions', {
  module: 'node16', target: 'ES2022', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'],
});
new github.GitHub(project, { mergify: false, pullRequestLint: true });
const settingsApp = new RepositorySettingsApp(project, { owner: 'acme', repository: 'monorepo' });

// services/api/Dockerfile: the Python preset (base -> dependencies -> final), context services/api
const api = new PythonAppDockerfile(project, 'Api', {
  path: 'services/api/Dockerfile',
  context: 'services/api',
  osFamily: PythonOsFamily.DEBIAN_SLIM,
  framework: PythonFramework.wsgi('app:application'),
});

// services/worker/Dockerfile: typed stages; the final stage takes only the checked script from the check stage
const worker = new MultiStageDockerfile(project, 'Worker', { path: 'services/worker/Dockerfile', context: 'services/worker' });
const check = worker.addStage('check', { from: BaseImage.fromRegistry('busybox:1.36') })
  .workdir('/src')
  .copy(['work.sh'], './')
  .run('sh -n work.sh');
worker.addStage('final', { from: BaseImage.fromRegistry('busybox:1.36') })
  .copy(['/src/work.sh'], '/usr/local/bin/work', { from: CopySource.stage(check), chmod: '0755' })
  .user('65534', '65534')
  .cmd(['/usr/local/bin/work']);

// one workflow, two images × two platforms
new GhcrPublishWorkflow(project, {
  images: [
    { name: 'api', dockerfile: api.dockerfile, platforms: ['linux/amd64', 'linux/arm64'], paths: ['services/api/*'] },
    { name: 'worker', dockerfile: worker, platforms: ['linux/amd64', 'linux/arm64'], paths: ['services/worker/*'] },
  ],
  // public: every image's index gets a build-provenance attestation and an SBOM
  repositoryVisibility: RepositoryVisibility.PUBLIC,
  synthDrift: { cdktfApp: settingsApp.directory },
});

project.synth();
