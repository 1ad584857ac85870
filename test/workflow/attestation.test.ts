/**
 * Releases a consumer can verify: a public repository gets build provenance and an SBOM by default; any other
 * must choose, since synthesis cannot know the plan. The docs beside the workflow give the exact
 * `gh attestation verify` command per image and branch, and a projen task runs it — offline it stops where it
 * needs the network and says so.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { newDockerfile, newProject } from './fixtures';
import { NO_FINDINGS, Obj, synth, validate } from './support';
import { ContainerPublishPipeline, GhcrPublishWorkflow, RepositoryVisibility, type ContainerPublishPipelineOptions } from '../../src';

const DOCKERFILE = { path: 'Dockerfile', context: '.', target: 'runtime' };
const CLI = join(__dirname, '..', '..', 'lib', 'workflow', 'verify-cli.js');
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('attestations: on for a public repository, a choice otherwise', () => {
  test.each<[string, Partial<ContainerPublishPipelineOptions>]>([
    ['undeclared', {}],
    ['private', { repositoryVisibility: RepositoryVisibility.PRIVATE }],
    ['internal', { repositoryVisibility: RepositoryVisibility.INTERNAL }],
  ])('%s, without provenanceAttestation: an error that asks', (_what, options) => {
    expect(new ContainerPublishPipeline({ dockerfile: DOCKERFILE, ...options }).problems()).toEqual([
      expect.stringMatching(/whether the publish job can attest build provenance is unknown \(private and internal repositories need GitHub Enterprise Cloud\): declare repositoryVisibility: RepositoryVisibility\.PUBLIC .*or set provenanceAttestation: true \(GitHub Enterprise Cloud\) or false/),
    ]);
  });

  test('a public repository attests provenance and records an SBOM, and passes the validators', async () => {
    const p = new ContainerPublishPipeline({ dockerfile: DOCKERFILE, repositoryVisibility: RepositoryVisibility.PUBLIC });
    expect(p.problems()).toEqual([]);
    const content = p.renderWorkflow();
    const publish = (parse(content) as Obj).jobs['container-publish'];
    expect(publish.permissions).toEqual({ 'contents': 'read', 'packages': 'write', 'id-token': 'write', 'attestations': 'write' });
    expect(publish.steps.find((s: Obj) => s.name === 'Build and push').with.sbom).toBe(true);
    const attest = publish.steps.find((s: Obj) => s.name === 'Attest build provenance');
    expect(attest.with['subject-digest']).toBe('${{ steps.build.outputs.digest }}');
    expect(await validate(content, p.workflowPath)).toEqual(NO_FINDINGS);
  });

  test('a private repository that chose: GitHub Enterprise Cloud (true) or no attestation (false)', () => {
    const privately = { dockerfile: DOCKERFILE, repositoryVisibility: RepositoryVisibility.PRIVATE };
    const ghec = new ContainerPublishPipeline({ ...privately, provenanceAttestation: true });
    const none = new ContainerPublishPipeline({ ...privately, provenanceAttestation: false });
    expect([ghec.problems(), none.problems()]).toEqual([[], []]);
    const steps = (p: ContainerPublishPipeline) => (parse(p.renderWorkflow()) as Obj).jobs['container-publish'].steps.map((s: Obj) => s.name);
    expect(steps(ghec)).toContain('Attest build provenance');
    expect(steps(none)).not.toContain('Attest build provenance');
    // an SBOM needs no plan: off unless asked for a private repository
    const build = (parse(ghec.renderWorkflow()) as Obj).jobs['container-publish'].steps.find((s: Obj) => s.name === 'Build and push');
    expect(build.with.sbom).toBeUndefined();
  });

  test('a public matrix: every leg records an SBOM (a one-entry index the merge takes), the merged index is attested', () => {
    const p = new ContainerPublishPipeline({
      images: [{ name: 'api', dockerfile: DOCKERFILE, platforms: ['linux/amd64', 'linux/arm64'] }],
      repositoryVisibility: RepositoryVisibility.PUBLIC,
    });
    const wf = parse(p.renderWorkflow()) as Obj;
    expect(wf.jobs['container-publish'].steps.find((s: Obj) => s.name === 'Build and push by digest').with.sbom).toBe(true);
    expect(wf.jobs['container-merge'].steps.map((s: Obj) => s.name)).toContain('Attest build provenance');
  });
});

describe('verifying an image', () => {
  process.env.PROJEN_DISABLE_POST = 'true';
  const project = newProject('node');
  const workflow = new GhcrPublishWorkflow(project, {
    dockerfile: newDockerfile(project).dockerfile, repositoryVisibility: RepositoryVisibility.PUBLIC, publishSemverTags: true,
  });
  const files = synth(project);

  test('the docs beside the workflow give the exact command per publishing branch', () => {
    const docs = files['.github/container-publish.md'] as string;
    for (const [branch, env] of [['main', 'production'], ['develop', 'staging']]) {
      expect(docs).toContain(`| \`${branch}\` | \`${env}\` | \`gh attestation verify oci://ghcr.io/<owner>/<repo>@<digest> --repo <owner>/<repo> `
        + `--signer-workflow <owner>/<repo>/.github/workflows/container-publish.yml --source-ref refs/heads/${branch}\` |`);
    }
    expect(docs).toContain('`--source-ref refs/tags/<tag>`');
    expect(docs).toContain('npx projen verify:container-publish <image>@<digest> [branch]');
  });

  test('a projen task runs it', () => {
    expect(workflow.verificationTask).toBe('verify:container-publish');
    const task = files['.projen/tasks.json'].tasks['verify:container-publish'];
    expect(task.steps).toEqual([{
      exec: 'node "$(node -p "require(\'path\').join(require(\'path\').dirname(require.resolve(\'cdk-dockyard/package.json\')), \'lib/workflow/verify-cli.js\')")" '
        + '--workflow .github/workflows/container-publish.yml',
      receiveArgs: true,
    }]);
  });

  /** The task's program (the built library), with a PATH that has no `gh` unless `gh` is given. */
  function cli(args: string[], gh?: string) {
    const bin = mkdtempSync(join(tmpdir(), 'dockyard-gh-'));
    if (gh !== undefined) {
      writeFileSync(join(bin, 'gh'), gh);
      chmodSync(join(bin, 'gh'), 0o755);
    }
    return spawnSync(process.execPath, [CLI, '--workflow', '.github/workflows/container-publish.yml', ...args], {
      encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, GITHUB_REPOSITORY: 'acme/app' }, timeout: 60_000,
    });
  }

  test('offline, with a digest: it prints the exact command, then says the GitHub CLI is missing', () => {
    const r = cli([`ghcr.io/acme/app@${DIGEST}`, 'develop']);
    expect(r.stdout).toBe(`gh attestation verify oci://ghcr.io/acme/app@${DIGEST} --repo acme/app --signer-workflow acme/app/.github/workflows/container-publish.yml --source-ref refs/heads/develop\n`);
    expect(r.stderr).toBe('the GitHub CLI (gh) is not installed: install it (https://cli.github.com), then run the command above\n');
    expect(r.status).toBe(1);
  });

  test('offline, with a tag: it stops where it needs the registry, and says so', () => {
    const r = cli(['ghcr.io/acme/app:latest']);
    expect(r.stderr).toMatch(/^cannot resolve ghcr\.io\/acme\/app:latest to a digest, which needs the registry \(network\): .*\nrun this where ghcr\.io is reachable, or pass the digest: ghcr\.io\/acme\/app@sha256:<64 hex>\n$/s);
    expect(r.status).toBe(1);
  });

  test('gh is called with exactly those arguments; its network failure is named as such (a stand-in gh that records and fails)', () => {
    const record = join(mkdtempSync(join(tmpdir(), 'dockyard-gh-args-')), 'args');
    const r = cli([`ghcr.io/acme/app@${DIGEST}`], `#!/bin/sh\nprintf '%s\\n' "$@" > ${record}\necho 'error: dial tcp: lookup api.github.com: no such host' >&2\nexit 1\n`);
    expect(spawnSync('cat', [record], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual([
      'attestation', 'verify', `oci://ghcr.io/acme/app@${DIGEST}`, '--repo', 'acme/app',
      '--signer-workflow', 'acme/app/.github/workflows/container-publish.yml', '--source-ref', 'refs/heads/main',
    ]);
    expect(r.stderr).toMatch(/gh could not reach GitHub's attestation API \(network\): run this where api\.github\.com is reachable\n$/);
    expect(r.status).toBe(1);
  });

  test('without a repository it asks for one', () => {
    const r = spawnSync(process.execPath, [CLI, '--workflow', 'x.yml', `ghcr.io/acme/app@${DIGEST}`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, cwd: tmpdir() });
    expect(r.stderr).toBe('cannot tell which repository published the image: pass --repo <owner>/<repo> (or set GITHUB_REPOSITORY)\n');
  });
});
