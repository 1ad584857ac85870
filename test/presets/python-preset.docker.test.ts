/**
 * The Python presets proven with a real Docker engine: the Debian-family production preset builds the
 * sample app (test/fixtures/python-app, whose dependency is a local pure-Python package), runs as the
 * non-root UID, answers HTTP and goes healthy, carries no compiler and no wheel in any layer, is much
 * smaller than a single-stage build, and rebuilds from cache after a source change. Every variant passes
 * Docker's own linter (`docker build --check`). Timings are printed here and held to their target in
 * bench/python-preset.ts (speed targets live in benchmarks).
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import {
  buildWheelhouse, imageSize, layerContents, presetContext, progressSteps, runName, SampleContext, samplePreset,
  singleStageContext, timedBuild, touchSource, waitHealthy, writeContext,
} from './python-e2e';
import {
  BaseImage, DependencyManifest, PythonAppDockerfile, PythonDevDockerfile, PythonFramework, PythonOsFamily, SystemPackages,
} from '../../src';
import { buildCheck, describeWithDocker, docker, dockerOk } from '../support/docker';

const UID = '10001';
const SLOW = 900_000;

function run(image: string, entrypoint: string, args: string[], extra: string[] = []): string {
  return dockerOk(['run', '--rm', '--network=none', ...extra, '--entrypoint', entrypoint, image, ...args], { timeoutMs: 120_000 });
}

/** Exit status of a python3 program in the image (as its runtime user). */
function pythonStatus(image: string, program: string): number | null {
  return docker(['run', '--rm', '--network=none', '--entrypoint', 'python3', image, '-c', program], { timeoutMs: 120_000 }).status;
}

const COMPILERS = ['gcc', 'cc', 'gcc-12', 'x86_64-linux-gnu-gcc-12', 'c99', 'ld'];
const FIND_COMPILERS = `import shutil; print(" ".join(c for c in ${JSON.stringify(COMPILERS)} if shutil.which(c)))`;

describeWithDocker('Python presets built and run by a real Docker engine', () => {
  const tag = runName('dockyard-pyapp');
  const images = { prod: `${tag}-prod:1`, prod2: `${tag}-prod:2`, deps: `${tag}-deps:1`, single: `${tag}-single:1`, dev: `${tag}-dev:1` };
  const containers: string[] = [];
  const dirs: string[] = [];
  let prod: SampleContext;
  let cold: { ms: number };
  let rebuild: { ms: number; log: string };
  const version = `v${process.pid}.${Date.now()}`;

  beforeAll(() => {
    prod = presetContext(samplePreset({ kind: 'prod', family: 'debian' }));
    dirs.push(prod.dir);
    // files the Python ignore file must keep out of the image
    mkdirSync(join(prod.dir, 'sampleapp', '__pycache__'));
    writeFileSync(join(prod.dir, 'sampleapp', '__pycache__', 'wsgi.cpython-311.pyc'), 'bytecode');
    writeFileSync(join(prod.dir, '.env'), 'SECRET_KEY=do-not-ship\n');
    writeFileSync(join(prod.dir, 'db.sqlite3'), 'local database');
    mkdirSync(join(prod.dir, 'media'));
    writeFileSync(join(prod.dir, 'media', 'upload.txt'), 'user upload');
    mkdirSync(join(prod.dir, '.venv'));
    writeFileSync(join(prod.dir, '.venv', 'pyvenv.cfg'), 'home = /usr/bin');

    cold = timedBuild(prod, images.prod, ['--no-cache']);
    timedBuild(prod, images.deps, ['--target', 'dependencies']);
    const single = singleStageContext();
    dirs.push(single.dir);
    timedBuild(single, images.single);
    // a version no earlier run built, so the COPY cannot come from an older cache entry
    touchSource(prod, version);
    rebuild = timedBuild(prod, images.prod2);
  }, SLOW);

  afterAll(() => {
    if (containers.length) docker(['rm', '-f', ...containers]);
    docker(['rmi', '-f', ...Object.values(images)]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('the container runs as the fixed non-root UID/GID', () => {
    const config = JSON.parse(dockerOk(['image', 'inspect', '--format', '{{json .Config}}', images.prod]));
    expect(config.User).toBe(`${UID}:${UID}`);
    expect(run(images.prod, 'id', ['-u']).trim()).toBe(UID);
    expect(run(images.prod, 'id', ['-g']).trim()).toBe(UID);
    expect(run(images.prod, 'id', ['-un']).trim()).toBe('app');
    expect(config.Cmd).toEqual(['python3', '-m', 'sampleapp.serve']);
    expect(Object.keys(config.ExposedPorts)).toEqual(['8000/tcp']);
    // the venv's python3 is first on PATH
    expect(run(images.prod, 'python3', ['-c', 'import sys; print(sys.prefix)']).trim()).toBe('/opt/venv');
  });

  test('the app answers HTTP from inside the container and the python3 health check goes healthy', () => {
    const name = runName('dockyard-pyapp-run');
    containers.push(name);
    dockerOk(['run', '-d', '--name', name, images.prod]);
    expect(waitHealthy(name)).toBe('healthy');
    const body = dockerOk(['exec', name, 'python3', '-c', 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:8000/").read().decode(), end="")']);
    expect(body).toBe('Hello, dockyard! version=1 uid=10001\n');
  });

  test('no compiler in the final image (the single-stage baseline has them, so the probe can see them)', () => {
    expect(run(images.prod, 'python3', ['-c', FIND_COMPILERS]).trim()).toBe('');
    expect(run(images.single, 'python3', ['-c', FIND_COMPILERS]).trim().split(' ')).toEqual(expect.arrayContaining(['gcc', 'cc']));
    const layers = layerContents(images.prod).flat();
    expect(layers.filter(p => /^usr\/(?:local\/)?bin\/(?:gcc|cc)(?:-\d+)?$/.test(p))).toEqual([]);
  });

  test('no wheel file in any layer the preset adds; the only .whl files are the base image\'s own (ensurepip\'s), and the dependencies stage has ours', () => {
    const norm = (p: string) => p.replace(/^\.\//, '');
    const wheels = (layers: string[][]) => layers.flat().map(norm).filter(p => p.endsWith('.whl')).sort();
    const baseLayers = layerContents('python:3.11-slim-bookworm');
    const layers = layerContents(images.prod);
    // the final image is the base image's layers plus the preset's
    expect(layers.slice(0, baseLayers.length).map(l => l.map(norm).sort())).toEqual(baseLayers.map(l => l.map(norm).sort()));
    const added = layers.slice(baseLayers.length);
    expect(added.length).toBeGreaterThanOrEqual(3);
    expect(wheels(added)).toEqual([]);
    expect(wheels(layers)).toEqual(wheels(baseLayers));
    // the wheel was installed: its package is in the venv
    expect(added.flat().map(norm)).toEqual(expect.arrayContaining(['opt/venv/lib/python3.11/site-packages/greeting/__init__.py']));
    // positive control: the scan sees a wheel where there is one
    expect(layerContents(images.deps).flat().map(norm)).toEqual(expect.arrayContaining(['wheels/greeting-1.0.0-py3-none-any.whl']));
  });

  test('the Python ignore file keeps bytecode, .env, databases, uploads and virtualenvs out of the image', () => {
    const listing = run(images.prod, 'find', ['/app', '-mindepth', '1']).trim().split('\n').sort();
    expect(listing).toEqual([
      '/app/Pipfile.lock', '/app/README.md', '/app/docker', '/app/manage.py', '/app/pyproject.toml', '/app/requirements-dev.txt', '/app/requirements.txt',
      '/app/sampleapp', '/app/sampleapp/__init__.py', '/app/sampleapp/serve.py', '/app/sampleapp/settings.py',
      '/app/sampleapp/static', '/app/sampleapp/static/sampleapp', '/app/sampleapp/static/sampleapp/site.css', '/app/sampleapp/wsgi.py',
      '/app/vendor', '/app/vendor/devhelper', '/app/vendor/devhelper/devhelper', '/app/vendor/devhelper/devhelper/__init__.py',
      '/app/vendor/devhelper/pyproject.toml', '/app/vendor/greeting', '/app/vendor/greeting/greeting',
      '/app/vendor/greeting/greeting/__init__.py', '/app/vendor/greeting/pyproject.toml',
    ]);
    // the source is root's, read-only to the runtime user (python-hardening.docker.test.ts proves what it cannot do)
    expect(run(images.prod, 'stat', ['-c', '%u:%g %a', '/app', '/app/sampleapp/wsgi.py']).trim().split('\n')).toEqual(['0:0 755', '0:0 644']);
  });

  test('size: the final image is at most half of the single-stage build with the same build packages', () => {
    const final = imageSize(images.prod);
    const single = imageSize(images.single);
    const base = imageSize('python:3.11-slim-bookworm');
    const ratio = final / single;
    console.log(`python preset size: final ${(final / 1e6).toFixed(1)} MB, single-stage ${(single / 1e6).toFixed(1)} MB, base image ${(base / 1e6).toFixed(1)} MB, ratio ${ratio.toFixed(3)} (target <= 0.5)`);
    expect(ratio).toBeLessThanOrEqual(0.5);
  });

  test('cache: after a source-only change every base and dependency layer (and the venv install) is CACHED; only the source COPY reruns', () => {
    const steps = progressSteps(rebuild.log);
    expect(steps.map(s => s.stage)).toEqual(expect.arrayContaining(['base', 'dependencies', 'final']));
    const rerun = steps.filter(s => !s.cached);
    expect(rerun.map(s => `${s.stage}: ${s.instruction}`)).toEqual(['final: COPY --chmod=u=rwX,go=rX . /app/']);
    expect(steps.filter(s => s.stage === 'dependencies').map(s => s.instruction)).toEqual(expect.arrayContaining([
      expect.stringContaining('apt-get install -y --no-install-recommends gcc libc6-dev python3-dev'),
      expect.stringContaining('python3 -m pip wheel --wheel-dir /wheels'),
    ]));
    // the change reached the image
    expect(run(images.prod2, 'python3', ['-c', 'import sampleapp.wsgi as w; print(w.APP_VERSION)']).trim()).toBe(version);
    console.log(`python preset rebuild: cold ${(cold.ms / 1000).toFixed(1)} s, source-only rebuild ${(rebuild.ms / 1000).toFixed(1)} s, ratio ${(rebuild.ms / cold.ms).toFixed(3)} (target <= 0.2, held in bench/python-preset.ts)`);
  });

  test('development image: dev dependencies installed, source bind-mounted, dev server answers as the non-root user', () => {
    const dev = presetContext(samplePreset({ kind: 'dev', family: 'debian' }));
    dirs.push(dev.dir);
    chmodSync(dev.dir, 0o755); // a temporary directory is 0700: let UID 10001 read the mounted source
    timedBuild(dev, images.dev);
    expect(pythonStatus(images.dev, 'import devhelper, greeting')).toBe(0);
    expect(pythonStatus(images.prod, 'import greeting')).toBe(0);
    expect(pythonStatus(images.prod, 'import devhelper')).not.toBe(0);
    // nothing of the source is in the dev image: it comes from the bind mount
    expect(run(images.dev, 'find', ['/app', '-mindepth', '1'])).toBe('');
    const name = runName('dockyard-pyapp-dev');
    containers.push(name);
    dockerOk(['run', '-d', '--name', name, '-v', `${dev.dir}:/app:ro`, images.dev]);
    let body = '';
    for (let i = 0; i < 40 && !body; i++) {
      const r = docker(['exec', name, 'python3', '-c', 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:8000/").read().decode(), end="")']);
      if (r.status === 0) body = r.stdout;
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
    expect({ body, logs: body ? '' : docker(['logs', name]).stderr }).toEqual({ body: 'Hello, dockyard! version=1 uid=10001\n', logs: '' });
  }, SLOW);

  test.each([['pyproject'], ['pipfile']] as const)('the %s manifest builds for real: production gets the runtime dependency, development the dev one too', (manifest) => {
    const built: string[] = [];
    for (const kind of ['prod', 'dev'] as const) {
      const ctx = presetContext(samplePreset({ kind, family: 'debian', manifest }));
      dirs.push(ctx.dir);
      if (manifest === 'pipfile') buildWheelhouse(ctx);
      const image = `${tag}-${manifest}-${kind}:1`;
      built.push(image);
      try {
        timedBuild(ctx, image);
        expect(pythonStatus(image, 'import greeting')).toBe(0);
        expect(pythonStatus(image, 'import devhelper')).toBe(kind === 'dev' ? 0 : 1);
      } finally {
        docker(['rmi', '-f', image]);
      }
    }
    expect(built).toHaveLength(2);
  }, SLOW);

  describe('docker build --check (BuildKit build checks, Docker\'s own linter) finds no warnings', () => {
    const variants: Array<[string, () => PythonAppDockerfile | PythonDevDockerfile]> = [];
    for (const kind of ['prod', 'dev'] as const) {
      for (const family of ['debian', 'alpine'] as const) {
        for (const manifest of ['requirements', 'pyproject', 'pipfile'] as const) {
          variants.push([`sample ${kind} ${family} ${manifest}`, () => samplePreset({ kind, family, manifest })]);
        }
      }
    }
    const scope = () => new Construct(undefined as unknown as Construct, 'Check');
    variants.push(['Django defaults (Alpine, gunicorn, collectstatic, labels)', () => new PythonAppDockerfile(scope(), 'Django', {
      framework: PythonFramework.django('mysite'),
      buildPackages: SystemPackages.apk(['gcc', 'musl-dev', 'postgresql-dev']),
      runtimePackages: SystemPackages.apk(['libpq']),
      collectStatic: true,
      labels: { 'org.opencontainers.image.title': 'mysite' },
    })]);
    variants.push(['Django development (Debian, separate build image, ASGI)', () => new PythonDevDockerfile(scope(), 'Asgi', {
      osFamily: PythonOsFamily.DEBIAN_SLIM,
      framework: PythonFramework.asgi('main:app'),
      buildImage: BaseImage.fromRegistry('python:3.11-bookworm'),
      dependencies: DependencyManifest.requirements({ files: ['requirements.txt'], devFiles: ['requirements-dev.txt'] }),
      entrypoint: ['python3', '-X', 'dev'],
    })]);

    test.each(variants)('%s', (_name, make) => {
      const preset = make();
      const ctx = writeContext(preset.dockerfile, preset.render(), preset.renderIgnore());
      dirs.push(ctx.dir);
      const r = buildCheck(ctx.dir, ctx.dockerfile);
      expect({ status: r.status, verdict: r.stdout.trim(), warnings: r.stderr.split('\n').filter(l => l.startsWith('WARNING')) })
        .toEqual({ status: 0, verdict: 'Check complete, no warnings found.', warnings: [] });
    });
  });
});
