/**
 * A real Docker engine for end-to-end tests: the one `scripts/docker-engine.sh` starts.
 * When DOCKYARD_REQUIRE_DOCKER=1 (as `.ci/run` sets) a missing engine FAILS the suite;
 * otherwise (a contributor without the engine) the docker suites are reported as skipped.
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENGINE_DIR = process.env.DOCKYARD_ENGINE_DIR ?? '/var/tmp/cdk-dockyard-engine';

/** Environment that points the docker client at the engine of scripts/docker-engine.sh. */
export function dockerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(ENGINE_DIR, 'x/usr/bin')}:${process.env.PATH}`,
    DOCKER_HOST: process.env.DOCKER_HOST ?? `unix://${join(ENGINE_DIR, 'docker.sock')}`,
    DOCKER_CONFIG: process.env.DOCKER_CONFIG ?? join(ENGINE_DIR, 'cfg'),
    DOCKER_BUILDKIT: '1',
    BUILDKIT_PROGRESS: 'plain',
  };
}

const DOCKER = join(ENGINE_DIR, 'x/usr/bin/docker');

/** Runs the engine's docker client; never /usr/local/bin/docker (no buildx there). */
export function docker(args: string[], options: { cwd?: string; input?: string; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(DOCKER, args, {
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

/** Whether the engine answers. */
export function engineAvailable(): boolean {
  if (!existsSync(DOCKER)) return false;
  const r = docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
  return r.status === 0;
}

/** Whether `.ci/run` (or the user) requires the docker suites to run. */
export const dockerRequired = process.env.DOCKYARD_REQUIRE_DOCKER === '1';

const available = engineAvailable();

/**
 * `describe` for suites that need the engine: runs them when the engine is up; when it is not,
 * fails them if Docker is required, else reports them as skipped with the reason.
 */
export function describeWithDocker(name: string, fn: () => void): void {
  if (available) {
    describe(name, fn);
  } else if (dockerRequired) {
    describe(name, () => {
      test('the Docker engine is running (DOCKYARD_REQUIRE_DOCKER=1)', () => {
        throw new Error(`No Docker engine at ${dockerEnv().DOCKER_HOST}: run "bash scripts/docker-engine.sh all" first`);
      });
    });
  } else {
    const skipped = describe.skip;
    skipped(`${name} (no Docker engine: run "bash scripts/docker-engine.sh all", or set DOCKYARD_REQUIRE_DOCKER=1 to fail instead)`, fn);
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
