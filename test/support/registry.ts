/**
 * A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) started with our own config on
 * 127.0.0.1, optionally behind token authentication served by a small Node endpoint that signs RS256 JWTs.
 * Like test/support/docker.ts: when DOCKYARD_REQUIRE_DOCKER=1 a missing registry FAILS the suites, otherwise
 * they are reported as skipped.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
const dockerRequired = process.env.DOCKYARD_REQUIRE_DOCKER === '1';

/** Throws a clear error when Debian's docker-registry is not installed. */
export function ensureRegistryInstalled(): void {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(`${REGISTRY_BINARY} is missing: the registry tests need Debian's docker-registry. Install it with "apt-get install -y docker-registry" (or "bash scripts/docker-engine.sh install").`);
  }
}

/** `describe` for suites that need the registry binary (same convention as describeWithDocker). */
export function describeWithRegistry(name: string, fn: () => void): void {
  if (existsSync(REGISTRY_BINARY)) {
    describe(name, fn);
  } else if (dockerRequired) {
    describe(name, () => test('docker-registry is installed (DOCKYARD_REQUIRE_DOCKER=1)', () => ensureRegistryInstalled()));
  } else {
    describe.skip(`${name} (no ${REGISTRY_BINARY}: apt-get install -y docker-registry, or set DOCKYARD_REQUIRE_DOCKER=1 to fail instead)`, fn);
  }
}

export interface TestRegistry {
  /** `127.0.0.1:<port>`, as used in image references. */
  readonly host: string;
  /** How many token requests the token endpoint answered (0 without token auth). */
  readonly tokenRequests: number;
  /** The registry's own log output so far. */
  logs(): string;
  /** Stops the registry (SIGTERM to its pid, then waits) and the token endpoint; deletes the temp dir. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the kernel picks it; it is released before returning). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

/**
 * The token endpoint, run as a separate node process so that it keeps answering while the test process is
 * blocked in spawnSync (e.g. `docker push` to the token registry). It grants every scope asked for, as an RS256
 * JWT whose x5c header carries the self-signed certificate, and appends one line per request to COUNTER.
 */
const TOKEN_SERVER = `
const { createSign, randomUUID } = require('node:crypto');
const { appendFileSync, readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const env = process.env;
const key = readFileSync(env.KEY, 'utf8');
const cert = readFileSync(env.CERT, 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\\s/g, '');
const b64url = data => Buffer.from(data).toString('base64url');
const server = createServer((req, res) => {
  appendFileSync(env.COUNTER, req.url + '\\n');
  const url = new URL(req.url, 'http://127.0.0.1');
  const access = url.searchParams.getAll('scope').flatMap(s => s.split(' ')).flatMap(scope => {
    const m = /^([^:]+):(.+):([^:]*)$/.exec(scope);
    return m ? [{ type: m[1], name: m[2], actions: m[3].split(',').filter(Boolean) }] : [];
  });
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', x5c: [cert] };
  const claims = { iss: env.ISSUER, sub: '', aud: env.SERVICE, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
  const input = b64url(JSON.stringify(header)) + '.' + b64url(JSON.stringify(claims));
  const token = input + '.' + b64url(createSign('RSA-SHA256').update(input).sign(key));
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

async function startTokenServer(dir: string, service: string, issuer: string): Promise<{ child: ChildProcess; realm: string; counter: string }> {
  const key = join(dir, 'token.key');
  const cert = join(dir, 'token.crt');
  const counter = join(dir, 'token-requests.log');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=dockyard-test-token-issuer'],
    { stdio: 'pipe' });
  writeFileSync(counter, '');
  const child = spawn(process.execPath, ['-e', TOKEN_SERVER], {
    env: { PATH: process.env.PATH, KEY: key, CERT: cert, COUNTER: counter, SERVICE: service, ISSUER: issuer },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`token server did not start within 10 s:\n${output}`));
    }, 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = /^(\d+)\n/.exec(output);
      if (line) {
        clearTimeout(timer);
        resolve(line[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`token server exited (${code}):\n${output}`));
    });
  });
  return { child, realm: `http://127.0.0.1:${port}/token`, counter };
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid, 'SIGTERM');
  if (!(await waitForExit(child, 10_000))) {
    process.kill(child.pid, 'SIGKILL');
    await waitForExit(child, 5_000);
  }
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise(resolve => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts docker-registry on a free 127.0.0.1 port; with `tokenAuth`, behind a token endpoint of its own. */
export async function startRegistry(options: { tokenAuth?: boolean } = {}): Promise<TestRegistry> {
  ensureRegistryInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'dockyard-registry-'));
  let token: { child: ChildProcess; realm: string; counter: string } | undefined;
  let child: ChildProcess | undefined;
  const logFile = join(dir, 'registry.log');
  const output = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-20_000) : '');
  const cleanup = async () => {
    await stopChild(child);
    await stopChild(token?.child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const service = 'dockyard-test-registry';
    const issuer = 'dockyard-test-issuer';
    if (options.tokenAuth) token = await startTokenServer(dir, service, issuer);
    const port = await freePort();
    const host = `127.0.0.1:${port}`;
    const config = {
      version: '0.1',
      log: { level: 'info', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: join(dir, 'data') }, delete: { enabled: true } },
      http: { addr: host, secret: randomUUID() },
      ...(token ? { auth: { token: { realm: token.realm, service, issuer, rootcertbundle: join(dir, 'token.crt') } } } : {}),
    };
    writeFileSync(join(dir, 'config.yml'), JSON.stringify(config, null, 2)); // JSON is YAML
    // Logs go to a file, not a pipe: a pipe is not drained while the test process is blocked in spawnSync.
    const logFd = openSync(logFile, 'a');
    try {
      child = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', logFd, logFd] });
    } finally {
      closeSync(logFd);
    }
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
      try {
        const r = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(2_000) });
        if (r.status === 200 || r.status === 401) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`docker-registry did not answer on ${host} within 20 s:\n${output()}`);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    const counter = token?.counter;
    return {
      host,
      get tokenRequests() {
        return counter ? readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0;
      },
      logs: output,
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** The registry's own answer for a manifest: a GET, with the digest it reports and the sha256 of the bytes it sent. */
export async function getManifest(host: string, repository: string, reference: string, accept: string[], token?: string) {
  const r = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, {
    headers: { Accept: accept.join(', '), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const body = Buffer.from(await r.arrayBuffer());
  return {
    status: r.status,
    headerDigest: r.headers.get('docker-content-digest'),
    contentType: r.headers.get('content-type'),
    bodyDigest: `sha256:${createHash('sha256').update(body).digest('hex')}`,
    body: body.toString('utf8'),
    wwwAuthenticate: r.headers.get('www-authenticate'),
  };
}

async function putBlob(host: string, repository: string, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  const location = start.headers.get('location');
  if (start.status !== 202 || !location) throw new Error(`blob upload to ${host}/${repository} not started: HTTP ${start.status}`);
  const url = new URL(location, `http://${host}`);
  url.searchParams.set('digest', digest);
  const put = await fetch(url, { method: 'PUT', body: data, headers: { 'Content-Type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`blob upload to ${host}/${repository} failed: HTTP ${put.status} ${await put.text()}`);
  return { digest, size: data.length };
}

/**
 * Pushes a small single-platform OCI image through the registry API (no Docker needed; only for registries
 * without auth): a config naming `seed` and one layer. Returns the Docker-Content-Digest the registry reported.
 */
export async function pushImageViaApi(host: string, repository: string, tag: string, seed: string): Promise<string> {
  const config = await putBlob(host, repository, Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: { Labels: { seed } }, rootfs: { type: 'layers', diff_ids: [] },
  })));
  const layer = await putBlob(host, repository, Buffer.from(`layer for ${seed}`));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
  });
  const r = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'Content-Type': OCI_MANIFEST } });
  const digest = r.headers.get('docker-content-digest');
  if (r.status !== 201 || !digest) throw new Error(`manifest push to ${host}/${repository}:${tag} failed: HTTP ${r.status} ${await r.text()}`);
  return digest;
}
