/**
 * The N images × M platforms pipeline, end to end on a real engine: one build leg per platform (linux/arm64 under
 * QEMU) pushes by digest to a registry on 127.0.0.1, the merge step gets the digests as empty files in a directory
 * and makes one tagged multi-platform index with `docker buildx imagetools create`.
 *
 * Needs: scripts/docker-engine.sh all, then scripts/arm64.sh install && scripts/arm64.sh base-images, and Debian's
 * docker-registry. When DOCKYARD_REQUIRE_DOCKER=1 anything missing fails the suite; otherwise it is skipped.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, removeImages, tempDir, uniqueName } from '../support/docker';
import {
  buildLeg, containerdImageStore, describeWithLegs, ImageIndex, INDEX_TYPES, inspectIndex, isAttestation, LEG_BASES, LegPlatform, LegResult,
  MACHINE, MANIFEST_TYPES, platformsOf, pushProvenanceIndex, registryManifestHead, runMergeScript, runPlatform,
} from '../support/legs';
import { ensureRegistryInstalled, startRegistry, TestRegistry } from '../support/registry';

const PLATFORMS = Object.keys(LEG_BASES) as LegPlatform[];

/**
 * A hand-written two-stage Dockerfile with typed stages: `probe` records the machine it is built on (so the arm64
 * leg proves its RUN steps ran under QEMU), `final` carries only that file and prints it.
 */
function dockerfile(from: string): string {
  return [
    `FROM ${from} AS probe`,
    'RUN uname -m > /machine && busybox | head -n 1 > /busybox-version',
    '',
    `FROM ${from} AS final`,
    'COPY --from=probe /machine /busybox-version /etc/dockyard/',
    'USER nobody',
    'CMD ["cat", "/etc/dockyard/machine"]',
    '',
  ].join('\n');
}

/** The documented docker/build-push-action merge step, with `${{ env.REGISTRY_IMAGE }}` as a shell variable. */
const MERGE_SCRIPT = `
ls -1 | grep -qE '^[0-9a-f]{64}$'
docker buildx imagetools create $(jq -cr '.tags | map("-t " + .) | join(" ")' <<< "$DOCKER_METADATA_OUTPUT_JSON") \\
  $(printf "\${REGISTRY_IMAGE}@sha256:%s " *)
for tag in $(jq -r '.tags[]' <<< "$DOCKER_METADATA_OUTPUT_JSON"); do
  docker buildx imagetools inspect "$tag"
done
`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

describeWithLegs('build legs per platform, pushed by digest and merged into one index', () => {
  let registry: TestRegistry;
  let work: string;
  const from = `${uniqueName('dockyard-legs')}/busybox:1.36`;
  const repository = 'dockyard/legs';
  const pulled: string[] = [];

  /** runPlatform, remembering the image it pulled (one platform per tag: the previous one loses its tag). */
  const runOn = async (ref: string, platform: LegPlatform, cmd: string[] = []) => {
    const out = await runPlatform(ref, platform, cmd);
    pulled.push(docker(['image', 'inspect', '--format', '{{.Id}}', ref]).stdout.trim());
    return out;
  };
  const legs = {} as Record<LegPlatform, LegResult>;

  const leg = (platform: LegPlatform, extra: { provenance?: boolean } = {}) => buildLeg({
    dockerfile: join(work, 'Dockerfile'),
    context: work,
    target: 'final',
    platform,
    registry: registry.host,
    repository,
    baseRetags: [[LEG_BASES[platform], from]],
    // a fresh build each run: the arm64 RUN step really runs under QEMU here, not from an earlier run's cache
    extraArgs: ['--no-cache'],
    ...extra,
  });

  const merge = async (digests: string[], tags: string[]) => {
    const digestsDir = join(tempDir('dockyard-merge-'), 'digests');
    const image = `${registry.host}/${repository}`;
    const r = await runMergeScript(MERGE_SCRIPT, {
      REGISTRY_IMAGE: image,
      DOCKER_METADATA_OUTPUT_JSON: JSON.stringify({ tags: tags.map(t => `${image}:${t}`) }),
    }, digestsDir, { digests });
    rmSync(join(digestsDir, '..'), { recursive: true, force: true });
    if (r.status !== 0) throw new Error(`merge script failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    console.log(`merge of ${digests.length} digests into ${tags.join(', ')}: ${seconds(r.ms)}`);
    return r;
  };

  beforeAll(async () => {
    ensureRegistryInstalled();
    registry = await startRegistry();
    work = tempDir('dockyard-legs-');
    writeFileSync(join(work, 'Dockerfile'), dockerfile(from));
    mkdirSync(join(work, 'unused'));
    writeFileSync(join(work, '.dockerignore'), 'unused\n');
  }, 60_000);

  afterAll(async () => {
    removeImages(...new Set(pulled.filter(Boolean)), `${registry?.host}/${repository}:1.2.3`, `${registry?.host}/${repository}:prov`);
    await registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  test('each platform builds as its own leg (arm64 under QEMU) and pushes; the digest is the registry\'s', async () => {
    for (const platform of PLATFORMS) {
      legs[platform] = await leg(platform);
      console.log(`leg ${platform}: ${seconds(legs[platform].ms)} → ${legs[platform].digest}`);
      expect(legs[platform].log).toContain('RUN uname -m');
    }
    expect(legs['linux/amd64'].digest).not.toEqual(legs['linux/arm64'].digest);
    for (const platform of PLATFORMS) {
      const head = await registryManifestHead(legs[platform].ref);
      expect(head.status).toBe(200);
      expect(head.digest).toBe(legs[platform].digest);
      // a single-platform manifest, not an index (no attestations)
      expect([MANIFEST_TYPES[2], MANIFEST_TYPES[3]]).toContain(head.contentType);
    }
    // the re-tagged FROM name is gone again: it did not exist before the legs
    expect(docker(['image', 'inspect', from]).status).not.toBe(0);
  }, 900_000);

  test('the merge step makes each tag one index of exactly linux/amd64 and linux/arm64, runnable per platform', async () => {
    expect(Object.keys(legs)).toHaveLength(2);
    const image = `${registry.host}/${repository}`;
    const tags = ['1.2.3', 'latest'];
    await merge(PLATFORMS.map(p => legs[p].digest), tags);

    const indexes: ImageIndex[] = [];
    for (const tag of tags) {
      const index = await inspectIndex(`${image}:${tag}`);
      indexes.push(index);
      expect(platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);
      expect(index.manifests).toHaveLength(2);
      // the legs' manifests themselves, by digest
      expect(index.manifests.map(m => m.digest).sort()).toEqual(PLATFORMS.map(p => legs[p].digest).sort());
      const head = await registryManifestHead(`${image}:${tag}`);
      expect(head.contentType).toBe(index.mediaType);
    }
    const [first, second] = await Promise.all(tags.map(t => registryManifestHead(`${image}:${t}`)));
    expect(first.digest).toBe(second.digest);

    for (const platform of PLATFORMS) {
      const ref = `${image}:${tags[0]}`;
      // CMD prints what the probe stage's RUN saw at build time; then the machine at run time
      expect(await runOn(ref, platform)).toBe(MACHINE[platform]);
      expect(await runOn(ref, platform, ['uname', '-m'])).toBe(MACHINE[platform]);
    }
  }, 900_000);

  test('provenance legs push an index; imagetools create takes index digests and flattens them', async () => {
    expect(Object.keys(legs)).toHaveLength(2);
    const image = `${registry.host}/${repository}`;
    const sources = {} as Record<LegPlatform, string>;
    if (await containerdImageStore()) {
      for (const platform of PLATFORMS) sources[platform] = (await leg(platform, { provenance: true })).digest;
    } else {
      // the classic image store's docker driver cannot attest: push what a provenance leg pushes through the registry API
      await expect(leg('linux/amd64', { provenance: true })).rejects.toThrow(/Attestation is not supported for the docker driver/);
      for (const platform of PLATFORMS) {
        sources[platform] = await pushProvenanceIndex(registry.host, repository, legs[platform].digest, platform, `leg-prov-${platform.slice(6)}`);
      }
    }
    const inner = {} as Record<LegPlatform, string>;
    for (const platform of PLATFORMS) {
      const head = await registryManifestHead(`${image}@${sources[platform]}`);
      expect(head.digest).toBe(sources[platform]);
      expect(head.contentType).toBe(MANIFEST_TYPES[0]);
      const leg1 = await inspectIndex(`${image}@${sources[platform]}`);
      expect(platformsOf(leg1)).toEqual([platform]);
      expect(leg1.manifests.filter(isAttestation)).toHaveLength(1);
      inner[platform] = leg1.manifests.find(m => !isAttestation(m))!.digest;
    }

    await merge(PLATFORMS.map(p => sources[p]), ['prov']);
    const merged = await inspectIndex(`${image}:prov`);
    // one flat index: both platforms' manifests and both attestation manifests (no nested indexes)
    expect(platformsOf(merged)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(merged.manifests).toHaveLength(4);
    expect(merged.manifests.every(m => !INDEX_TYPES.includes(m.mediaType))).toBe(true);
    const attestations = merged.manifests.filter(isAttestation);
    expect(attestations.map(a => a.platform)).toEqual([{ os: 'unknown', architecture: 'unknown' }, { os: 'unknown', architecture: 'unknown' }]);
    expect(attestations.map(a => a.annotations?.['vnd.docker.reference.digest']).sort()).toEqual(Object.values(inner).sort());
    expect(merged.manifests.filter(m => !isAttestation(m)).map(m => m.digest).sort()).toEqual(Object.values(inner).sort());

    const ref = `${image}:prov`;
    expect(await runOn(ref, 'linux/arm64')).toBe('aarch64');
    expect(await runOn(ref, 'linux/amd64')).toBe('x86_64');
  }, 900_000);
});
