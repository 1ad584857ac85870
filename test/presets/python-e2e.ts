/**
 * Shared by the Python preset's Docker suite and its benchmark (bench/python-preset.ts): the sample
 * application's presets, a single-stage baseline, builds with BuildKit's plain progress output, and
 * readers of what the engine reports (progress steps, image sizes, the files of every layer).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Construct } from 'constructs';
import {
  BaseImage, DependencyManifest, MultiStageDockerfile, PythonAppDockerfile, PythonAppDockerfileOptions, PythonDevDockerfile,
  PythonFramework, PythonOsFamily, RunNetwork, SystemPackages,
} from '../../src';
import { docker, dockerOk, tempDir } from '../support/docker';

export const FIXTURE = join(__dirname, '..', 'fixtures', 'python-app');

/** Build packages of a typical Django stack with C extensions (psycopg2, cffi...): a compiler, libc and Python headers. */
export const DEBIAN_BUILD_PACKAGES = ['gcc', 'libc6-dev', 'python3-dev'];
export const ALPINE_BUILD_PACKAGES = ['gcc', 'musl-dev', 'libffi-dev'];

/** Which preset: production or development, Debian or Alpine, which manifest. */
export interface SampleVariant {
  readonly kind: 'prod' | 'dev';
  readonly family: 'debian' | 'alpine';
  readonly manifest?: 'requirements' | 'pyproject' | 'pipfile';
}

function root(): Construct {
  return new Construct(undefined as unknown as Construct, 'Sample');
}

/** The preset configured for the sample app: wsgiref instead of gunicorn, offline pip, apt over the host network. */
export function samplePreset(variant: SampleVariant, extra: PythonAppDockerfileOptions = {}): PythonAppDockerfile | PythonDevDockerfile {
  const debian = variant.family === 'debian';
  const manifest = variant.manifest ?? 'requirements';
  const options: PythonAppDockerfileOptions = {
    osFamily: debian ? PythonOsFamily.DEBIAN_SLIM : PythonOsFamily.ALPINE,
    framework: PythonFramework.wsgi('sampleapp.wsgi:application'),
    // gunicorn is not available offline: the sample serves itself with wsgiref
    command: ['python3', '-m', 'sampleapp.serve'],
    buildPackages: debian ? SystemPackages.apt(DEBIAN_BUILD_PACKAGES) : SystemPackages.apk(ALPINE_BUILD_PACKAGES),
    // the build runs with --network=none; only the package steps reach the mirror
    packageNetwork: RunNetwork.HOST,
    dependencies: manifest === 'pyproject' ? DependencyManifest.pyproject()
      : manifest === 'pipfile' ? DependencyManifest.pipfileLock()
        : DependencyManifest.requirements({ devFiles: ['requirements-dev.txt'] }),
    dependencyFiles: manifest === 'pipfile' ? ['wheelhouse'] : ['vendor'],
    pipWheelArgs: manifest === 'pipfile' ? ['--no-index', '--find-links', 'wheelhouse'] : ['--no-index', '--no-build-isolation'],
    ...extra,
  };
  return variant.kind === 'prod' ? new PythonAppDockerfile(root(), 'App', options) : new PythonDevDockerfile(root(), 'Dev', options);
}

/** A build context: a copy of the sample app plus the preset's rendered files. */
export interface SampleContext {
  readonly dir: string;
  readonly dockerfile: string;
  readonly text: string;
}

/** Copies the sample app into a fresh directory and writes the Dockerfile and its ignore file where BuildKit reads them. */
export function writeContext(df: MultiStageDockerfile, text: string, ignore: string | undefined, dir = tempDir('dockyard-pyapp-')): SampleContext {
  cpSync(FIXTURE, dir, { recursive: true });
  const dockerfile = join(dir, df.path);
  mkdirSync(dirname(dockerfile), { recursive: true });
  writeFileSync(dockerfile, text);
  if (df.ignoreFilePath && ignore !== undefined) writeFileSync(join(dir, df.ignoreFilePath), ignore);
  return { dir, dockerfile, text };
}

/** Renders a preset into a fresh copy of the sample app. */
export function presetContext(preset: PythonAppDockerfile | PythonDevDockerfile): SampleContext {
  return writeContext(preset.dockerfile, preset.render(), preset.renderIgnore());
}

/**
 * The single-stage baseline, built with the same model: the same base image, environment, build packages
 * (gcc, libc6-dev, python3-dev via apt-get), non-root user and virtual environment, but the dependencies
 * are installed straight from requirements.txt in the image that keeps the compilers, as a one-stage
 * Dockerfile does. pip's cache is off (--no-cache-dir), so the difference is the build toolchain (and the
 * copied manifest), not a forgotten cache. The venv sees the system site-packages only so that the offline
 * `--no-build-isolation` build finds Debian's `wheel` package (the multi-stage build uses the system pip for that).
 */
export function singleStageContext(): SampleContext {
  const df = new MultiStageDockerfile(root(), 'SingleStage', { path: 'docker/Dockerfile.single' });
  df.addStage('app', { from: BaseImage.fromRegistry('python:3.11-slim-bookworm') })
    .env('PYTHONDONTWRITEBYTECODE', '1')
    .env('PYTHONUNBUFFERED', '1')
    .env('PIP_DISABLE_PIP_VERSION_CHECK', '1')
    .workdir('/app')
    .run(`apt-get update && apt-get install -y --no-install-recommends ${DEBIAN_BUILD_PACKAGES.join(' ')} && rm -rf /var/lib/apt/lists/*`, { network: RunNetwork.HOST })
    .run('groupadd --gid 10001 app && useradd --no-log-init --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin app && chown 10001:10001 /app')
    .copy(['requirements.txt'], './requirements.txt')
    .copy(['vendor'], './vendor')
    .run('python3 -m venv --system-site-packages /opt/venv && /opt/venv/bin/python -m pip install --no-cache-dir --no-index --no-build-isolation -r requirements.txt')
    .env('PATH', '/opt/venv/bin:${PATH}', { expandVariables: true })
    .copy(['.'], '/app/', { chown: '10001:10001' })
    .user('10001', '10001')
    .cmd(['python3', '-m', 'sampleapp.serve']);
  return writeContext(df, df.render(), df.renderIgnore());
}

/** Result of one build. */
export interface BuildRun {
  readonly ms: number;
  /** BuildKit's plain progress output (engine output). */
  readonly log: string;
}

/** `docker build` with plain progress, the default network off and the host network allowed for package steps. */
export function timedBuild(ctx: SampleContext, tag: string, extra: string[] = []): BuildRun {
  const started = process.hrtime.bigint();
  const r = docker(['build', '--progress=plain', '--network=none', '--allow', 'network.host', '-f', ctx.dockerfile, '-t', tag, ...extra, ctx.dir], { timeoutMs: 900_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`docker build of ${ctx.dockerfile} failed:\n${r.stderr.slice(-6000)}\n--- Dockerfile ---\n${ctx.text}`);
  return { ms, log: r.stderr };
}

/** One build step as BuildKit's plain progress reports it. */
export interface ProgressStep {
  readonly id: number;
  /** Stage name, e.g. `dependencies`. */
  readonly stage: string;
  /** The instruction, e.g. `RUN --mount=... python3 -m pip wheel ...`. */
  readonly instruction: string;
  readonly cached: boolean;
}

/**
 * Reads BuildKit's `--progress=plain` output: `#N [stage i/n] INSTRUCTION` names a step, `#N CACHED`
 * says its result came from the cache. Internal steps (`[internal] ...`) and FROM lines are left out.
 */
export function progressSteps(log: string): ProgressStep[] {
  const named = new Map<number, { stage: string; instruction: string }>();
  const cached = new Set<number>();
  for (const line of log.split('\n')) {
    const step = /^#(\d+) \[([a-z][a-z0-9._-]*) \d+\/\d+\] (.+)$/.exec(line);
    if (step && !named.has(Number(step[1]))) named.set(Number(step[1]), { stage: step[2], instruction: step[3] });
    const hit = /^#(\d+) CACHED$/.exec(line);
    if (hit) cached.add(Number(hit[1]));
  }
  return [...named.entries()]
    .filter(([, s]) => !s.instruction.startsWith('FROM '))
    .map(([id, s]) => ({ id, stage: s.stage, instruction: s.instruction, cached: cached.has(id) }));
}

/** Image size in bytes, as the engine reports it. */
export function imageSize(tag: string): number {
  return Number(dockerOk(['image', 'inspect', '--format', '{{.Size}}', tag]).trim());
}

/** The paths in every layer of an image (`docker save`, then each layer tar listed by tar itself), by layer. */
export function layerContents(tag: string): string[][] {
  const dir = tempDir('dockyard-save-');
  try {
    const archive = join(dir, 'image.tar');
    dockerOk(['save', '-o', archive, tag], { timeoutMs: 300_000 });
    const out = join(dir, 'x');
    mkdirSync(out);
    execFileSync('tar', ['-xf', archive, '-C', out]);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>;
    if (manifest.length !== 1 || manifest[0].Layers.length === 0) throw new Error(`unexpected docker save manifest: ${JSON.stringify(manifest)}`);
    return manifest[0].Layers.map(layer =>
      execFileSync('tar', ['-tf', join(out, layer)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\n').filter(Boolean));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes a change to application source only (the version the app reports). */
export function touchSource(ctx: SampleContext, version: string): void {
  const file = join(ctx.dir, 'sampleapp', 'wsgi.py');
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/^APP_VERSION = .*$/m, `APP_VERSION = ${JSON.stringify(version)}`);
  if (next === text) throw new Error('sampleapp/wsgi.py has no APP_VERSION line to change');
  writeFileSync(file, next);
}

/** Writes wheels of the local packages into `<ctx>/wheelhouse` with pip in the base image (for the Pipfile.lock variant). */
export function buildWheelhouse(ctx: SampleContext): void {
  dockerOk(['run', '--rm', '--network=none', '-v', `${ctx.dir}:/ctx`, 'python:3.11-slim-bookworm',
    'python3', '-m', 'pip', 'wheel', '--no-index', '--no-build-isolation', '--wheel-dir', '/ctx/wheelhouse',
    '/ctx/vendor/greeting', '/ctx/vendor/devhelper'], { timeoutMs: 120_000 });
  if (readdirSync(join(ctx.dir, 'wheelhouse')).filter(f => f.endsWith('.whl')).length !== 2) throw new Error('wheelhouse was not built');
}

/** Median of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A name unique to this run (image tags, container names). */
export function runName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}`;
}

/** Polls the container's health status until it is healthy or unhealthy (or the container stops), at most `timeoutMs`. */
export function waitHealthy(container: string, timeoutMs = 60_000): string {
  const deadline = Date.now() + timeoutMs;
  let status = 'unknown';
  while (Date.now() < deadline) {
    const out = dockerOk(['inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', container]).trim();
    const [state, health] = out.split(' ');
    status = state === 'running' ? health : `${state} (${health})`;
    if (health === 'healthy' || health === 'unhealthy' || state !== 'running') return status;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
  return status;
}
