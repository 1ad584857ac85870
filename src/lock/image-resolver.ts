import { DOCKER_HUB_REGISTRY, ImageName, isLoopbackRegistry, parseImageName, registryBaseUrl } from './image-name';
import { DockyardValidationError } from '../core/problems';

/** OCI image index (multi-platform). */
export const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
/** Docker manifest list (multi-platform). */
export const DOCKER_MANIFEST_LIST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** OCI image manifest (one platform). */
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
/** Docker image manifest, schema 2 (one platform). */
export const DOCKER_MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

/**
 * The manifest media types a lock can pin, indexes first: a registry asked for all four answers a
 * multi-platform image with its index, so the digest covers every platform.
 */
export const MANIFEST_MEDIA_TYPES: readonly string[] = [
  OCI_INDEX_MEDIA_TYPE,
  DOCKER_MANIFEST_LIST_MEDIA_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  DOCKER_MANIFEST_MEDIA_TYPE,
];

/** A content digest as registries report it. */
export const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** What a tag pointed to when it was resolved. */
export interface ResolvedImage extends ImageName {
  /** `sha256:<64 hex>`: the registry's Docker-Content-Digest of the manifest (or index) the tag points to. */
  readonly digest: string;
  /** One of {@link MANIFEST_MEDIA_TYPES}. */
  readonly mediaType: string;
}

export interface ResolveImageOptions {
  /** Deadline for the whole resolution (every request, including the token request). @default 30000 */
  readonly timeoutMs?: number;
}

/** Default deadline of {@link resolveImageDigest}. */
export const DEFAULT_IMAGE_TIMEOUT_MS = 30_000;

interface Attempt {
  readonly name: ImageName;
  readonly url: string;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

function fail(attempt: Attempt, what: string, fix: string): DockyardValidationError {
  return new DockyardValidationError([`image ${JSON.stringify(attempt.name.reference)}: ${what}. ${fix}`]);
}

/**
 * Asks the image's registry (OCI distribution API, HEAD requests only, anonymous bearer tokens when the
 * registry challenges) which manifest the tag points to now. Plain http is used only for loopback registries.
 * Throws a DockyardValidationError naming the reference, what happened and the fix.
 */
export async function resolveImageDigest(reference: string, options: ResolveImageOptions = {}): Promise<ResolvedImage> {
  const name = parseImageName(reference);
  const timeoutMs = options.timeoutMs ?? DEFAULT_IMAGE_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new DockyardValidationError([`image ${JSON.stringify(reference)}: timeoutMs ${timeoutMs} is not a positive whole number of milliseconds. Pass e.g. 30000.`]);
  }
  const url = `${registryBaseUrl(name.registry)}/v2/${name.repository}/manifests/${encodeURIComponent(name.tag)}`;
  const attempt: Attempt = { name, url, signal: AbortSignal.timeout(timeoutMs), timeoutMs };
  const headers: Record<string, string> = { 'Accept': MANIFEST_MEDIA_TYPES.join(', '), 'User-Agent': 'cdk-dockyard-lock' };

  let response = await send(attempt, url, 'HEAD', headers);
  if (response.status === 401) {
    const challenge = parseBearerChallenge(attempt, response.headers.get('www-authenticate'));
    const token = await fetchToken(attempt, challenge);
    response = await send(attempt, url, 'HEAD', { ...headers, Authorization: `Bearer ${token}` });
    if (response.status === 401 || response.status === 403) {
      throw fail(attempt, `the registry refused the anonymous token from ${challenge.realm} (HEAD ${url} → HTTP ${response.status})`,
        'The repository is private or the name is misspelled: cdk-dockyard resolves digests anonymously, so make the image public or correct the reference.');
    }
  }
  return interpret(attempt, response);
}

function interpret(attempt: Attempt, response: Response): ResolvedImage {
  const { name, url } = attempt;
  const where = `HEAD ${url} → HTTP ${response.status}`;
  if (response.status === 404) {
    throw fail(attempt, `tag ${JSON.stringify(name.tag)} of ${name.registry}/${name.repository} was not found (${where})`,
      `Check the tag and repository exist (GET ${registryBaseUrl(name.registry)}/v2/${name.repository}/tags/list lists the tags) and correct the reference.`);
  }
  if (response.status === 401 || response.status === 403) {
    throw fail(attempt, `the registry refused anonymous access (${where})`,
      'cdk-dockyard resolves digests anonymously: make the image public or correct the reference.');
  }
  if (response.status === 429) {
    throw fail(attempt, `the registry is rate-limiting this machine (${where})`, 'Wait and refresh the lock again.');
  }
  if (response.status !== 200) {
    throw fail(attempt, `the registry answered an unexpected status (${where})`, 'Check the registry is an OCI distribution registry and is healthy, then refresh the lock again.');
  }
  const digest = response.headers.get('docker-content-digest');
  if (digest === null) {
    throw fail(attempt, `the registry's answer has no Docker-Content-Digest header (${where})`,
      'The server does not speak the OCI distribution API as expected; check the registry host (a proxy may be answering instead).');
  }
  if (!SHA256_DIGEST.test(digest)) {
    throw fail(attempt, `the registry's Docker-Content-Digest ${JSON.stringify(digest.slice(0, 100))} is not "sha256:" followed by 64 lower-case hex digits (${where})`,
      'Check the registry host (a proxy may be answering instead).');
  }
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!MANIFEST_MEDIA_TYPES.includes(contentType)) {
    throw fail(attempt, `the registry answered media type ${JSON.stringify(contentType.slice(0, 100))}, not one of ${MANIFEST_MEDIA_TYPES.join(', ')} (${where})`,
      'Only OCI / Docker schema 2 manifests and indexes can be pinned: push the image again with a current Docker or buildx, or check the registry host.');
  }
  return { ...name, digest, mediaType: contentType };
}

async function send(attempt: Attempt, url: string, method: 'HEAD' | 'GET', headers: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, { method, headers, signal: attempt.signal, redirect: 'follow' });
  } catch (error) {
    if (attempt.signal.aborted) {
      throw fail(attempt, `no answer within ${attempt.timeoutMs} ms (${method} ${url})`,
        'Check the registry is reachable from this machine (network, proxy, firewall), or pass a larger timeoutMs.');
    }
    throw fail(attempt, `could not reach the registry (${method} ${url}: ${describeNetworkError(error)})`,
      `Check the host name and port${attempt.name.registry === DOCKER_HUB_REGISTRY ? ' (a reference without a registry host means Docker Hub)' : ''}, and that this machine has network access to it.`);
  }
}

function describeNetworkError(error: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (e.g. under a test runner), where instanceof Error fails.
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { message, code, cause } = current as { message?: unknown; code?: unknown; cause?: unknown };
    const text = typeof message === 'string' ? message : '';
    messages.push(typeof code === 'string' && !text.includes(code) ? `${code} ${text}`.trim() : text);
    current = cause;
  }
  const described = messages.filter(Boolean).join(': ');
  return described || String(error);
}

/** A parsed `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` challenge. */
export interface BearerChallenge {
  readonly realm: string;
  readonly service?: string;
  readonly scope?: string;
}

const AUTH_PARAM = /\s*([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))\s*(,|$)/y;

function parseBearerChallenge(attempt: Attempt, header: string | null): BearerChallenge {
  const where = `HEAD ${attempt.url} → HTTP 401`;
  const fix = 'The registry does not follow the Docker token authentication protocol; check the registry host.';
  if (header === null || header.trim() === '') {
    throw fail(attempt, `the registry asked for authentication without a WWW-Authenticate challenge (${where})`, fix);
  }
  const match = /^\s*(\S+)(?:\s+([\s\S]*))?$/.exec(header);
  const scheme = (match?.[1] ?? '').toLowerCase();
  if (scheme === 'basic') {
    throw fail(attempt, `the registry requires a user name and password (Basic authentication) (${where})`,
      'cdk-dockyard resolves digests anonymously: make the image public or use an image from a public registry.');
  }
  const params = new Map<string, string>();
  const rest = match?.[2] ?? '';
  AUTH_PARAM.lastIndex = 0;
  let ok = scheme === 'bearer' && rest.trim() !== '';
  while (ok && AUTH_PARAM.lastIndex < rest.length) {
    const start = AUTH_PARAM.lastIndex;
    const param = AUTH_PARAM.exec(rest);
    if (!param || AUTH_PARAM.lastIndex === start) {
      ok = false;
      break;
    }
    params.set(param[1].toLowerCase(), param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : param[3]);
    if (param[4] === '') break;
  }
  const realm = params.get('realm');
  if (!ok || !realm) {
    throw fail(attempt, `the registry's challenge ${JSON.stringify(header.slice(0, 200))} is not a Bearer challenge with a realm (${where})`, fix);
  }
  let realmUrl: URL;
  try {
    realmUrl = new URL(realm);
  } catch {
    throw fail(attempt, `the token realm ${JSON.stringify(realm)} in the registry's challenge is not a URL (${where})`, fix);
  }
  if (realmUrl.protocol !== 'https:' && !(realmUrl.protocol === 'http:' && isLoopbackRegistry(realmUrl.host))) {
    throw fail(attempt, `the token realm ${JSON.stringify(realm)} is not https (plain http is accepted only on this machine's loopback interface) (${where})`, fix);
  }
  return { realm, service: params.get('service'), scope: params.get('scope') };
}

async function fetchToken(attempt: Attempt, challenge: BearerChallenge): Promise<string> {
  const url = new URL(challenge.realm);
  if (challenge.service !== undefined) url.searchParams.set('service', challenge.service);
  url.searchParams.set('scope', challenge.scope ?? `repository:${attempt.name.repository}:pull`);
  const response = await send(attempt, url.toString(), 'GET', { 'Accept': 'application/json', 'User-Agent': 'cdk-dockyard-lock' });
  const body = await readBody(attempt, response, url.toString());
  const where = `GET ${url.toString()} → HTTP ${response.status}`;
  if (response.status !== 200) {
    throw fail(attempt, `the token endpoint refused an anonymous token (${where})`,
      'The repository is private or the name is misspelled: cdk-dockyard resolves digests anonymously, so make the image public or correct the reference.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw fail(attempt, `the token endpoint answered something that is not JSON: ${JSON.stringify(body.slice(0, 80))} (${where})`,
      'Check the registry host and its token service (a proxy or login page may be answering instead).');
  }
  const record = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
  const token = record && Object.hasOwn(record, 'token') ? record.token : record && Object.hasOwn(record, 'access_token') ? record.access_token : undefined;
  if (typeof token !== 'string' || token === '' || /[\r\n]/.test(token)) {
    throw fail(attempt, `the token endpoint's JSON has no "token" or "access_token" string (${where})`,
      'Check the registry host and its token service.');
  }
  return token;
}

async function readBody(attempt: Attempt, response: Response, url: string): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (attempt.signal.aborted) {
      throw fail(attempt, `no answer within ${attempt.timeoutMs} ms (GET ${url})`, 'Check the token service is reachable, or pass a larger timeoutMs.');
    }
    throw fail(attempt, `the token answer could not be read (GET ${url}: ${describeNetworkError(error)})`, 'Check the network and refresh the lock again.');
  }
}
