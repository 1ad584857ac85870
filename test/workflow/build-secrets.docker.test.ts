/**
 * The publish workflow's build secrets, run the way docker/build-push-action runs them: its `secret-envs`
 * input (`id=ENV`) becomes `--secret id=<id>,env=<ENV>`, and the step's env carries the GitHub secret.
 * The real engine builds the generated Dockerfile with exactly those flags: the RUN reads the secret, and
 * no layer, history entry or config of the image holds it.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from 'projen';
import { parse } from 'yaml';
import { Obj } from './support';
import { BaseImage, GhcrPublishWorkflow, MultiStageDockerfile, RunMount } from '../../src';
import { describeWithDocker, docker, dockerBinary, dockerEnv, removeImages, tempDir, uniqueName } from '../support/docker';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describeWithDocker('build secrets of the publish workflow (real engine)', () => {
  const dir = tempDir('dockyard-wf-secret-');
  const image = uniqueName('dockyard-wf-secret');
  const secret = `s3cret-${randomBytes(12).toString('hex')}`;
  let buildStep: Obj;

  beforeAll(() => {
    process.env.PROJEN_DISABLE_POST = 'true';
    const project = new Project({ name: 'secrets', outdir: dir });
    const dockerfile = new MultiStageDockerfile(project, 'Dockerfile', { path: 'Dockerfile' });
    dockerfile.addStage('app', { from: BaseImage.fromRegistry('busybox:1.36') })
      .workdir('/app')
      .run('sha256sum /run/secrets/pip_conf | cut -d " " -f 1 > /app/secret.sha256', { mounts: [RunMount.secret({ id: 'pip_conf', required: true })] })
      .user('10001');
    new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile, buildSecrets: { pip_conf: 'PIP_CONF' } });
    project.synth();
    const wf = parse(readFileSync(join(dir, '.github/workflows/container-publish.yml'), 'utf8')) as Obj;
    buildStep = wf.jobs['container-build'].steps.find((s: Obj) => String(s.uses).startsWith('docker/build-push-action@'));
  });

  afterAll(() => removeImages(image));

  test('the secret is read by the RUN and is in no layer, history entry or config of the image', () => {
    // what build-push-action does with secret-envs: one `--secret id=<id>,env=<ENV>` per line
    const flags = (buildStep.with['secret-envs'] as string).trim().split('\n').flatMap(line => {
      const [id, env] = line.split('=');
      return ['--secret', `id=${id},env=${env}`];
    });
    // the runner resolves the step's env (`${{ secrets.PIP_CONF }}`) to the secret's value
    const env = Object.fromEntries(Object.keys(buildStep.env as Obj).map(k => [k, secret]));
    const r = spawnSync(dockerBinary(),
      ['build', '--no-cache', '--network=none', '-f', join(dir, 'Dockerfile'), '-t', image, ...flags, dir],
      { env: { ...dockerEnv(), ...env }, encoding: 'utf8', timeout: 300_000 });
    expect(r.stderr).not.toContain('ERROR');
    expect(r.status).toBe(0);
    expect(docker(['run', '--rm', image, 'cat', '/app/secret.sha256']).stdout).toBe(`${sha256(secret)}\n`);
    expect(docker(['history', '--no-trunc', image]).stdout).not.toContain(secret);
    expect(docker(['inspect', image]).stdout).not.toContain(secret);
    const out = join(tempDir('dockyard-wf-secret-save-'), 'image.tar');
    expect(docker(['save', '-o', out, image]).status).toBe(0);
    expect(readFileSync(out).includes(Buffer.from(secret))).toBe(false);
    rmSync(out, { force: true });
  });
});
