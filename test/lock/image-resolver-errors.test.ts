/**
 * The image resolver against real HTTP servers on 127.0.0.1 that answer the way broken or hostile registries do,
 * plus the reference parsing. The resolver's network code is not mocked: it really talks HTTP to these servers.
 */
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DockyardValidationError } from '../../src/core/problems';
import { isLoopbackRegistry, parseImageName, registryBaseUrl } from '../../src/lock/image-name';
import { MANIFEST_MEDIA_TYPES, resolveImageDigest } from '../../src/lock/image-resolver';
import { freePort } from '../support/registry';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const INDEX = 'application/vnd.oci.image.index.v1+json';

interface Seen { method: string; path: string; headers: IncomingHttpHeaders }
type Handler = (req: IncomingMessage, res: ServerResponse, base: string) => void;

let server: Server;
let base = '';
let host = '';
let handler: Handler = (_req, res) => res.end();
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    handler(req, res, base);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = `http://${host}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>(resolve => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DockyardValidationError);
    const problems = (error as DockyardValidationError).problems;
    expect(problems).toHaveLength(1);
    return problems[0];
  }
  throw new Error('expected the resolution to fail');
}

/** A registry that challenges manifest requests and serves `tokenBody` from /token. */
function challenging(tokenStatus: number, tokenBody: string, afterToken: (res: ServerResponse) => void): Handler {
  return (req, res, url) => {
    if (req.url?.startsWith('/token')) {
      res.writeHead(tokenStatus, { 'Content-Type': 'application/json' });
      res.end(tokenBody);
    } else if (req.headers.authorization) {
      afterToken(res);
    } else {
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${url}/token",service="fake-registry",scope="repository:library/busybox:pull"` });
      res.end();
    }
  };
}

const ok = (mediaType = INDEX) => (res: ServerResponse) => {
  res.writeHead(200, { 'Content-Type': mediaType, 'Docker-Content-Digest': DIGEST });
  res.end();
};

describe('resolveImageDigest: what it sends, and the bearer-token flow', () => {
  test('HEAD only, on /v2/<repo>/manifests/<tag>, accepting all four manifest types; the anonymous token is requested and used', async () => {
    handler = challenging(200, JSON.stringify({ token: 'tok-123' }), ok());
    const resolved = await resolveImageDigest(`${host}/library/busybox:1.36`);
    expect(resolved).toEqual({
      reference: `${host}/library/busybox:1.36`, registry: host, repository: 'library/busybox', tag: '1.36', digest: DIGEST, mediaType: INDEX,
    });
    expect(seen.map(s => `${s.method} ${s.path}`)).toEqual([
      'HEAD /v2/library/busybox/manifests/1.36',
      'GET /token?service=fake-registry&scope=repository%3Alibrary%2Fbusybox%3Apull',
      'HEAD /v2/library/busybox/manifests/1.36',
    ]);
    for (const type of MANIFEST_MEDIA_TYPES) expect(seen[0].headers.accept).toContain(type);
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[2].headers.authorization).toBe('Bearer tok-123');
  });

  test('"access_token" is accepted as well as "token"; the media type may carry parameters', async () => {
    handler = challenging(200, JSON.stringify({ access_token: 'tok-456' }), ok(`${MANIFEST_MEDIA_TYPES[3]}; charset=utf-8`));
    const resolved = await resolveImageDigest(`${host}/a/b`);
    expect(resolved.tag).toBe('latest');
    expect(resolved.mediaType).toBe(MANIFEST_MEDIA_TYPES[3]);
    expect(seen[2].headers.authorization).toBe('Bearer tok-456');
  });
});

describe('resolveImageDigest: every malformed or failed answer is a clear error naming the reference', () => {
  const ref = () => `${host}/library/busybox:1.36`;
  const prefix = () => `image "${ref()}": `;

  test.each<[string, Handler, RegExp]>([
    ['200 without a Docker-Content-Digest header', (_q, res) => { res.writeHead(200, { 'Content-Type': INDEX }); res.end(); },
      /the registry's answer has no Docker-Content-Digest header \(HEAD http:\/\/.*\/v2\/library\/busybox\/manifests\/1\.36 → HTTP 200\)\. The server does not speak/],
    ['a digest that is not sha256:<64 hex>', (_q, res) => { res.writeHead(200, { 'Content-Type': INDEX, 'Docker-Content-Digest': 'sha256:abc' }); res.end(); },
      /Docker-Content-Digest "sha256:abc" is not "sha256:" followed by 64 lower-case hex digits/],
    ['an unexpected media type (an HTML page)', (_q, res) => { res.writeHead(200, { 'Content-Type': 'text/html', 'Docker-Content-Digest': DIGEST }); res.end(); },
      /answered media type "text\/html", not one of application\/vnd\.oci\.image\.index\.v1\+json, .*Only OCI \/ Docker schema 2/],
    ['a schema-1 manifest', (_q, res) => {
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'Docker-Content-Digest': DIGEST }); res.end();
    }, /media type "application\/vnd\.docker\.distribution\.manifest\.v1\+prettyjws"/],
    ['a 404', (_q, res) => { res.writeHead(404); res.end(); },
      /tag "1\.36" of 127\.0\.0\.1:\d+\/library\/busybox was not found \(HEAD .* → HTTP 404\)\. Check the tag and repository exist/],
    ['a 500', (_q, res) => { res.writeHead(500); res.end(); }, /the registry answered an unexpected status \(HEAD .* → HTTP 500\)/],
    ['a 429', (_q, res) => { res.writeHead(429); res.end(); }, /rate-limiting.*Wait and refresh/],
    ['a 401 without a challenge', (_q, res) => { res.writeHead(401); res.end(); }, /asked for authentication without a WWW-Authenticate challenge/],
    ['a Bearer challenge without a realm', (_q, res) => { res.writeHead(401, { 'WWW-Authenticate': 'Bearer service="x",scope="y"' }); res.end(); },
      /challenge "Bearer service=\\"x\\",scope=\\"y\\"" is not a Bearer challenge with a realm/],
    ['an unparseable Bearer challenge', (_q, res) => { res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="http://127.0.0.1/token' }); res.end(); },
      /is not a Bearer challenge with a realm/],
    ['a realm that is not a URL', (_q, res) => { res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="not a url"' }); res.end(); },
      /the token realm "not a url" in the registry's challenge is not a URL/],
    ['a plain-http realm off this machine', (_q, res) => { res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="http://auth.example.com/token"' }); res.end(); },
      /the token realm "http:\/\/auth\.example\.com\/token" is not https/],
    ['Basic authentication', (_q, res) => { res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Registry Realm"' }); res.end(); },
      /requires a user name and password \(Basic authentication\).*make the image public/],
    ['a token endpoint answering HTML', challenging(200, '<html>login</html>', ok()),
      /the token endpoint answered something that is not JSON: "<html>login<\/html>" \(GET http:\/\/.*\/token\?service=fake-registry&scope=.* → HTTP 200\)/],
    ['a token endpoint answering JSON without a token', challenging(200, '{"expires_in":300}', ok()), /the token endpoint's JSON has no "token" or "access_token" string/],
    ['a token endpoint refusing', challenging(403, '{"errors":[]}', ok()), /the token endpoint refused an anonymous token \(GET .* → HTTP 403\)/],
    ['a registry refusing its own token', challenging(200, '{"token":"t"}', res => { res.writeHead(401); res.end(); }),
      /the registry refused the anonymous token from http:\/\/127\.0\.0\.1:\d+\/token \(HEAD .* → HTTP 401\)\. The repository is private/],
  ])('%s', async (_name, h, message) => {
    handler = h;
    const problem = await rejection(resolveImageDigest(ref()));
    expect(problem.startsWith(prefix())).toBe(true);
    expect(problem).toMatch(message);
  });

  test('a server that never answers: the timeout fires and says so', async () => {
    handler = () => undefined; // never answers
    const started = Date.now();
    const problem = await rejection(resolveImageDigest(ref(), { timeoutMs: 300 }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(problem).toMatch(/no answer within 300 ms \(HEAD http:\/\/127\.0\.0\.1:\d+\/v2\/library\/busybox\/manifests\/1\.36\)\. Check the registry is reachable/);
    server.closeAllConnections();
  });

  test('a closed port: the network error is named', async () => {
    const port = await freePort();
    const problem = await rejection(resolveImageDigest(`127.0.0.1:${port}/x/y:1`));
    expect(problem).toMatch(new RegExp(`^image "127\\.0\\.0\\.1:${port}/x/y:1": could not reach the registry \\(HEAD http://127\\.0\\.0\\.1:${port}/v2/x/y/manifests/1: .*ECONNREFUSED`));
  });

  test('a non-positive timeout is rejected before any request', async () => {
    expect(await rejection(resolveImageDigest(`${host}/x/y:1`, { timeoutMs: 0 }))).toContain('timeoutMs 0 is not a positive whole number');
    expect(seen).toEqual([]);
  });
});

describe('image references', () => {
  test.each([
    ['python:3.11-alpine', 'registry-1.docker.io', 'library/python', '3.11-alpine'],
    ['python', 'registry-1.docker.io', 'library/python', 'latest'],
    ['docker.io/python:3', 'registry-1.docker.io', 'library/python', '3'],
    ['docker.io/x/y', 'registry-1.docker.io', 'x/y', 'latest'],
    ['index.docker.io/library/busybox:1.36', 'registry-1.docker.io', 'library/busybox', '1.36'],
    ['bitnami/redis:7.2', 'registry-1.docker.io', 'bitnami/redis', '7.2'],
    ['ghcr.io/owner/image:1.0.0', 'ghcr.io', 'owner/image', '1.0.0'],
    ['127.0.0.1:5000/library/busybox:1.36', '127.0.0.1:5000', 'library/busybox', '1.36'],
    ['localhost/a/b/c:v_1', 'localhost', 'a/b/c', 'v_1'],
    ['[::1]:5000/a:b', '[::1]:5000', 'a', 'b'],
    ['constructor', 'registry-1.docker.io', 'library/constructor', 'latest'],
  ])('%s → %s %s:%s', (reference, registry, repository, tag) => {
    expect(parseImageName(reference)).toEqual({ reference, registry, repository, tag });
  });

  test.each([
    ['', /is empty/],
    ['python:3.11@sha256:0123', /already carries a digest.*the lock file records the digest/],
    ['Python:3', /repository component "Python" is not valid/],
    ['python:', /tag "" is not valid/],
    ['python:-x', /tag "-x" is not valid/],
    ['__proto__', /repository component "__proto__" is not valid/],
    ['a b', /contains white space/],
    ['bad_host.io:x/y', /registry "bad_host\.io:x" is not a host name/],
  ])('%j is rejected with the rule', (reference, message) => {
    try {
      parseImageName(reference);
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(DockyardValidationError);
      expect((error as DockyardValidationError).problems[0]).toMatch(message);
    }
  });

  test('plain http only for loopback registries', () => {
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(registryBaseUrl('[::1]:5000')).toBe('http://[::1]:5000');
    expect(registryBaseUrl('registry-1.docker.io')).toBe('https://registry-1.docker.io');
    expect(registryBaseUrl('127.0.0.1.example.com')).toBe('https://127.0.0.1.example.com');
    expect(registryBaseUrl('localhost.example.com:443')).toBe('https://localhost.example.com:443');
    expect(isLoopbackRegistry('10.0.0.1:5000')).toBe(false);
  });
});
