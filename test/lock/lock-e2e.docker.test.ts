/**
 * The lock on the real engine: images pushed by Docker to a real registry (Debian's docker-registry on
 * 127.0.0.1), locked by `npx projen dockyard:lock` in a user's project, and the GENERATED Dockerfiles (a
 * MultiStageDockerfile whose FROM is `<registry>/library/busybox:${BUSYBOX_TAG}`, and the Python preset on
 * `<registry>/library/python:3.11-slim-bookworm`) built from those digests. A new image pushed under the same
 * tag moves the lock and the regenerated Dockerfiles, and the next build uses it; an unknown tag changes nothing.
 */
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LockProject, lockProject, ok } from './support';
import { MANIFEST_MEDIA_TYPES } from '../../src/lock/image-resolver';
import { LOCK_FILE_NAME, readLockFile } from '../../src/lock/lock-file';
import { describeWithDocker, docker, dockerOk, removeImages, tempDir, uniqueName } from '../support/docker';
import { getManifest, startRegistry, TestRegistry } from '../support/registry';

const FIXTURE = join(__dirname, '..', 'fixtures', 'python-app');

const PROJENRC = `
const { Project, javascript } = require('projen');
const {
  BaseImage, DependencyManifest, DockyardLock, MultiStageDockerfile, PythonAppDockerfile, PythonFramework, PythonOsFamily,
} = require('cdk-dockyard');
const config = require('./lock-test.json');
const project = new Project({ name: 'lock-e2e' });
new javascript.Projenrc(project);
const busybox = new MultiStageDockerfile(project, 'Busybox', { path: 'docker/Dockerfile.busybox' });
busybox.addArg('BUSYBOX_TAG', config.busyboxTag, { description: 'The busybox tag' });
busybox.addStage('base', { from: BaseImage.fromRegistry(config.registry + '/library/busybox:\${BUSYBOX_TAG}') })
  .run('echo built > /built')
  .user('10001', '10001')
  .cmd(['cat', '/built']);
new PythonAppDockerfile(project, 'Prod', {
  osFamily: PythonOsFamily.DEBIAN_SLIM,
  runtimeImage: BaseImage.fromRegistry(config.registry + '/library/python:3.11-slim-bookworm'),
  framework: PythonFramework.wsgi('sampleapp.wsgi:application'),
  command: ['python3', '-m', 'sampleapp.serve'],
  dependencies: DependencyManifest.requirements({ devFiles: ['requirements-dev.txt'] }),
  dependencyFiles: ['vendor'],
  pipWheelArgs: ['--no-index', '--no-build-isolation'],
});
new DockyardLock(project, { refreshWorkflow: false });
project.synth();
`;

describeWithDocker('the lock on the real engine: generated Dockerfiles built from the registry\'s digests', () => {
  let registry: TestRegistry;
  let project: LockProject;
  let work: string;
  const images: string[] = [];
  let busyboxRef: string;
  let pythonRef: string;

  const push = (source: string, target: string) => {
    dockerOk(['tag', source, target]);
    images.push(target);
    dockerOk(['push', '-q', target], { timeoutMs: 300_000 });
  };
  /** Builds `FROM base` + a label under a local tag, and pushes it to `target`: a new image under the same tag. */
  const pushRebuilt = (base: string, target: string, label: string) => {
    writeFileSync(join(work, 'Dockerfile'), `FROM ${base}\nLABEL dockyard.rebuilt="${label}"\n`);
    const local = uniqueName('dockyard-lock-rebuilt');
    dockerOk(['build', '--network=none', '-q', '-t', local, work], { timeoutMs: 300_000 });
    images.push(local);
    push(local, target);
  };
  const served = async (repository: string, tag: string) =>
    (await getManifest(registry.host, repository, tag, [...MANIFEST_MEDIA_TYPES])).headerDigest!;
  const build = (dockerfile: string, extra: string[] = []) => {
    const tag = uniqueName('dockyard-lock-built');
    images.push(tag);
    const r = docker(['build', '--pull', '--progress=plain', '--network=none', '-f', join(project.dir, dockerfile), '-t', tag, ...extra, project.dir], { timeoutMs: 900_000 });
    return { tag, ...r };
  };
  const fromLine = (path: string) => project.read(path)!.split('\n').find(l => l.startsWith('FROM ') && l.endsWith(' AS base'));
  const configure = (busyboxTag: string) => writeFileSync(join(project.dir, 'lock-test.json'), JSON.stringify({ registry: registry.host, busyboxTag }));

  beforeAll(async () => {
    registry = await startRegistry();
    work = tempDir('dockyard-lock-e2e-');
    busyboxRef = `${registry.host}/library/busybox:1.36`;
    pythonRef = `${registry.host}/library/python:3.11-slim-bookworm`;
    push('busybox:1.36', busyboxRef);
    push('python:3.11-slim-bookworm', pythonRef);
    project = lockProject(PROJENRC, { 'lock-test.json': '{}' });
    cpSync(FIXTURE, project.dir, { recursive: true });
    configure('1.36');
    ok(project.bootstrap(), 'the first synthesis');
    ok(project.projen(['dockyard:lock']), 'npx projen dockyard:lock');
  });

  afterAll(async () => {
    removeImages(...images);
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
    if (project) rmSync(project.dir, { recursive: true, force: true });
  });

  test('the lock holds the registry\'s digests, and both generated FROM lines carry them (no ${…})', async () => {
    const lock = readLockFile(join(project.dir, LOCK_FILE_NAME))!;
    expect(Object.keys(lock.images).sort()).toEqual([busyboxRef, pythonRef].sort());
    expect(lock.images[busyboxRef].digest).toBe(await served('library/busybox', '1.36'));
    expect(lock.images[pythonRef].digest).toBe(await served('library/python', '3.11-slim-bookworm'));
    expect(fromLine('docker/Dockerfile.busybox')).toBe(`FROM ${busyboxRef}@${lock.images[busyboxRef].digest} AS base`);
    expect(fromLine('docker/Dockerfile.prod')).toBe(`FROM ${pythonRef}@${lock.images[pythonRef].digest} AS base`);
    expect(project.read('docker/Dockerfile.prod.md')).toContain(`| \`base\` | \`${pythonRef}@${lock.images[pythonRef].digest}\` |`);
  });

  test('both build on the engine from the locked digests; the digest wins over --build-arg (which would have changed the image)', () => {
    const busybox = build('docker/Dockerfile.busybox');
    expect(busybox.status).toBe(0);
    expect(dockerOk(['run', '--rm', busybox.tag]).trim()).toBe('built');
    // the tag 9.9 does not exist: had the FROM kept ${BUSYBOX_TAG}, this build would pull 9.9 (and fail)
    const overridden = build('docker/Dockerfile.busybox', ['--build-arg', 'BUSYBOX_TAG=9.9']);
    expect({ status: overridden.status, err: overridden.stderr.slice(-2000) }).toEqual({ status: 0, err: expect.any(String) });
    writeFileSync(join(work, 'Dockerfile.unlocked'), `ARG BUSYBOX_TAG=1.36\nFROM ${registry.host}/library/busybox:\${BUSYBOX_TAG}\n`);
    const unlocked = docker(['build', '--pull', '--network=none', '-q', '--build-arg', 'BUSYBOX_TAG=9.9', '-f', join(work, 'Dockerfile.unlocked'), work], { timeoutMs: 300_000 });
    expect(unlocked.status).not.toBe(0);
    expect(unlocked.stderr).toMatch(/busybox:9\.9.*(not found|manifest unknown)/is);

    const prod = build('docker/Dockerfile.prod');
    expect({ status: prod.status, log: prod.status === 0 ? '' : prod.stderr.slice(-4000) }).toEqual({ status: 0, log: '' });
    expect(dockerOk(['run', '--rm', '--entrypoint', 'python3', prod.tag, '-c', 'import greeting; print("ok")']).trim()).toBe('ok');
  });

  test('new images under the same tags: the refresh moves the lock and the regenerated Dockerfiles, and the next build uses them', async () => {
    const before = readLockFile(join(project.dir, LOCK_FILE_NAME))!;
    const label = uniqueName('moved');
    pushRebuilt('busybox:1.36', busyboxRef, label);
    pushRebuilt('python:3.11-slim-bookworm', pythonRef, label);
    const busyboxNow = await served('library/busybox', '1.36');
    const pythonNow = await served('library/python', '3.11-slim-bookworm');
    expect(busyboxNow).not.toBe(before.images[busyboxRef].digest);
    expect(pythonNow).not.toBe(before.images[pythonRef].digest);

    ok(project.projen(['dockyard:lock']), 'the refresh');
    const after = readLockFile(join(project.dir, LOCK_FILE_NAME))!;
    expect(after.images[busyboxRef].digest).toBe(busyboxNow);
    expect(after.images[pythonRef].digest).toBe(pythonNow);
    expect(fromLine('docker/Dockerfile.busybox')).toBe(`FROM ${busyboxRef}@${busyboxNow} AS base`);
    expect(fromLine('docker/Dockerfile.prod')).toBe(`FROM ${pythonRef}@${pythonNow} AS base`);

    for (const path of ['docker/Dockerfile.busybox', 'docker/Dockerfile.prod']) {
      const built = build(path);
      expect({ path, status: built.status }).toEqual({ path, status: 0 });
      // the label comes from the new base image: the build used the new digest
      expect(dockerOk(['image', 'inspect', '--format', '{{ index .Config.Labels "dockyard.rebuilt" }}', built.tag]).trim()).toBe(label);
    }
  });

  test('an unknown tag: a clear error, and the lock and every generated file stay as they were', () => {
    const before = project.snapshot();
    configure('9.9');
    const r = project.projen(['dockyard:lock']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`image "${registry.host}/library/busybox:9.9": tag "9.9" of ${registry.host}/library/busybox was not found`);
    expect(r.stderr).toMatch(/lock file .*dockyard\.lock\.json was left unchanged; fix the problems above and refresh again\./);
    const after = project.snapshot();
    for (const [path, entry] of before) if (path !== 'lock-test.json') expect({ path, entry: after.get(path) }).toEqual({ path, entry });
    configure('1.36');
  });
});
