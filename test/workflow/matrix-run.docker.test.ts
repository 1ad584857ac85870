/**
 * The matrix publish workflow, run for real on this machine: the project's generated workflow is read back,
 * each leg of its publish job is built exactly as the leg builds (same Dockerfile, context, target, platform;
 * linux/arm64 under QEMU) and pushed to a registry on 127.0.0.1, the leg's own "Record the digest" script
 * writes the digest file, and the merge job's own "Create the tagged index" script, verbatim from the YAML,
 * makes each image's tagged index. Then every tag is an index of exactly the image's platforms, runnable per
 * platform. Locally the `docker` buildx driver refuses push-by-digest and a docker-container builder needs an
 * image from Docker Hub, so a leg pushes under a temporary tag and takes its digest from --metadata-file (the
 * registry's own digest); the leg's `outputs` flags are checked statically.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from 'projen';
import { parse } from 'yaml';
import { Obj, runStep } from './support';
import { BaseImage, CopySource, GhcrPublishWorkflow, MultiStageDockerfile } from '../../src';
import { docker, removeImages, tempDir } from '../support/docker';
import { buildLeg, describeWithLegs, inspectIndex, LEG_BASES, LegPlatform, MACHINE, platformsOf, registryManifestHead, runMergeScript, runPlatform } from '../support/legs';
import { ensureRegistryInstalled, startRegistry, TestRegistry } from '../support/registry';

const BASE = 'dockyard-matrix/busybox:1.36';

/** A two-image monorepo: `api` (amd64 + arm64) and `worker` (amd64), both typed stages on busybox. */
function project(outdir: string) {
  process.env.PROJEN_DISABLE_POST = 'true';
  const p = new Project({ name: 'monorepo', outdir });
  const images = ['api', 'worker'].map(name => {
    const df = new MultiStageDockerfile(p, name, { path: `services/${name}/Dockerfile`, context: `services/${name}` });
    const probe = df.addStage('probe', { from: BaseImage.fromRegistry(BASE) }).run('uname -m > /machine');
    df.addStage('final', { from: BaseImage.fromRegistry(BASE) })
      .copy(['/machine'], '/etc/machine', { from: CopySource.stage(probe) })
      .copy(['hello.txt'], '/etc/hello.txt')
      .user('65534')
      .cmd(['cat', '/etc/machine']);
    mkdirSync(join(outdir, 'services', name), { recursive: true });
    writeFileSync(join(outdir, 'services', name, 'hello.txt'), `${name}\n`);
    return df;
  });
  new GhcrPublishWorkflow(p, {
    provenanceAttestation: false,
    images: [
      { name: 'api', dockerfile: images[0], imageName: 'acme/api', platforms: ['linux/amd64', 'linux/arm64'] },
      { name: 'worker', dockerfile: images[1], imageName: 'acme/worker' },
    ],
  });
  p.synth();
  return parse(readFileSync(join(outdir, '.github/workflows/container-publish.yml'), 'utf8')) as Obj;
}

describeWithLegs('the matrix workflow, run locally leg by leg and merged by its own script', () => {
  let registry: TestRegistry;
  const outdir = tempDir('dockyard-matrix-run-');
  let wf: Obj;
  const digests = new Map<string, string>();
  const pulled: string[] = [];

  beforeAll(async () => {
    ensureRegistryInstalled();
    registry = await startRegistry();
    wf = project(outdir);
  }, 120_000);

  afterAll(async () => {
    removeImages(...pulled);
    await registry?.stop();
    rmSync(outdir, { recursive: true, force: true });
  }, 60_000);

  test('each leg builds as its publish leg says, and its own script records the digest it pushed', async () => {
    const publish = wf.jobs['container-publish'];
    const legs: Obj[] = publish.strategy.matrix.include;
    expect(legs.map(l => `${l.image} ${l.platform} ${l.runner}`)).toEqual(['api linux/amd64 ubuntu-24.04', 'api linux/arm64 ubuntu-24.04-arm', 'worker linux/amd64 ubuntu-24.04']);
    const build = publish.steps.find((s: Obj) => s.name === 'Build and push by digest');
    // statically: the leg pushes by digest under the image's canonical name, untagged
    expect(build.with.outputs).toBe('type=image,name=${{ steps.image.outputs.name }},push-by-digest=true,name-canonical=true,push=true');
    expect([build.with.context, build.with.file, build.with.target, build.with.platforms]).toEqual(['${{ matrix.context }}', '${{ matrix.file }}', '${{ matrix.target }}', '${{ matrix.platform }}']);
    const record = publish.steps.find((s: Obj) => s.name === 'Record the digest');
    for (const leg of legs) {
      const pushed = await buildLeg({
        dockerfile: join(outdir, leg.file),
        context: join(outdir, leg.context),
        target: leg.target,
        platform: leg.platform,
        registry: registry.host,
        repository: leg.repository,
        baseRetags: [[LEG_BASES[leg.platform as LegPlatform], BASE]],
        extraArgs: ['--no-cache'],
      });
      const dir = join(outdir, 'digests', leg.image);
      const r = runStep(record, { steps: { build: { outputs: { digest: pushed.digest } } }, runner: { temp: join(outdir, 'runner', leg.slug) } });
      expect(r.status).toBe(0);
      // the artifact pattern digests-<image>-* gathers every leg of the image into one directory
      mkdirSync(dir, { recursive: true });
      const hex = pushed.digest.slice('sha256:'.length);
      writeFileSync(join(dir, hex), readFileSync(join(outdir, 'runner', leg.slug, 'digests', hex)));
      digests.set(`${leg.image} ${leg.platform}`, pushed.digest);
    }
  }, 900_000);

  test('the merge script, verbatim, makes each image one tagged index of exactly its platforms', async () => {
    expect(digests.size).toBe(3);
    const merge = wf.jobs['container-merge'];
    const script = merge.steps.find((s: Obj) => s.name === 'Create the tagged index').run as string;
    for (const [name, platforms] of [['api', ['linux/amd64', 'linux/arm64']], ['worker', ['linux/amd64']]] as const) {
      const image = `${registry.host}/acme/${name}`;
      const tags = [`${image}:sha-0123456`, `${image}:latest`, `${image}:production`];
      const output = join(outdir, `merge-${name}.out`);
      writeFileSync(output, '');
      const r = await runMergeScript(script, {
        IMAGE: image,
        METADATA_JSON: JSON.stringify({ tags, annotations: [`index:org.opencontainers.image.title=${name}`] }),
        DIGEST_DIR: join(outdir, 'digests', name),
        GITHUB_OUTPUT: output,
      }, outdir);
      expect(r.stderr).not.toMatch(/::error::/);
      expect(r.status).toBe(0);
      const written = readFileSync(output, 'utf8');
      expect(written).toMatch(/^digest=sha256:[0-9a-f]{64}\n$/);
      const digest = written.trim().slice('digest='.length);
      for (const tag of tags) {
        const index = await inspectIndex(tag);
        expect(platformsOf(index)).toEqual([...platforms]);
        expect(index.manifests.map(m => m.digest).sort()).toEqual(platforms.map(p => digests.get(`${name} ${p}`)).sort());
        expect((await registryManifestHead(tag)).digest).toBe(digest);
      }
      for (const platform of platforms) {
        expect(await runPlatform(tags[0], platform as LegPlatform)).toBe(MACHINE[platform as LegPlatform]);
        pulled.push(docker(['image', 'inspect', '--format', '{{.Id}}', tags[0]]).stdout.trim());
      }
    }
  }, 900_000);

  test('with no digest to merge the script fails and moves no tag', async () => {
    const merge = wf.jobs['container-merge'];
    const script = merge.steps.find((s: Obj) => s.name === 'Create the tagged index').run as string;
    const empty = tempDir('dockyard-no-digests-');
    const image = `${registry.host}/acme/nothing`;
    const r = await runMergeScript(script, { IMAGE: image, METADATA_JSON: JSON.stringify({ tags: [`${image}:latest`] }), DIGEST_DIR: empty, GITHUB_OUTPUT: join(empty, 'out') }, empty);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/::error::nothing to merge: 1 tag\(s\), 0 digest\(s\)/);
    expect((await registryManifestHead(`${image}:latest`)).status).toBe(404);
  }, 120_000);
});
