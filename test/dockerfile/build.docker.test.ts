/**
 * End-to-end proof of the Dockerfile model: Dockerfiles synthesized with the public API are built by a
 * real Docker engine (scripts/docker-engine.sh), their containers run, and Docker's own linter
 * (`docker build --check`, the BuildKit build checks) finds nothing to say about them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BaseImage, CopySource, HealthCheck, MultiStageDockerfile, OnBuildTrigger, Port, RunMount,
} from '../../src';
import {
  build, describeWithDocker, docker, dockerOk, removeContainers, removeImages, tempDir, uniqueName, waitForHealth,
} from '../support/docker';
import { check, renderToDirectory, RenderedDockerfile, testRoot } from '../support/dockerfile-build';

const UID = '10001';
const GID = '10001';

/** The entrypoint: greets (proving it runs, as whom, with which ENV), then runs the command. */
const ENTRYPOINT_SH = `#!/bin/sh
set -eu
echo "entrypoint: \${APP_GREETING} (uid $(id -u), gid $(id -g), user $(id -un))"
exec "$@"
`;

/** Served by busybox httpd; `$`, quotes and backslashes must arrive untouched. */
const INDEX_HTML = `<!doctype html>
<p>price: $5, "quoted" and 'single', a \\ backslash, \${NOT_EXPANDED}</p>
EOF
`;

/** A heredoc RUN script: multi-line, with quoting, a nested heredoc and a line that is exactly "EOF". */
const BUILD_SCRIPT = `set -eu
mkdir -p /src/out
cat > /src/out/from-script.txt <<'INNER'
EOF
$HOME stays '$X' "q" \\
INNER
echo "script ran as $(id -u) in $(pwd)" > /src/out/script-ran.txt
ls -A /ctx | sort > /src/out/context-listing.txt
`;

/** The builder runs as root: it is not the target. The runtime runs as UID 10001. */
function appDockerfile(nonce: string, cacheId: string) {
  const df = new MultiStageDockerfile(testRoot(), 'App', { path: 'docker/Dockerfile.app' });
  df.addArg('BUSYBOX_TAG', '1.36', { description: 'The busybox base image tag (a global ARG used in FROM)' });

  const assets = df.addStage('assets', { from: BaseImage.fromRegistry('busybox:${BUSYBOX_TAG}') })
    .comment('files another stage bind-mounts, never copies')
    .runScript('mkdir -p /assets\necho "bound from the assets stage" > /assets/bound.txt\n');

  const builder = df.addStage('builder', { from: BaseImage.fromRegistry('busybox:${BUSYBOX_TAG}') })
    .workdir('/src')
    .copy(['.'], '/ctx/')
    .copyContent(ENTRYPOINT_SH, '/src/entrypoint.sh', { chmod: '0755' })
    .copyContent(INDEX_HTML, 'www/index.html')
    .runScript(BUILD_SCRIPT)
    .run(`echo ${nonce} > /var/cache/e2e/token`, { mounts: [RunMount.cache({ id: cacheId, target: '/var/cache/e2e' })] })
    .run('cp /other/target/token /src/out/cache-token.txt', { mounts: [RunMount.cache({ id: cacheId, target: '/other/target' })] })
    .run('sha256sum /run/secrets/e2e_token | cut -d " " -f 1 > /src/out/secret-file.sha256', {
      mounts: [RunMount.secret({ id: 'e2e_token', required: true })],
    })
    .run('awk \'$2 == "/scratch" { print $3 }\' /proc/mounts > /src/out/scratch-fstype.txt', { mounts: [RunMount.tmpfs({ target: '/scratch' })] });

  const runtime = df.addStage('runtime', { from: BaseImage.fromRegistry('busybox:${BUSYBOX_TAG}') })
    .label('org.opencontainers.image.title', 'dockyard e2e')
    .runScript([
      `echo 'app:x:${UID}:${GID}:dockyard app:/home/app:/bin/sh' >> /etc/passwd`,
      `echo 'app:x:${GID}:' >> /etc/group`,
      'mkdir -p /app /home/app',
      `chown ${UID}:${GID} /home/app`,
    ].join('\n'))
    .workdir('/app')
    .copy(['/src/entrypoint.sh'], '/app/entrypoint.sh', { from: CopySource.stage(builder), chown: `${UID}:${GID}`, link: true })
    .copy(['/src/www'], '/app/www', { from: CopySource.stage(builder), chown: `${UID}:${GID}`, chmod: '0750', link: true })
    .copy(['/src/out'], '/app/out', { from: CopySource.stage(builder), chown: `${UID}:${GID}` })
    .run('cp /mnt/assets/bound.txt /app/out/bound.txt', { mounts: [RunMount.bind({ from: assets, source: '/assets', target: '/mnt/assets' })] })
    .run('printf %s "$E2E_SECRET_VALUE" | sha256sum | cut -d " " -f 1 > /app/out/secret-env.sha256', {
      mounts: [RunMount.secret({ id: 'e2e_token', env: 'E2E_SECRET_VALUE', required: true })],
    })
    .env('APP_GREETING', 'hello from dockyard')
    .user(UID, GID)
    .run('echo "cache writable by $(id -u)" > /home/app/.cache/probe && cp /home/app/.cache/probe /home/app/cache-probe.txt', {
      mounts: [RunMount.cache({ id: `${cacheId}-user`, target: '/home/app/.cache', uid: Number(UID), gid: Number(GID), mode: '0700' })],
    })
    .expose(Port.tcp(8080))
    .healthcheck(HealthCheck.exec(['wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/index.html'], {
      interval: '1s', timeout: '3s', startPeriod: '20s', startInterval: '500ms', retries: 3,
    }))
    .stopSignal('SIGTERM')
    .entrypoint(['/app/entrypoint.sh'])
    .cmd(['httpd', '-f', '-p', '8080', '-h', '/app/www']);
  return { df, assets, builder, runtime };
}

/** A second Dockerfile that only reads the cache the first one wrote. */
function cacheReaderDockerfile(cacheId: string) {
  const df = new MultiStageDockerfile(testRoot(), 'CacheReader', { path: 'Dockerfile' });
  df.addStage('reader', { from: BaseImage.fromRegistry('busybox:1.36') })
    // BuildKit's layer cache ignores the cache mount id: a per-run ENV makes the RUN below really run
    .env('READER_RUN', cacheId)
    .run('cp /cache/token /token', { mounts: [RunMount.cache({ id: cacheId, target: '/cache', readOnly: true })] })
    .user('65534')
    .cmd(['cat', '/token']);
  return df;
}

function run(image: string, args: string[], entrypoint?: string): string {
  return dockerOk(['run', '--rm', ...(entrypoint ? ['--entrypoint', entrypoint] : []), image, ...args], { timeoutMs: 60_000 });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describeWithDocker('Dockerfiles built and run by a real Docker engine', () => {
  const nonce = randomBytes(8).toString('hex');
  const cacheId = uniqueName('dockyard-e2e-cache');
  const secret = `s3cret-${randomBytes(12).toString('hex')}`;
  const image = `${uniqueName('dockyard-e2e-app')}:test`;
  const readerImage = `${uniqueName('dockyard-e2e-cache-reader')}:test`;
  const container = uniqueName('dockyard-e2e-health');
  let rendered: RenderedDockerfile;
  let builtWithSecret = false;
  const dirs: string[] = [];

  beforeAll(() => {
    const { df } = appDockerfile(nonce, cacheId);
    rendered = renderToDirectory(df, {
      'greeting.txt': 'from the build context\n',
      '.env': `TOKEN=${secret}\n`,
      'debug.log': 'ignored\n',
    });
    dirs.push(rendered.root, tempDir('dockyard-secret-'));
    const secretFile = join(dirs[1], 'token');
    writeFileSync(secretFile, secret);
    build(rendered.context, rendered.dockerfile, image, ['--secret', `id=e2e_token,src=${secretFile}`]);
    builtWithSecret = true;
  });

  afterAll(() => {
    removeContainers(container);
    removeImages(image, readerImage);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('the file passes Docker\'s linter: docker build --check finds no warnings', () => {
    const r = check(rendered);
    expect({ status: r.status, verdict: r.verdict }).toEqual({ status: 0, verdict: 'Check complete, no warnings found.' });
  });

  test('the entrypoint runs, sees the ENV and runs the command as the configured non-root user', () => {
    expect(builtWithSecret).toBe(true);
    expect(run(image, ['echo', 'then the command'])).toBe(
      'entrypoint: hello from dockyard (uid 10001, gid 10001, user app)\nthen the command\n');
  });

  test('the image runs as the configured numeric UID by default', () => {
    expect(run(image, ['-u'], 'id')).toBe(`${UID}\n`);
    expect(run(image, ['-g'], 'id')).toBe(`${GID}\n`);
    const config = JSON.parse(dockerOk(['inspect', '--format', '{{json .Config}}', image]));
    expect(config.User).toBe(`${UID}:${GID}`);
    expect(config.Entrypoint).toEqual(['/app/entrypoint.sh']);
    expect(config.Cmd).toEqual(['httpd', '-f', '-p', '8080', '-h', '/app/www']);
    expect(Object.keys(config.ExposedPorts)).toEqual(['8080/tcp']);
    expect(config.StopSignal).toBe('SIGTERM');
    expect(config.WorkingDir).toBe('/app');
    expect(config.Labels).toEqual({ 'org.opencontainers.image.title': 'dockyard e2e' });
    expect(config.Healthcheck).toEqual({
      Test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/index.html'],
      Interval: 1e9,
      Timeout: 3e9,
      StartPeriod: 20e9,
      StartInterval: 0.5e9,
      Retries: 3,
    });
  });

  test('files copied from earlier stages (COPY --from, --link, --chown, --chmod) are there with the configured owner and mode', () => {
    const out = run(image, ['-c', '%u:%g %a %n', '/app/entrypoint.sh', '/app/www', '/app/www/index.html', '/app/out', '/app/out/script-ran.txt'], 'stat');
    expect(out.trim().split('\n')).toEqual([
      '10001:10001 755 /app/entrypoint.sh', // chmod from the heredoc COPY in the builder, kept
      '10001:10001 750 /app/www', // --link --chmod
      '10001:10001 750 /app/www/index.html',
      '10001:10001 755 /app/out',
      '10001:10001 644 /app/out/script-ran.txt',
    ]);
  });

  test('heredocs: copyContent writes the file byte for byte, runScript runs the script as written', () => {
    expect(run(image, ['/app/www/index.html'], 'cat')).toBe(INDEX_HTML);
    expect(run(image, ['/app/entrypoint.sh'], 'cat')).toBe(ENTRYPOINT_SH);
    expect(run(image, ['/app/out/from-script.txt'], 'cat')).toBe('EOF\n$HOME stays \'$X\' "q" \\\n');
    expect(run(image, ['/app/out/script-ran.txt'], 'cat')).toBe('script ran as 0 in /src\n');
  });

  test('the ignore file beside the Dockerfile keeps .env and *.log out of the build context', () => {
    expect(rendered.dockerfile.endsWith('docker/Dockerfile.app')).toBe(true);
    expect(run(image, ['/app/out/context-listing.txt'], 'cat').trim().split('\n')).toEqual(['docker', 'greeting.txt']);
  });

  test('a cache mount is shared by id between RUN instructions, and a uid/gid/mode cache mount is writable by the non-root user', () => {
    expect(run(image, ['/app/out/cache-token.txt'], 'cat')).toBe(`${nonce}\n`);
    expect(run(image, ['/home/app/cache-probe.txt'], 'cat')).toBe(`cache writable by ${UID}\n`);
    // the cache itself is not part of the image
    expect(docker(['run', '--rm', '--entrypoint', 'ls', image, '/var/cache/e2e/token', '/home/app/.cache/probe']).status).not.toBe(0);
  });

  test('a cache mount persists between two builds of different Dockerfiles using the same id', () => {
    const reader = renderToDirectory(cacheReaderDockerfile(cacheId));
    dirs.push(reader.root);
    expect(check(reader).verdict).toBe('Check complete, no warnings found.');
    build(reader.context, reader.dockerfile, readerImage);
    expect(dockerOk(['run', '--rm', readerImage])).toBe(`${nonce}\n`);
  });

  test('a secret mount is visible to its RUN (as a file and as an env variable) and absent from the image and its history', () => {
    expect(run(image, ['/app/out/secret-file.sha256', '/app/out/secret-env.sha256'], 'cat')).toBe(`${sha256(secret)}\n${sha256(secret)}\n`);
    const history = dockerOk(['history', '--no-trunc', '--format', '{{.CreatedBy}}', image]);
    expect(history).toContain('printf %s "$E2E_SECRET_VALUE" | sha256sum'); // the RUN that used it, in the final stage
    expect(history).not.toContain(secret);
    const inspected = dockerOk(['inspect', image]);
    expect(inspected).not.toContain(secret);
    expect(inspected).not.toContain('E2E_SECRET_VALUE=');
    expect(docker(['run', '--rm', '--entrypoint', 'ls', image, '/run/secrets/e2e_token']).status).not.toBe(0);
    // every byte of the image's file system: the secret is in no file
    const created = dockerOk(['create', image]).trim();
    try {
      const r = docker(['export', created], { timeoutMs: 60_000 });
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(100_000);
      expect(r.stdout.includes(secret)).toBe(false);
      expect(r.stdout.includes(nonce)).toBe(true); // the search can find what is there
    } finally {
      removeContainers(created);
    }
  });

  test('a bind mount from another stage is visible to its RUN only', () => {
    expect(run(image, ['/app/out/bound.txt'], 'cat')).toBe('bound from the assets stage\n');
    expect(docker(['run', '--rm', '--entrypoint', 'ls', image, '/assets']).status).not.toBe(0);
  });

  test('a tmpfs mount is a tmpfs during its RUN', () => {
    expect(run(image, ['/app/out/scratch-fstype.txt'], 'cat')).toBe('tmpfs\n');
  });

  test('the HEALTHCHECK reaches healthy while the server runs as the non-root user', () => {
    dockerOk(['run', '-d', '--name', container, image]);
    const statuses = waitForHealth(container, 60_000);
    const logs = docker(['logs', container]);
    expect({ last: statuses[statuses.length - 1], logs: logs.stdout }).toEqual({
      last: 'healthy',
      logs: 'entrypoint: hello from dockyard (uid 10001, gid 10001, user app)\n',
    });
    expect(dockerOk(['exec', container, 'ps', '-o', 'user,args']).trim().split('\n').slice(1).filter(l => l.includes('httpd')))
      .toEqual([expect.stringMatching(/^app\s+httpd -f -p 8080 -h \/app\/www$/)]);
  });
});

describeWithDocker('ONBUILD triggers run when the image is used as a base', () => {
  const base = `${uniqueName('dockyard-e2e-onbuild-base')}:test`;
  const child = `${uniqueName('dockyard-e2e-onbuild-child')}:test`;
  const dirs: string[] = [];

  afterAll(() => {
    removeImages(child, base);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('a base image with ONBUILD RUN/ENV/WORKDIR/COPY triggers, and a child built FROM it, both pass --check and the triggers fire in the child', () => {
    const baseDf = new MultiStageDockerfile(testRoot(), 'OnBuildBase');
    // a base image for other builds: root is its documented opt-out
    baseDf.addStage('base', { from: BaseImage.fromRegistry('busybox:1.36'), allowRootUser: true })
      .onBuild(OnBuildTrigger.env('TRIGGERED_ENV', '$not-expanded "quoted"'))
      .onBuild(OnBuildTrigger.workdir('/srv/triggered'))
      .onBuild(OnBuildTrigger.copy(['payload.txt'], '/srv/triggered/payload.txt', '10001:10001'))
      .onBuild(OnBuildTrigger.run('echo "trigger ran as $(id -u)" > /srv/triggered/ran.txt'));
    const baseFiles = renderToDirectory(baseDf);
    dirs.push(baseFiles.root);
    expect(check(baseFiles).verdict).toBe('Check complete, no warnings found.');
    build(baseFiles.context, baseFiles.dockerfile, base);
    expect(JSON.parse(dockerOk(['inspect', '--format', '{{json .Config.OnBuild}}', base]))).toHaveLength(4);

    const childDf = new MultiStageDockerfile(testRoot(), 'OnBuildChild');
    childDf.addStage('app', { from: BaseImage.fromRegistry(base) }).user('10001').cmd(['cat', '/srv/triggered/ran.txt', '/srv/triggered/payload.txt']);
    const childFiles = renderToDirectory(childDf, { 'payload.txt': 'copied by the trigger\n' });
    dirs.push(childFiles.root);
    expect(check(childFiles).verdict).toBe('Check complete, no warnings found.');
    build(childFiles.context, childFiles.dockerfile, child);
    expect(dockerOk(['run', '--rm', child])).toBe('trigger ran as 0\ncopied by the trigger\n');
    const config = JSON.parse(dockerOk(['inspect', '--format', '{{json .Config}}', child]));
    expect(config.Env).toContain('TRIGGERED_ENV=$not-expanded "quoted"');
    expect(config.WorkingDir).toBe('/srv/triggered');
    expect(run(child, ['-c', '%u:%g', '/srv/triggered/payload.txt'], 'stat')).toBe('10001:10001\n');
  });
});

describeWithDocker('docker build --check, the control', () => {
  test('a hand-written Dockerfile with lowercase "as" and MAINTAINER fails the check with both warnings', () => {
    const dir = tempDir('dockyard-check-control-');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox:1.36 as base\nMAINTAINER someone\nCMD echo hi\n');
    const r = docker(['build', '--check', '-f', join(dir, 'Dockerfile'), dir], { timeoutMs: 120_000 });
    rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('no warnings found');
    expect(r.stdout).toContain('WARNING: FromAsCasing');
    expect(r.stdout).toContain('WARNING: MaintainerDeprecated');
    expect(r.stdout).toContain('WARNING: JSONArgsRecommended');
  });
});
