/**
 * A real Docker engine for end-to-end tests, chosen once per test file (see `selectEngine`):
 *
 * 1. `DOCKYARD_ENGINE_DIR` set: the engine `scripts/docker-engine.sh` unpacked and started in that directory
 *    (its own client, socket and DOCKER_CONFIG). `.ci/run` exports it, so CI always uses the unpacked engine.
 * 2. Otherwise a contributor's own engine, when one is configured: the first `docker` on PATH, if it has the
 *    buildx plugin (`docker buildx version`), talking to `DOCKER_HOST` (or its current context), if the engine
 *    answers and is Docker 28 or newer. A client without buildx is rejected, with the reason: the suites build
 *    with buildx (this machine's /usr/local/bin/docker is such a client).
 * 3. Otherwise the unpacked engine in its default directory, /var/tmp/cdk-dockyard-engine.
 *
 * When DOCKYARD_REQUIRE_DOCKER=1 (as `.ci/run` sets) a missing engine FAILS the suites; otherwise (a
 * contributor without an engine) the docker suites are reported as skipped, and the console says why and what to run.
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** The unpacked engine's default state directory (scripts/docker-engine.sh). */
export const DEFAULT_ENGINE_DIR = '/var/tmp/cdk-dockyard-engine';
/** The oldest engine the suites support (BuildKit checks, `COPY --chmod` symbolic modes, `--check`). */
export const MINIMUM_ENGINE_MAJOR = 28;

/** The engine the suites use: which client, with which environment. */
export interface DockerEngine {
  /** `installed`: the contributor's own engine; `unpacked`: the one of scripts/docker-engine.sh. */
  readonly kind: 'installed' | 'unpacked';
  /** The docker client (absolute path); it has buildx. */
  readonly client: string;
  /** Variables that point the client at the engine (on top of the process environment). */
  readonly env: NodeJS.ProcessEnv;
  /** The server version it answered with, e.g. "28.5.2". */
  readonly serverVersion: string;
  /** One line for logs: which engine and why. */
  readonly description: string;
}

/** The outcome of the selection: the engine, or why there is none (every candidate and its reason). */
export interface EngineSelection {
  readonly engine?: DockerEngine;
  /** Candidates that were tried and rejected, each with the reason. */
  readonly rejected: string[];
}

const BASE_ENV = { DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' };

function probe(client: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): SpawnSyncReturns<string> {
  return spawnSync(client, args, { env, encoding: 'utf8', timeout: timeoutMs });
}

/** The first line of a failed command's output, for a reason. */
function why(r: SpawnSyncReturns<string>): string {
  if (r.error) return r.error.message;
  const text = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.split('\n').map(l => l.trim()).find(l => l.length > 0);
  return text ?? `exit ${r.status ?? r.signal}`;
}

/** The first executable `docker` on PATH, as a shell would run it. */
function dockerOnPath(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'docker');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Checks a client and its engine: buildx present, server answering, version ≥ 28. Returns the engine or the reason. */
function check(kind: DockerEngine['kind'], client: string, base: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv, where: string): DockerEngine | string {
  const env = { ...base, ...extra, ...BASE_ENV };
  const buildx = probe(client, ['buildx', 'version'], env, 15_000);
  if (buildx.status !== 0) {
    return `${client} has no buildx plugin ("docker buildx version": ${why(buildx)}); the suites build with buildx, so this client is not used`;
  }
  const server = probe(client, ['version', '--format', '{{.Server.Version}}'], env, 20_000);
  const version = server.stdout?.trim() ?? '';
  if (server.status !== 0 || !version) return `no engine answers ${where} (${why(server)})`;
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  if (!(major >= MINIMUM_ENGINE_MAJOR)) return `the engine ${where} is version ${version}; the suites need Docker ${MINIMUM_ENGINE_MAJOR} or newer`;
  return { kind, client, env: extra, serverVersion: version, description: `${kind} engine ${version} ${where}, client ${client}` };
}

/** The unpacked engine of scripts/docker-engine.sh in `dir`. */
function unpacked(dir: string, base: NodeJS.ProcessEnv): DockerEngine | string {
  const env = unpackedEnv(dir, base);
  const client = join(dir, 'x/usr/bin/docker');
  if (!existsSync(client)) return `unpacked engine: not installed in ${dir} (no ${client})`;
  const engine = check('unpacked', client, base, env, `at ${env.DOCKER_HOST} (scripts/docker-engine.sh, DOCKYARD_ENGINE_DIR=${dir})`);
  return typeof engine === 'string' ? `unpacked engine: ${engine}` : engine;
}

/** The client, socket and DOCKER_CONFIG (which holds the buildx plugin) of the unpacked engine in `dir`. */
function unpackedEnv(dir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    PATH: `${join(dir, 'x/usr/bin')}${delimiter}${base.PATH ?? ''}`,
    DOCKER_HOST: `unix://${join(dir, 'docker.sock')}`,
    DOCKER_CONFIG: join(dir, 'cfg'),
    DOCKER_CONTEXT: undefined,
  };
}

/** Chooses the engine (rules in this file's header comment); `environment` is for tests of the rules. */
export function selectEngine(environment: NodeJS.ProcessEnv = process.env): EngineSelection {
  const rejected: string[] = [];
  const engineDir = environment.DOCKYARD_ENGINE_DIR;
  if (engineDir) {
    const engine = unpacked(engineDir, environment);
    return typeof engine === 'string' ? { rejected: [`${engine} (selected by DOCKYARD_ENGINE_DIR)`] } : { engine, rejected };
  }
  const client = dockerOnPath(environment.PATH);
  if (client === undefined) {
    rejected.push(`installed engine: no docker client on PATH${environment.DOCKER_HOST ? ` (DOCKER_HOST=${environment.DOCKER_HOST} is set)` : ''}`);
  } else {
    const where = environment.DOCKER_HOST ? `at DOCKER_HOST=${environment.DOCKER_HOST}` : 'at the client\'s current context';
    // the user's own DOCKER_HOST / DOCKER_CONFIG / DOCKER_CONTEXT stay as they are; the client's directory goes first on PATH
    const engine = check('installed', client, environment, { PATH: `${dirname(client)}${delimiter}${environment.PATH ?? ''}` }, where);
    if (typeof engine !== 'string') return { engine, rejected };
    rejected.push(`installed engine: ${engine}`);
  }
  const engine = unpacked(DEFAULT_ENGINE_DIR, environment);
  if (typeof engine !== 'string') return { engine, rejected };
  rejected.push(engine);
  return { rejected };
}

let selection: EngineSelection | undefined;

/** The selection, made once per test file. */
export function engineSelection(): EngineSelection {
  selection ??= selectEngine();
  return selection;
}

/** What to run to get an engine, for skip and failure messages. */
export const ENGINE_HELP = 'start an engine: "sudo bash scripts/docker-engine.sh all" installs and starts the unpacked Docker 28 engine with buildx '
  + 'and builds the local base images (in /var/tmp/cdk-dockyard-engine, or in DOCKYARD_ENGINE_DIR), or point DOCKER_HOST at your own '
  + 'Docker >= 28 engine with a docker client that has buildx first on PATH';

/** The docker client the suites run (never a client without buildx). */
export function dockerBinary(): string {
  const engine = engineSelection().engine;
  if (!engine) throw new Error(`No usable Docker engine: ${engineSelection().rejected.join('; ')}. To run the Docker suites, ${ENGINE_HELP}.`);
  return engine.client;
}

/** Environment that points the docker client at the selected engine. */
export function dockerEnv(): NodeJS.ProcessEnv {
  const engine = engineSelection().engine;
  const selected = engine?.env ?? unpackedEnv(process.env.DOCKYARD_ENGINE_DIR ?? DEFAULT_ENGINE_DIR);
  const env: NodeJS.ProcessEnv = { ...process.env, ...selected, ...BASE_ENV };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/** Runs the selected engine's docker client. */
export function docker(args: string[], options: { cwd?: string; input?: string; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(dockerBinary(), args, {
    cwd: options.cwd,
    input: options.input,
    env: dockerEnv(),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Like docker() but throws with the output when the command fails; returns stdout. */
export function dockerOk(args: string[], options: { cwd?: string; input?: string; timeoutMs?: number } = {}): string {
  const r = docker(args, options);
  if (r.status !== 0) {
    throw new Error(`docker ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** Whether an engine was selected (it answered with a supported version). */
export function engineAvailable(): boolean {
  return engineSelection().engine !== undefined;
}

/** Whether `.ci/run` (or the user) requires the docker suites to run. */
export const dockerRequired = process.env.DOCKYARD_REQUIRE_DOCKER === '1';

let skipReported = false;

/**
 * `describe` for suites that need the engine: runs them when an engine was selected; when none was, fails
 * them if Docker is required, else skips them and says on the console why and what to run.
 */
export function describeWithDocker(name: string, fn: () => void): void {
  const { engine, rejected } = engineSelection();
  if (engine) {
    describe(name, fn);
  } else if (dockerRequired) {
    describe(name, () => {
      test('a Docker engine is available (DOCKYARD_REQUIRE_DOCKER=1)', () => {
        throw new Error(`No usable Docker engine:\n  - ${rejected.join('\n  - ')}\nTo run the Docker suites, ${ENGINE_HELP}.`);
      });
    });
  } else {
    if (!skipReported) {
      skipReported = true;
      console.warn(`Docker suites SKIPPED (no usable Docker engine):\n  - ${rejected.join('\n  - ')}\n`
        + `To run them, ${ENGINE_HELP}.\nSet DOCKYARD_REQUIRE_DOCKER=1 to fail instead of skipping (.ci/run does).`);
    }
    const skipped = describe.skip;
    skipped(`${name} (no Docker engine: run "sudo bash scripts/docker-engine.sh all", or set DOCKYARD_REQUIRE_DOCKER=1 to fail instead)`, fn);
  }
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'dockyard-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** `docker build --check` output; exit code 0 means no warnings. */
export function buildCheck(contextDir: string, dockerfile: string): SpawnSyncReturns<string> {
  return docker(['build', '--check', '-f', dockerfile, contextDir], { timeoutMs: 120_000 });
}

/** The Debian mirror reachable from RUN steps needs --network=host; pure builds use --network=none. */
export function build(contextDir: string, dockerfile: string, tag: string, extra: string[] = []): string {
  const r = docker(['build', '--progress=plain', '--network=none', '-f', dockerfile, '-t', tag, ...extra, contextDir], { timeoutMs: 600_000 });
  if (r.status !== 0) {
    throw new Error(`docker build of ${dockerfile} failed:\n${r.stderr.slice(-6000)}\n--- Dockerfile ---\n${readFileSync(dockerfile, 'utf8')}`);
  }
  return r.stderr;
}

export { execFileSync };

/** A name unique to this test run, for images, containers and cache ids (lowercase, as image names must be). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Removes containers (by name or id), ignoring those that do not exist. */
export function removeContainers(...names: string[]): void {
  if (names.length) docker(['rm', '-f', ...names], { timeoutMs: 60_000 });
}

/** Removes images (by tag or id), ignoring those that do not exist. */
export function removeImages(...tags: string[]): void {
  if (tags.length) docker(['rmi', '-f', ...tags], { timeoutMs: 60_000 });
}

/** Blocks the thread for `ms` milliseconds (for bounded polling loops). */
export function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Polls `docker inspect` until the container's health status is `healthy` (or `unhealthy`, or the container
 * stops), at most `timeoutMs`; returns the statuses seen, in order, without repeats.
 */
export function waitForHealth(container: string, timeoutMs = 60_000): string[] {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = docker(['inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}}', container], { timeoutMs: 20_000 });
    const [state, health] = r.stdout.trim().split(' ');
    if (r.status !== 0) throw new Error(`docker inspect ${container} failed: ${r.stderr}`);
    if (seen[seen.length - 1] !== health) seen.push(health);
    if (health === 'healthy' || health === 'unhealthy' || health === 'no-healthcheck' || state !== 'running') return seen;
    sleepMs(250);
  }
  return seen;
}
