/**
 * The image resolver against Debian's docker-registry (distribution 2.8) on 127.0.0.1, with images pushed by a
 * real Docker engine, without and with token authentication; the digest it returns builds with that engine.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockyardValidationError } from '../../src/core/problems';
import { MANIFEST_MEDIA_TYPES, resolveImageDigest } from '../../src/lock/image-resolver';
import { describeWithDocker, docker, dockerOk, removeImages, tempDir, uniqueName } from '../support/docker';
import { describeWithRegistry, getManifest, pushImageViaApi, startRegistry, TestRegistry } from '../support/registry';

const INDEX_TYPES = MANIFEST_MEDIA_TYPES.slice(0, 2);

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DockyardValidationError);
    return (error as DockyardValidationError).problems.join('\n');
  }
  throw new Error('expected the resolution to fail');
}

/** The digest `docker buildx imagetools inspect` reports for a reference (the registry's answer, read by buildx). */
function imagetoolsDigest(reference: string): { digest: string; mediaType: string } {
  return JSON.parse(dockerOk(['buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', reference], { timeoutMs: 60_000 }));
}

describeWithRegistry('resolveImageDigest against a real registry (no Docker engine needed)', () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => registry?.stop());

  test('an image pushed through the API resolves to the digest the registry reports and the sha256 of the bytes it serves', async () => {
    const pushed = await pushImageViaApi(registry.host, 'team/app', '2.0', 'api-push');
    const resolved = await resolveImageDigest(`${registry.host}/team/app:2.0`);
    const answer = await getManifest(registry.host, 'team/app', '2.0', [...MANIFEST_MEDIA_TYPES]);
    expect(resolved).toEqual({
      reference: `${registry.host}/team/app:2.0`,
      registry: registry.host,
      repository: 'team/app',
      tag: '2.0',
      digest: pushed,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
    expect(answer.headerDigest).toBe(pushed);
    expect(answer.bodyDigest).toBe(pushed);
  });

  test('an unknown tag and an unknown repository are "not found" errors naming the reference', async () => {
    await pushImageViaApi(registry.host, 'team/app', '2.0', 'api-push');
    const tag = await rejection(resolveImageDigest(`${registry.host}/team/app:9.9`));
    expect(tag).toMatch(new RegExp(`^image "${registry.host}/team/app:9\\.9": tag "9\\.9" of ${registry.host}/team/app was not found \\(HEAD http://${registry.host}/v2/team/app/manifests/9\\.9 → HTTP 404\\)`));
    expect(tag).toContain(`GET http://${registry.host}/v2/team/app/tags/list lists the tags`);
    expect(await rejection(resolveImageDigest(`${registry.host}/nobody/nothing:1`))).toContain('was not found');
  });
});

describeWithDocker('resolveImageDigest against a real registry with images pushed by Docker', () => {
  let plain: TestRegistry;
  let secured: TestRegistry;
  let work: string;
  const tags: string[] = [];

  const push = (source: string, target: string): void => {
    dockerOk(['tag', source, target]);
    tags.push(target);
    dockerOk(['push', '-q', target], { timeoutMs: 120_000 });
  };

  beforeAll(async () => {
    work = tempDir('dockyard-lock-');
    plain = await startRegistry();
    secured = await startRegistry({ tokenAuth: true });
  });

  afterAll(async () => {
    removeImages(...tags);
    await plain?.stop();
    await secured?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  test('busybox:1.36 pushed to the registry resolves to the registry\'s own digest, and builds FROM that digest', async () => {
    const reference = `${plain.host}/library/busybox:1.36`;
    push('busybox:1.36', reference);
    const resolved = await resolveImageDigest(reference);
    const answer = await getManifest(plain.host, 'library/busybox', '1.36', [...MANIFEST_MEDIA_TYPES]);
    expect(resolved.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(resolved.digest).toBe(answer.headerDigest);
    expect(resolved.digest).toBe(answer.bodyDigest);
    expect(resolved.digest).toBe(imagetoolsDigest(reference).digest);
    expect(resolved.mediaType).toBe(answer.contentType);
    expect(resolved).toMatchObject({ registry: plain.host, repository: 'library/busybox', tag: '1.36' });

    writeFileSync(join(work, 'Dockerfile'), `FROM ${plain.host}/library/busybox:1.36@${resolved.digest}\nRUN echo pinned > /pinned\n`);
    const built = docker(['build', '--pull', '--network=none', '-q', '-t', uniqueName('dockyard-lock-pinned'), work], { timeoutMs: 300_000 });
    expect(built.stderr).not.toMatch(/ERROR/);
    expect(built.status).toBe(0);
    tags.push(built.stdout.trim());

    // a digest the registry does not have cannot be built: the pin really is the digest
    const wrong = resolved.digest.replace(/.$/, c => (c === '0' ? '1' : '0'));
    writeFileSync(join(work, 'Dockerfile'), `FROM ${plain.host}/library/busybox:1.36@${wrong}\n`);
    const failed = docker(['build', '--pull', '--network=none', '-q', work], { timeoutMs: 300_000 });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/not found|manifest unknown/i);
  });

  test('pushing a new image under the same tag moves the resolved digest', async () => {
    const reference = `${plain.host}/library/busybox:1.36`;
    push('busybox:1.36', reference);
    const before = await resolveImageDigest(reference);
    writeFileSync(join(work, 'Dockerfile'), `FROM busybox:1.36\nLABEL dockyard.test="${uniqueName('moved')}"\n`);
    const local = uniqueName('dockyard-lock-moved');
    dockerOk(['build', '--network=none', '-q', '-t', local, work], { timeoutMs: 300_000 });
    tags.push(local);
    push(local, reference);
    const after = await resolveImageDigest(reference);
    expect(after.digest).not.toBe(before.digest);
    expect(after.digest).toBe((await getManifest(plain.host, 'library/busybox', '1.36', [...MANIFEST_MEDIA_TYPES])).headerDigest);
  });

  test('token authentication: the 401 challenge is followed with an anonymous token, and the digest is the registry\'s', async () => {
    const reference = `${secured.host}/library/busybox:1.36`;
    push('busybox:1.36', reference);
    const unauthenticated = await getManifest(secured.host, 'library/busybox', '1.36', [...MANIFEST_MEDIA_TYPES]);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.wwwAuthenticate).toMatch(/^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service="dockyard-test-registry",scope="repository:library\/busybox:pull"/);

    const requestsBefore = secured.tokenRequests;
    const resolved = await resolveImageDigest(reference);
    expect(secured.tokenRequests).toBe(requestsBefore + 1);

    // the registry's own answer, with a token the test fetches itself
    const realm = /realm="([^"]+)"/.exec(unauthenticated.wwwAuthenticate ?? '')![1];
    const tokenAnswer = await fetch(`${realm}?service=dockyard-test-registry&scope=repository:library/busybox:pull`);
    const { token } = await tokenAnswer.json() as { token: string };
    const answer = await getManifest(secured.host, 'library/busybox', '1.36', [...MANIFEST_MEDIA_TYPES], token);
    expect(answer.status).toBe(200);
    expect(resolved.digest).toBe(answer.headerDigest);
    expect(resolved.digest).toBe(answer.bodyDigest);

    expect(await rejection(resolveImageDigest(`${secured.host}/library/busybox:0.0`))).toMatch(/tag "0\.0" .* was not found .*HTTP 404/);
  });

  test('a multi-platform image resolves to its index digest, not to one platform\'s manifest', async () => {
    const repo = `${plain.host}/library/multi`;
    push('busybox:1.36', `${repo}:amd64`);
    const container = dockerOk(['create', 'busybox:1.36']).trim();
    const tar = join(work, 'rootfs.tar');
    try {
      dockerOk(['export', '-o', tar, container]);
    } finally {
      docker(['rm', '-f', container]);
    }
    const arm64 = uniqueName('dockyard-lock-arm64');
    dockerOk(['import', '--platform', 'linux/arm64', tar, arm64]);
    tags.push(arm64);
    push(arm64, `${repo}:arm64`);
    dockerOk(['buildx', 'imagetools', 'create', '-t', `${repo}:1`, `${repo}:amd64`, `${repo}:arm64`], { timeoutMs: 120_000 });

    const resolved = await resolveImageDigest(`${repo}:1`);
    const platformDigests = [(await resolveImageDigest(`${repo}:amd64`)).digest, (await resolveImageDigest(`${repo}:arm64`)).digest];
    const index = await getManifest(plain.host, 'library/multi', '1', [...MANIFEST_MEDIA_TYPES]);
    const listed = (JSON.parse(index.body) as { manifests: { digest: string; platform: { architecture: string } }[] }).manifests;

    expect(INDEX_TYPES).toContain(resolved.mediaType);
    expect(resolved.digest).toBe(index.headerDigest);
    expect(resolved.digest).toBe(index.bodyDigest);
    expect(resolved.digest).toBe(imagetoolsDigest(`${repo}:1`).digest);
    expect(listed.map(m => m.platform.architecture).sort()).toEqual(['amd64', 'arm64']);
    expect(listed.map(m => m.digest).sort()).toEqual([...platformDigests].sort());
    expect(platformDigests).not.toContain(resolved.digest);

    // a build FROM the index digest picks this machine's platform out of it
    writeFileSync(join(work, 'Dockerfile'), `FROM ${repo}:1@${resolved.digest}\nRUN uname -m > /arch\n`);
    const built = docker(['build', '--pull', '--network=none', '-q', work], { timeoutMs: 300_000 });
    expect(built.status).toBe(0);
    tags.push(built.stdout.trim());
  });
});
