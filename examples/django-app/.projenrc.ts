/**
 * The bundled example: a small Django project whose container pipeline is
 * described with cdk-dockyard. It uses the library only through its public
 * entry point ('cdk-dockyard' resolves to this checkout's build, see README).
 *
 *   npm run example        # from the repository root: builds the library, then runs this file
 */
import { BaseImage, HealthCheck, MultiStageDockerfile, Port, RunMount } from 'cdk-dockyard';
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

// A production image built with the typed multi-stage model.
const prod = new MultiStageDockerfile(project, 'ProdDockerfile', { path: 'docker/Dockerfile.prod' });
prod.addArg('PYTHON_VERSION', '3.11', { description: 'Python version of the base image' });

const base = prod.addStage('base', { from: BaseImage.fromRegistry('python:${PYTHON_VERSION}-slim-bookworm') });
base.env('PYTHONDONTWRITEBYTECODE', '1', { description: 'Do not write .pyc files' })
  .env('PYTHONUNBUFFERED', '1', { description: 'Log straight to the container output' })
  .workdir('/app');

const deps = prod.addStage('deps', { from: BaseImage.fromStage(base) });
deps.copy(['requirements.txt'], './')
  .run('python3 -m pip wheel --wheel-dir /wheels -r requirements.txt', {
    mounts: [RunMount.cache({ target: '/root/.cache/pip', id: 'pip' })],
  });

const final = prod.addStage('final', { from: BaseImage.fromStage(base) });
final.run('groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid 10001 --no-create-home app')
  .run('python3 -m venv /opt/venv && /opt/venv/bin/pip install --no-index --find-links /wheels /wheels/*.whl', {
    mounts: [RunMount.bind({ from: deps, source: '/wheels', target: '/wheels' })],
  })
  .copy(['.'], '/app/', { chown: '10001:10001' })
  .user('10001', '10001')
  .expose(Port.tcp(8000))
  .healthcheck(HealthCheck.exec(['python3', '-c', "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/')"], { interval: '30s', timeout: '5s' }))
  .entrypoint(['/opt/venv/bin/gunicorn'])
  .cmd(['mysite.wsgi:application', '--bind', '0.0.0.0:8000']);

project.synth();

// print where each generated file went
for (const file of project.files) {
  console.log(`wrote ${file.absolutePath}`);
}
