/**
 * Images hardened by default, proven with a real Docker engine on the production preset (Debian slim;
 * Alpine cannot be fetched offline) building the Django-like sample (test/fixtures/python-app: a stand-in
 * manage.py whose `collectstatic --noinput` copies sampleapp/static into STATIC_ROOT, the preset's own RUN
 * line running it):
 * - the running app serves a collected static file over HTTP;
 * - as the image's runtime user, nothing under the application directory (or the virtual environment) can
 *   be created, changed or deleted, the static files included, while the `writablePaths` entries can be
 *   written (by a shell and by the app itself);
 * - `stat` shows root owning the application tree and the collected static file, with a fixed mode even
 *   where the checkout's modes were 0600/0700/0666;
 * - the default ignore file keeps infrastructure code, Terraform state and private keys out of the image;
 * - `docker build --check` finds no warning in the rendered Dockerfile.
 */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { presetContext, runName, SampleContext, samplePreset, timedBuild, waitHealthy } from './python-e2e';
import { PythonFramework } from '../../src';
import { buildCheck, describeWithDocker, docker, dockerOk } from '../support/docker';

const SLOW = 900_000;
const CSS = '/* a static file of the sample app, served from STATIC_ROOT after collectstatic */\nbody { font-family: sans-serif; }\n';

/** Files the default ignore patterns must keep out of the image (relative to the context). */
const KEPT_OUT = [
  'infra/main.ts', 'infra/cdktf.json', 'terraform.tfstate', 'terraform.tfstate.backup', 'deploy/terraform.tfstate',
  'deploy/.terraform/providers/registry.terraform.io/x', 'cdktf.out/stacks/app/cdk.tf.json', 'server.pem', 'certs/server.key',
  'id_rsa', 'deploy/id_rsa.pub', 'deploy/keystore.p12', '.env.production',
];

/** Runs `script` with sh as the image's own runtime user (no --user), without network. */
function asRuntimeUser(image: string, script: string): string {
  return dockerOk(['run', '--rm', '--network=none', '--entrypoint', 'sh', image, '-c', script], { timeoutMs: 120_000 });
}

/** For each probe, "ok" when its shell command succeeded as the runtime user, else "denied" (one container for all). */
function probe(image: string, probes: Record<string, string>): Record<string, string> {
  const script = Object.entries(probes).map(([name, cmd]) => `if (${cmd}) >/dev/null 2>&1; then echo "${name}=ok"; else echo "${name}=denied"; fi`).join('\n');
  return Object.fromEntries(asRuntimeUser(image, script).trim().split('\n').map(l => l.split('=') as [string, string]));
}

describeWithDocker('hardened production image: root-owned read-only application, explicit writable paths', () => {
  const image = `${runName('dockyard-hardened')}:1`;
  const containers: string[] = [];
  let ctx: SampleContext;

  beforeAll(() => {
    const preset = samplePreset({ kind: 'prod', family: 'debian' }, {
      framework: PythonFramework.django('sampleapp'),
      command: ['python3', '-m', 'sampleapp.serve'],
      collectStatic: true,
      writablePaths: ['media', '/var/cache/sampleapp'],
    });
    ctx = presetContext(preset);
    for (const f of KEPT_OUT) {
      mkdirSync(dirname(join(ctx.dir, f)), { recursive: true });
      writeFileSync(join(ctx.dir, f), `secret ${f}\n`);
    }
    // a checkout with a restrictive umask and a careless one: the image must not depend on either
    writeFileSync(join(ctx.dir, 'sampleapp', 'private.txt'), 'readable by the app\n');
    chmodSync(join(ctx.dir, 'sampleapp', 'private.txt'), 0o600);
    mkdirSync(join(ctx.dir, 'sampleapp', 'locked'));
    writeFileSync(join(ctx.dir, 'sampleapp', 'locked', 'data.txt'), 'in a 0700 directory\n');
    chmodSync(join(ctx.dir, 'sampleapp', 'locked'), 0o700);
    writeFileSync(join(ctx.dir, 'sampleapp', 'loose.txt'), 'world-writable in the checkout\n');
    chmodSync(join(ctx.dir, 'sampleapp', 'loose.txt'), 0o666);
    const built = timedBuild(ctx, image, ['--no-cache']);
    console.log(`hardened preset build: ${(built.ms / 1000).toFixed(1)} s`);
  }, SLOW);

  afterAll(() => {
    if (containers.length) docker(['rm', '-f', ...containers]);
    docker(['rmi', '-f', image]);
    if (ctx) {
      chmodSync(join(ctx.dir, 'sampleapp', 'locked'), 0o755);
      rmSync(ctx.dir, { recursive: true, force: true });
    }
  });

  test('the rendered Dockerfile: source COPY without --chown, collectstatic and the writable paths before USER', () => {
    const lines = ctx.text.split('\n').filter(l => /^(COPY|RUN|USER)\b/.test(l));
    const at = lines.findIndex(l => l.startsWith('USER'));
    expect(lines.slice(at - 3, at + 1)).toEqual([
      'COPY --chmod=u=rwX,go=rX . /app/',
      'RUN python3 manage.py collectstatic --noinput',
      'RUN mkdir -p /app/media /var/cache/sampleapp && chown -R 10001:10001 /app/media /var/cache/sampleapp',
      'USER 10001:10001',
    ]);
    expect(ctx.text).not.toContain('--chown');
  });

  test('docker build --check reports no warnings', () => {
    const r = buildCheck(ctx.dir, ctx.dockerfile);
    expect({ status: r.status, verdict: r.stdout.trim(), warnings: r.stderr.split('\n').filter(l => l.startsWith('WARNING')) })
      .toEqual({ status: 0, verdict: 'Check complete, no warnings found.', warnings: [] });
  });

  test('the running app serves the collected static file over HTTP, and stores an upload in its writable media directory', () => {
    const name = runName('dockyard-hardened-run');
    containers.push(name);
    dockerOk(['run', '-d', '--name', name, image]);
    expect(waitHealthy(name)).toBe('healthy');
    const get = (path: string) => dockerOk(['exec', name, 'python3', '-c',
      `import urllib.request; r = urllib.request.urlopen("http://127.0.0.1:8000${path}"); print(r.status, r.read().decode(), end="")`]);
    expect(get('/static/sampleapp/site.css')).toBe(`200 ${CSS}`);
    expect(get('/')).toBe('200 Hello, dockyard! version=1 uid=10001\n');
    const put = dockerOk(['exec', name, 'python3', '-c', [
      'import urllib.request',
      'r = urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:8000/media/avatar.txt", data=b"hello", method="PUT"))',
      'print(r.status, r.read().decode(), end="")',
    ].join('; ')]);
    expect(put).toBe('201 stored 5 bytes\n');
    expect(dockerOk(['exec', name, 'stat', '-c', '%U:%G %s', '/app/media/avatar.txt']).trim()).toBe('app:app 5');
  });

  test('as the runtime user nothing under /app or the venv can be created, changed or deleted; the writable paths can', () => {
    expect(asRuntimeUser(image, 'id -u; id -g').trim().split('\n')).toEqual(['10001', '10001']);
    const site = '/opt/venv/lib/python3.11/site-packages';
    expect(probe(image, {
      touchApp: 'touch /app/x',
      mkdirApp: 'mkdir /app/newdir',
      rmManage: 'rm -f /app/manage.py',
      renameManage: 'mv /app/manage.py /app/manage2.py',
      appendWsgi: 'echo "# changed" >> /app/sampleapp/wsgi.py',
      truncateSettings: ': > /app/sampleapp/settings.py',
      writeStatic: 'echo x > /app/staticfiles/evil.css',
      changeStatic: 'echo x >> /app/staticfiles/sampleapp/site.css',
      rmStatic: 'rm -rf /app/staticfiles',
      chmodApp: 'chmod 777 /app/sampleapp',
      writeLoose: 'echo x >> /app/sampleapp/loose.txt',
      writeVenv: `echo x >> ${site}/greeting/__init__.py`,
      addToVenv: `touch ${site}/evil.pth`,
      readPrivate: 'cat /app/sampleapp/private.txt',
      readLocked: 'cat /app/sampleapp/locked/data.txt',
      writeMedia: 'echo x > /app/media/upload.txt && rm /app/media/upload.txt',
      mkdirMedia: 'mkdir -p /app/media/avatars/2024',
      writeCache: 'echo x > /var/cache/sampleapp/entry && cat /var/cache/sampleapp/entry',
      writeTmp: 'echo x > /tmp/scratch',
    })).toEqual({
      touchApp: 'denied',
      mkdirApp: 'denied',
      rmManage: 'denied',
      renameManage: 'denied',
      appendWsgi: 'denied',
      truncateSettings: 'denied',
      writeStatic: 'denied',
      changeStatic: 'denied',
      rmStatic: 'denied',
      chmodApp: 'denied',
      writeLoose: 'denied',
      writeVenv: 'denied',
      addToVenv: 'denied',
      // readable although the checkout had them 0600 / in a 0700 directory
      readPrivate: 'ok',
      readLocked: 'ok',
      writeMedia: 'ok',
      mkdirMedia: 'ok',
      writeCache: 'ok',
      writeTmp: 'ok',
    });
    // positive control: the same shell can write where it may, so "denied" above is the permission, not the probe
    expect(asRuntimeUser(image, 'touch /app/media/y && echo written').trim()).toBe('written');
  });

  test('stat: root owns the application tree and the collected static files, mode 0755/0644; only the writable paths are the user\'s', () => {
    const stat = asRuntimeUser(image, 'stat -c "%U:%G %a %n" /app /app/manage.py /app/sampleapp /app/sampleapp/wsgi.py /app/sampleapp/private.txt '
      + '/app/sampleapp/locked /app/sampleapp/loose.txt /app/staticfiles /app/staticfiles/sampleapp/site.css /opt/venv /app/media /var/cache/sampleapp');
    expect(stat.trim().split('\n')).toEqual([
      // COPY --chmod=u=rwX,go=rX: directories 0755, files 0644 whatever their mode in the checkout (0600, 0666)
      'root:root 755 /app', 'root:root 644 /app/manage.py', 'root:root 755 /app/sampleapp', 'root:root 644 /app/sampleapp/wsgi.py',
      'root:root 644 /app/sampleapp/private.txt', 'root:root 755 /app/sampleapp/locked', 'root:root 644 /app/sampleapp/loose.txt',
      // collected by root (umask 022)
      'root:root 755 /app/staticfiles', 'root:root 644 /app/staticfiles/sampleapp/site.css',
      'root:root 755 /opt/venv',
      'app:app 755 /app/media', 'app:app 755 /var/cache/sampleapp',
    ]);
    // nothing else under /app or /opt/venv belongs to anyone but root, and nothing there is writable by group or others
    expect(asRuntimeUser(image, 'find /app /opt/venv ! -user root -o ! -group root').trim().split('\n')).toEqual(['/app/media']);
    expect(asRuntimeUser(image, 'find /app /opt/venv -perm /022 ! -type l').trim()).toBe('');
  });

  test('infrastructure code, Terraform state and private keys never reach the image', () => {
    const listing = asRuntimeUser(image, 'find /app -mindepth 1 | sort').trim().split('\n');
    for (const f of KEPT_OUT) expect([f, listing.includes(`/app/${f}`)]).toEqual([f, false]);
    expect(listing.filter(p => /infra|tfstate|terraform|cdktf\.out|\.pem$|\.key$|id_rsa|\.p12$|\.env/.test(p))).toEqual([]);
    // positive control: a file next to them did arrive
    expect(listing).toEqual(expect.arrayContaining(['/app/manage.py', '/app/sampleapp/private.txt']));
  });
});
