/**
 * `npx projen verify:<workflow> <image>[:tag|@digest] [branch]`: checks that an image was built by the publish
 * workflow on a branch, with GitHub's CLI and the build-provenance attestation the workflow pushed:
 *
 *   gh attestation verify oci://<image>@<digest> --repo <owner>/<repo>
 *     --signer-workflow <owner>/<repo>/<workflow file> --source-ref refs/heads/<branch>
 *
 * Anyone with write access can push a tag to the registry; only this workflow, on this branch, can produce an
 * attestation that passes. It works offline up to the point where it needs the network (resolving a tag to its
 * digest, GitHub's attestation API), and then says so.
 * @internal
 */
import { spawnSync } from 'node:child_process';
import { parseImageReference } from '../core/image-names';

interface Args {
  readonly workflow: string;
  readonly image: string;
  readonly branch: string;
  readonly repo?: string;
}

const USAGE = 'usage: verify-cli.js --workflow .github/workflows/<file>.yml [--repo owner/repo] <image>@<digest>|<image>:<tag> [branch]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function parseArgs(argv: string[]): Args {
  let workflow: string | undefined;
  let repo: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--workflow') workflow = argv[++i];
    else if (argv[i] === '--repo') repo = argv[++i];
    else rest.push(argv[i]);
  }
  if (!workflow || rest.length < 1 || rest.length > 2) fail(USAGE);
  return { workflow, image: rest[0], branch: rest[1] ?? 'main', repo };
}

/** owner/repo from --repo, GITHUB_REPOSITORY, or the `origin` remote of the checkout. */
function repository(args: Args): string {
  const candidates = [args.repo, process.env.GITHUB_REPOSITORY];
  const remote = spawnSync('git', ['remote', 'get-url', 'origin'], { encoding: 'utf8' });
  if (remote.status === 0) candidates.push(/github\.com[:/]([^/]+\/[^/]+?)(?:\.git)?\s*$/.exec(remote.stdout)?.[1]);
  const found = candidates.find((c): c is string => typeof c === 'string' && /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(c));
  return found ?? fail('cannot tell which repository published the image: pass --repo <owner>/<repo> (or set GITHUB_REPOSITORY)');
}

async function digestOf(image: string): Promise<{ name: string; digest: string }> {
  const parsed = parseImageReference(image);
  if (typeof parsed === 'string') fail(`image ${parsed}`);
  const name = `${parsed.domain ? `${parsed.domain}/` : ''}${parsed.path}`;
  if (parsed.digest) return { name, digest: parsed.digest };
  // a tag moves: resolve it to the digest it names now (the registry is on the network)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resolveImageDigest } = require('../lock/image-resolver') as typeof import('../lock/image-resolver');
  try {
    return { name, digest: (await resolveImageDigest(image)).digest };
  } catch (e) {
    return fail(`cannot resolve ${image} to a digest, which needs the registry (network): ${(e as Error).message.split('\n').slice(-1)[0]}\n`
      + `run this where ${parsed.domain ?? 'the registry'} is reachable, or pass the digest: ${name}@sha256:<64 hex>`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const repo = repository(args);
  const { name, digest } = await digestOf(args.image);
  const command = ['attestation', 'verify', `oci://${name}@${digest}`, '--repo', repo,
    '--signer-workflow', `${repo}/${args.workflow}`, '--source-ref', `refs/heads/${args.branch}`];
  process.stdout.write(`gh ${command.join(' ')}\n`);
  const gh = spawnSync('gh', command, { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (gh.error) fail('the GitHub CLI (gh) is not installed: install it (https://cli.github.com), then run the command above');
  if (gh.status !== 0) {
    const stderr = gh.stderr ?? '';
    process.stderr.write(stderr);
    if (/dial tcp|lookup |no such host|could not resolve|network|timeout|connection refused/i.test(stderr)) {
      fail('gh could not reach GitHub\'s attestation API (network): run this where api.github.com is reachable');
    }
    fail(`the image is NOT verified as built by ${args.workflow} on ${args.branch} of ${repo}`);
  }
}

void main();
