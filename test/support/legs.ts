/**
 * "The same steps as the workflow", run locally against the engine of scripts/docker-engine.sh (with
 * scripts/arm64.sh for linux/arm64 under QEMU) and a registry on 127.0.0.1 (test/support/registry.ts):
 *
 * - a build leg builds ONE platform of one image and pushes it; the workflow pushes by digest, but the engine's
 *   `docker` buildx driver refuses `push-by-digest` and a `docker-container` builder needs Docker Hub, so a leg
 *   pushes under a temporary tag `leg-<random>` and returns the digest from `--metadata-file`
 *   (`containerimage.digest`, the registry's Docker-Content-Digest for that tag);
 * - the merge step gets the digests the way the documented docker/build-push-action multi-platform pattern hands
 *   them over: one EMPTY file per digest, named by its hex part, in one directory (the step's working directory),
 *   and runs `docker buildx imagetools create` over them.
 *
 * Base images: the engine's classic image store keeps ONE platform per tag, so each base exists once per platform
 * (`local/busybox:1.36-amd64`, `local/busybox:1.36-arm64`, made by scripts/arm64.sh base-images) and a leg re-tags
 * its platform's base as the name its Dockerfile's FROM uses (`baseRetags`) before building, and puts the previous
 * image of that name back afterwards. Legs of one process that re-tag the same name run one after another; give
 * FROM a name only your legs use, since other suites build on the same engine at the same time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithDocker, docker, dockerBinary, dockerEnv, dockerRequired, engineAvailable, tempDir } from './docker';
import { CommandResult, run as runCommand, RunOptions } from './process';
import { REGISTRY_BINARY } from './registry';

export type LegPlatform = 'linux/amd64' | 'linux/arm64';

/** The local base image per platform, made by scripts/arm64.sh base-images (one platform per tag). */
export const LEG_BASES: Record<LegPlatform, string> = {
  'linux/amd64': 'local/busybox:1.36-amd64',
  'linux/arm64': 'local/busybox:1.36-arm64',
};
/** What `uname -m` prints on each platform. */
export const MACHINE: Record<LegPlatform, string> = { 'linux/amd64': 'x86_64', 'linux/arm64': 'aarch64' };

/** What the leg suites need besides the engine itself (describeWithDocker reports that), each with its fix. */
function missingLegSetup(): string[] {
  if (!engineAvailable()) return [];
  const missing: string[] = [];
  if (!existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64')) missing.push('the qemu-aarch64 binfmt handler (bash scripts/arm64.sh install)');
  for (const [platform, image] of Object.entries(LEG_BASES)) {
    const r = docker(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', image], { timeoutMs: 30_000 });
    if (r.status !== 0 || r.stdout.trim() !== platform) missing.push(`${image} as ${platform} (bash scripts/arm64.sh base-images)`);
  }
  if (!existsSync(REGISTRY_BINARY)) missing.push(`${REGISTRY_BINARY} (apt-get install -y docker-registry)`);
  return missing;
}

let legSetup: string[] | undefined;

/**
 * `describe` for suites that build legs: the engine, arm64 under QEMU with both base images, and the registry.
 * With DOCKYARD_REQUIRE_DOCKER=1 anything missing fails the suite; otherwise it is skipped, naming what to run.
 */
export function describeWithLegs(name: string, fn: () => void): void {
  legSetup ??= missingLegSetup();
  const missing = legSetup;
  if (missing.length === 0) {
    describeWithDocker(name, fn);
  } else if (dockerRequired) {
    describe(name, () => test('arm64 under QEMU and the registry are set up (DOCKYARD_REQUIRE_DOCKER=1)', () => {
      throw new Error(`missing: ${missing.join('; ')}`);
    }));
  } else {
    describe.skip(`${name} (missing: ${missing.join('; ')}; or set DOCKYARD_REQUIRE_DOCKER=1 to fail instead)`, fn);
  }
}

/** The four manifest types a registry may hold for an image; a HEAD without them may get a schema 1 conversion. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

export const INDEX_TYPES: readonly string[] = MANIFEST_TYPES.slice(0, 2);

export type { CommandResult } from './process';

/** Runs a command asynchronously (test/support/process.ts), with the selected engine's environment by default. */
export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  return runCommand(cmd, args, { ...options, env: options.env ?? dockerEnv() });
}

/** The selected engine's docker client (it has buildx; see test/support/docker.ts), never /usr/local/bin/docker. */
export { dockerBinary };

export function dockerAsync(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return run(dockerBinary(), args, { ...options, env: dockerEnv() });
}

/** Like dockerAsync but throws with the output on failure; returns stdout. */
export async function dockerAsyncOk(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await dockerAsync(args, options);
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr.slice(-8000)}`);
  return r.stdout;
}

/** The image id a tag points at, or undefined. */
async function imageId(ref: string): Promise<string | undefined> {
  const r = await dockerAsync(['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 60_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

// Re-tagging a FROM name is exclusive within this process: one chain of promises per target name.
const retagLocks = new Map<string, Promise<unknown>>();

async function withRetags<T>(retags: ReadonlyArray<readonly [string, string]>, fn: () => Promise<T>): Promise<T> {
  const names = [...new Set(retags.map(([, to]) => to))].sort();
  const previous = names.map(n => retagLocks.get(n) ?? Promise.resolve());
  let release!: () => void;
  const mine = new Promise<void>(resolve => (release = resolve));
  for (const n of names) retagLocks.set(n, mine);
  await Promise.allSettled(previous);
  const saved = new Map<string, string | undefined>();
  try {
    for (const [from, to] of retags) {
      if (!saved.has(to)) saved.set(to, await imageId(to));
      await dockerAsyncOk(['tag', from, to], { timeoutMs: 60_000 });
    }
    return await fn();
  } finally {
    // put back what the names pointed at before (or untag them when they did not exist)
    for (const [to, id] of saved) {
      await dockerAsync(id ? ['tag', id, to] : ['rmi', '--no-prune', to], { timeoutMs: 60_000 });
    }
    for (const n of names) if (retagLocks.get(n) === mine) retagLocks.delete(n);
    release();
  }
}

export interface BuildLegOptions {
  /** The Dockerfile. */
  readonly dockerfile: string;
  /** The build context directory. */
  readonly context: string;
  /** The stage to build (`--target`); the last stage when omitted. */
  readonly target?: string;
  readonly platform: LegPlatform;
  /** `127.0.0.1:<port>`. */
  readonly registry: string;
  /** Repository in the registry, e.g. `acme/app`. */
  readonly repository: string;
  /** `[from, to]`: `docker tag from to` before the build (e.g. `['local/busybox:1.36-arm64', 'legs/busybox:1.36']`). */
  readonly baseRetags?: ReadonlyArray<readonly [string, string]>;
  /**
   * `--provenance=<value>`; default false. The classic image store's `docker` driver refuses attestations
   * ("Attestation is not supported for the docker driver"); with the containerd image store a provenance leg
   * pushes an index (the platform's manifest + an attestation manifest) and its digest is the index's.
   */
  readonly provenance?: boolean | string;
  /** More `docker buildx build` arguments (e.g. `--no-cache`, `--build-arg X=1`). */
  readonly extraArgs?: string[];
  /** Keep the temporary tag in the local image store (default: removed after the push). */
  readonly keepLocalTag?: boolean;
}

export interface LegResult {
  /** `sha256:<hex>`: what the leg pushed (`containerimage.digest` of the metadata file). */
  readonly digest: string;
  /** The temporary tag it was pushed under: `<registry>/<repository>:leg-<random>`. */
  readonly ref: string;
  /** The whole metadata file. */
  readonly metadata: Record<string, unknown>;
  /** Wall time of the `docker buildx build` alone, in milliseconds. */
  readonly ms: number;
  /** BuildKit's plain progress output. */
  readonly log: string;
}

/** Builds one platform of one image and pushes it under a temporary tag; returns its digest. */
export async function buildLeg(options: BuildLegOptions): Promise<LegResult> {
  const ref = `${options.registry}/${options.repository}:leg-${randomBytes(6).toString('hex')}`;
  const dir = tempDir('dockyard-leg-');
  const metadataFile = join(dir, 'metadata.json');
  const provenance = options.provenance ?? false;
  const args = [
    'buildx', 'build', '--progress=plain', '--network=none', '--platform', options.platform,
    ...(options.target ? ['--target', options.target] : []),
    '-f', options.dockerfile, '--metadata-file', metadataFile, `--provenance=${provenance}`,
    ...(options.extraArgs ?? []),
    '--push', '-t', ref, options.context,
  ];
  try {
    const r = await withRetags(options.baseRetags ?? [], () => dockerAsync(args, { timeoutMs: 900_000 }));
    if (r.status !== 0) {
      throw new Error(`leg ${options.platform} (${ref}) failed (${r.status ?? r.signal}): docker ${args.join(' ')}\n${r.stderr.slice(-8000)}`);
    }
    const metadata = JSON.parse(readFileSync(metadataFile, 'utf8')) as Record<string, unknown>;
    const digest = metadata['containerimage.digest'];
    if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
      throw new Error(`no containerimage.digest in the metadata file of ${ref}: ${JSON.stringify(metadata)}`);
    }
    if (!options.keepLocalTag) await dockerAsync(['rmi', ref], { timeoutMs: 60_000 });
    return { digest, ref, metadata, ms: r.ms, log: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `host/repo:tag` or `host/repo@sha256:…` split into its parts. */
export function parseRef(ref: string): { host: string; repository: string; reference: string } {
  const m = /^([^/]+)\/(.+?)(?::([\w][\w.-]{0,127})|@(sha256:[0-9a-f]{64}))$/.exec(ref);
  if (!m) throw new Error(`not a host/repository:tag or @digest reference: ${ref}`);
  return { host: m[1], repository: m[2], reference: m[3] ?? m[4] };
}

/** The registry's own answer to HEAD /v2/<repo>/manifests/<reference> with the four manifest types accepted. */
export async function registryManifestHead(ref: string): Promise<{ status: number; digest: string | null; contentType: string | null }> {
  const { host, repository, reference } = parseRef(ref);
  const r = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, {
    method: 'HEAD',
    headers: { Accept: MANIFEST_TYPES.join(', ') },
    signal: AbortSignal.timeout(30_000),
  });
  return { status: r.status, digest: r.headers.get('docker-content-digest'), contentType: r.headers.get('content-type') };
}

/** Writes the digests directory the merge job gets: one empty file per digest, named by the hex digest. */
export function writeDigestsDir(dir: string, digests: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const d of digests) {
    const m = /^sha256:([0-9a-f]{64})$/.exec(d);
    if (!m) throw new Error(`not a sha256 digest: ${d}`);
    writeFileSync(join(dir, m[1]), '');
  }
  return dir;
}

export interface MergeOptions {
  /** Digests to hand over: written as empty files named by their hex into `digestsDir`. */
  readonly digests?: readonly string[];
  /** Where (default: `cwd`, the step's `working-directory` in the documented pattern). */
  readonly digestsDir?: string;
  readonly timeoutMs?: number;
}

/**
 * Runs `script` the way GitHub runs a `run:` step with `shell: bash`: the script in a file, executed by
 * `bash --noprofile --norc -eo pipefail <file>`, in `cwd`. The engine's docker client comes first in PATH and
 * DOCKER_HOST/DOCKER_CONFIG point at the engine (buildx included); `env` is added on top (RUNNER_TEMP defaults
 * to a fresh temporary directory). `${{ … }}` expressions are NOT evaluated: render them first.
 */
export async function runMergeScript(script: string, env: Record<string, string>, cwd: string, options: MergeOptions = {}): Promise<CommandResult> {
  mkdirSync(cwd, { recursive: true });
  if (options.digests) writeDigestsDir(options.digestsDir ?? cwd, options.digests);
  const scriptDir = tempDir('dockyard-step-');
  const file = join(scriptDir, `${randomBytes(8).toString('hex')}.sh`);
  writeFileSync(file, script);
  chmodSync(file, 0o644);
  try {
    return await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      cwd,
      env: { ...dockerEnv(), RUNNER_TEMP: scriptDir, CI: 'true', ...env },
      timeoutMs: options.timeoutMs ?? 300_000,
    });
  } finally {
    rmSync(scriptDir, { recursive: true, force: true });
  }
}

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface IndexEntry {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly platform: Platform;
  readonly annotations?: Record<string, string>;
}

export interface ImageIndex {
  readonly mediaType: string;
  readonly manifests: IndexEntry[];
}

/** `docker buildx imagetools inspect --raw <ref>`, parsed; throws when `ref` is not an index (a single manifest). */
export async function inspectIndex(ref: string): Promise<ImageIndex> {
  const raw = JSON.parse(await dockerAsyncOk(['buildx', 'imagetools', 'inspect', '--raw', ref], { timeoutMs: 120_000 })) as {
    mediaType?: string;
    manifests?: Array<{ digest: string; mediaType: string; size: number; platform?: Platform; annotations?: Record<string, string> }>;
  };
  if (!raw.mediaType || !INDEX_TYPES.includes(raw.mediaType) || !Array.isArray(raw.manifests)) {
    throw new Error(`${ref} is not an image index: ${raw.mediaType}`);
  }
  return {
    mediaType: raw.mediaType,
    manifests: raw.manifests.map(m => ({
      digest: m.digest,
      mediaType: m.mediaType,
      size: m.size,
      platform: { os: m.platform?.os ?? '', architecture: m.platform?.architecture ?? '', ...(m.platform?.variant ? { variant: m.platform.variant } : {}) },
      ...(m.annotations ? { annotations: m.annotations } : {}),
    })),
  };
}

/** Whether an index entry is an attestation manifest (BuildKit's provenance/SBOM, platform unknown/unknown). */
export function isAttestation(entry: IndexEntry): boolean {
  return entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
}

/** `os/architecture[/variant]` of the image entries of an index (attestation manifests left out), sorted. */
export function platformsOf(index: ImageIndex): string[] {
  return index.manifests.filter(m => !isAttestation(m))
    .map(m => [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/'))
    .sort();
}

/**
 * `docker run --rm --platform <p> <ref> <cmd…>` → stdout (trimmed). Pulls that platform first: the classic
 * image store holds one platform per tag, so running another platform of the same ref pulls (and re-tags) again.
 */
export async function runPlatform(ref: string, platform: LegPlatform, cmd: string[] = []): Promise<string> {
  await dockerAsyncOk(['pull', '--quiet', '--platform', platform, ref], { timeoutMs: 300_000 });
  return (await dockerAsyncOk(['run', '--rm', '--network=none', '--platform', platform, ref, ...cmd], { timeoutMs: 300_000 })).trim();
}

/** Whether the engine uses the containerd image store (then the docker driver supports attestations). */
export async function containerdImageStore(): Promise<boolean> {
  const r = await dockerAsync(['info', '--format', '{{json .DriverStatus}}'], { timeoutMs: 30_000 });
  return r.status === 0 && r.stdout.includes('io.containerd.snapshotter');
}

async function putBlob(host: string, repository: string, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
  const location = start.headers.get('location');
  if (start.status !== 202 || !location) throw new Error(`blob upload to ${host}/${repository} not started: HTTP ${start.status}`);
  const url = new URL(location, `http://${host}`);
  url.searchParams.set('digest', digest);
  const put = await fetch(url, { method: 'PUT', body: data, headers: { 'Content-Type': 'application/octet-stream' }, signal: AbortSignal.timeout(30_000) });
  if (put.status !== 201) throw new Error(`blob upload to ${host}/${repository} failed: HTTP ${put.status} ${await put.text()}`);
  return { digest, size: data.length };
}

async function putManifest(host: string, repository: string, reference: string, mediaType: string, body: string): Promise<string> {
  const r = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT', body, headers: { 'Content-Type': mediaType }, signal: AbortSignal.timeout(30_000),
  });
  const digest = r.headers.get('docker-content-digest');
  if (r.status !== 201 || !digest) throw new Error(`manifest push to ${host}/${repository}:${reference} failed: HTTP ${r.status} ${await r.text()}`);
  return digest;
}

/**
 * What a provenance leg pushes, for engines whose `docker` driver refuses attestations (the classic image
 * store): an OCI index of the leg's manifest (`digest`, with its platform) and an attestation manifest shaped
 * like BuildKit's (config `unknown/unknown`, one `application/vnd.in-toto+json` layer holding an SLSA v0.2
 * provenance statement about `digest`, annotations `vnd.docker.reference.type: attestation-manifest` and
 * `vnd.docker.reference.digest`), pushed through the registry API under `<tag>`. Returns the index's digest.
 */
export async function pushProvenanceIndex(host: string, repository: string, digest: string, platform: LegPlatform, tag: string): Promise<string> {
  const got = await fetch(`http://${host}/v2/${repository}/manifests/${digest}`, {
    headers: { Accept: MANIFEST_TYPES.join(', ') }, signal: AbortSignal.timeout(30_000),
  });
  if (got.status !== 200) throw new Error(`${host}/${repository}@${digest}: HTTP ${got.status}`);
  const manifest = Buffer.from(await got.arrayBuffer());
  const mediaType = (got.headers.get('content-type') ?? '').split(';')[0];
  const [os, architecture] = platform.split('/');
  const statement = await putBlob(host, repository, Buffer.from(JSON.stringify({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [{ name: `pkg:docker/${host}/${repository}@${tag}?platform=${encodeURIComponent(platform)}`, digest: { sha256: digest.slice(7) } }],
    predicate: { builder: { id: '' }, buildType: 'https://mobyproject.org/buildkit@v1', materials: [], invocation: { environment: { platform } } },
  })));
  const config = await putBlob(host, repository, Buffer.from(JSON.stringify({
    architecture: 'unknown', os: 'unknown', config: {}, rootfs: { type: 'layers', diff_ids: [statement.digest] },
  })));
  const attestation = JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPES[2],
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.in-toto+json', ...statement, annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' } }],
  });
  const attestationDigest = await putManifest(host, repository, `sha256:${createHash('sha256').update(attestation).digest('hex')}`, MANIFEST_TYPES[2], attestation);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: MANIFEST_TYPES[0],
    manifests: [
      { mediaType, digest, size: manifest.length, platform: { architecture, os } },
      {
        mediaType: MANIFEST_TYPES[2],
        digest: attestationDigest,
        size: Buffer.byteLength(attestation),
        annotations: { 'vnd.docker.reference.digest': digest, 'vnd.docker.reference.type': 'attestation-manifest' },
        platform: { architecture: 'unknown', os: 'unknown' },
      },
    ],
  });
  return putManifest(host, repository, tag, MANIFEST_TYPES[0], index);
}
