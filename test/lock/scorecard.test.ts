/**
 * OpenSSF Scorecard's Pinned-Dependencies check, as its source computes it (ossf/scorecard at commit 40c1e35:
 * checks/raw/pinned_dependencies.go, checks/raw/shell_download_validate.go, checks/evaluation/pinned_dependencies.go,
 * checker/check_result.go), applied to generated files with and without the lock:
 * - files whose path or name matches `*Dockerfile*` (case-insensitive; not .go/.c/.js/.py/... nor shell scripts) are
 *   Dockerfiles: each `FROM` is a containerImage dependency, pinned when the name (every `${ARG}` replaced by the
 *   value of an earlier `ARG k=v`) matches `.*@sha256:([a-f\d]{64}|\${.*})`, or is a stage built on a pinned one;
 * - each `uses:` of a workflow is a GitHub Action dependency, pinned when it matches `.*@[a-fA-F\d]{40,}` (or is
 *   local); GitHub-owned (`actions/`, `github/`) and third-party ones weigh 2 and 8 when both occur, else 10;
 * - `pip install` in a RUN line (also `python -m pip install`) is a pipCommand dependency, pinned only with
 *   `--require-hashes` or when every argument is a flag (`^(\-\-?\w+)+$`) or a `*.whl`;
 * - score = 10 × Σ(pinned × weight) / Σ(all × weight), integer division; other kinds weigh 10.
 * The model covers what these files contain (no curl | sh, no go install, ...).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { github, Project } from 'projen';
import { parse } from 'yaml';
import {
  DockyardLock, GhcrPublishWorkflow, PythonAppDockerfile, PythonDevDockerfile, PythonFramework, RepositoryVisibility,
} from '../../src';
import { LOCK_FILE_NAME, LockFile, writeLockFileAtomically } from '../../src/lock/lock-file';
import { SHIPPED_ACTIONS } from '../../src/workflow/action-pins';

interface Count { pinned: number; total: number }
interface Result {
  readonly githubOwned: Count;
  readonly thirdParty: Count;
  readonly containerImage: Count;
  readonly pipCommand: Count;
}

const DIGEST_PIN = /.*@sha256:([a-f\d]{64}|\$\{.*\})/;
const ACTION_PIN = /.*@[a-fA-F\d]{40,}/;
const FLAG = /^(--?\w+)+$/;
const NOT_DOCKERFILE = ['.go', '.c', '.cpp', '.rs', '.js', '.py', '.pyc', '.java', '.sh'];

function walk(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    if (e.name === 'node_modules' || e.name === '.git' || e.name === 'cdktf.out') return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p, root) : [p.slice(root.length + 1)];
  });
}

/** The pip install commands of a RUN line that Scorecard counts, each with whether it is pinned. */
function pipInstalls(run: string): boolean[] {
  const out: boolean[] = [];
  for (const command of run.split(/&&|\|\||;|\|/)) {
    const words = command.trim().split(/\s+/).filter(w => !w.startsWith('--mount=') && !w.startsWith('--network=') && w !== 'RUN');
    let pip: string[] | undefined;
    if (['pip', 'pip3'].includes(basename(words[0] ?? ''))) {pip = words;} else if (['python', 'python3', 'python2.7'].includes(basename(words[0] ?? ''))) {
      const m = words.findIndex((w, i) => i > 0 && w === '-m' && words[i + 1] === 'pip');
      if (m > 0) pip = words.slice(m + 1);
    }
    if (!pip || pip[1] !== 'install') continue;
    const args = pip.slice(2);
    if (args.includes('--require-hashes')) out.push(true);
    else out.push(args.some(a => a.endsWith('.whl')) && args.every(a => FLAG.test(a) || a.endsWith('.whl')));
  }
  return out;
}

/** Scorecard's Pinned-Dependencies raw counts over a directory of files. */
function pinnedDependencies(dir: string): Result {
  const zero = () => ({ pinned: 0, total: 0 });
  const r: Result = { githubOwned: zero(), thirdParty: zero(), containerImage: zero(), pipCommand: zero() };
  const add = (c: Count, pinned: boolean) => {
    c.total++;
    if (pinned) c.pinned++;
  };
  for (const file of walk(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    if (/dockerfile/i.test(basename(file)) && !NOT_DOCKERFILE.some(s => file.endsWith(s))) {
      const args = new Map<string, string>();
      const pinnedStages = new Map<string, boolean>();
      for (const line of text.split('\n')) {
        const words = line.trim().split(/\s+/);
        if (/^ARG$/i.test(words[0])) {
          for (const w of words.slice(1)) if (w.includes('=')) args.set(w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1));
        } else if (/^FROM$/i.test(words[0])) {
          const values = words.slice(1).filter(w => !w.startsWith('--')).map(v => [...args].reduce((s, [k, val]) => s.split(`\${${k}}`).join(val), v));
          if (values[0]?.toLowerCase() === 'scratch') {
            if (values.length === 3) pinnedStages.set(values[2], true);
            continue;
          }
          const pinned = pinnedStages.get(values[0]) === true || DIGEST_PIN.test(values[0]);
          if (values.length === 3 && /^as$/i.test(values[1])) pinnedStages.set(values[2], pinned);
          add(r.containerImage, pinned);
        } else if (/^RUN$/i.test(words[0])) {
          for (const pinned of pipInstalls(line)) add(r.pipCommand, pinned);
        }
      }
    }
    if (file.startsWith('.github/workflows/') && /\.ya?ml$/.test(file)) {
      const wf = parse(text) as { jobs?: Record<string, { steps?: Array<{ uses?: string }> }> };
      for (const job of Object.values(wf.jobs ?? {})) {
        for (const step of job.steps ?? []) {
          if (typeof step.uses !== 'string') continue;
          const owned = step.uses.startsWith('actions/') || step.uses.startsWith('github/');
          add(owned ? r.githubOwned : r.thirdParty, step.uses.startsWith('./') || ACTION_PIN.test(step.uses));
        }
      }
    }
  }
  return r;
}

/** Scorecard's weighted score over the kinds given (GitHub Actions split 2/8 when both occur). */
function score(r: Result, kinds: Array<keyof Result>): number {
  const both = r.githubOwned.total > 0 && r.thirdParty.total > 0;
  const weights: Record<keyof Result, number> = { githubOwned: both ? 2 : 10, thirdParty: both ? 8 : 10, containerImage: 10, pipCommand: 10 };
  let ws = 0;
  let wt = 0;
  for (const k of kinds) {
    ws += r[k].pinned * weights[k];
    wt += r[k].total * weights[k];
  }
  return Math.min(Math.floor((10 * ws) / wt), 10);
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(d => rmSync(d, { recursive: true, force: true })));

/** Both presets and the publish workflow (public: attested), with a DockyardLock; with `lock`, its lock file. */
function synthesized(lock: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockyard-scorecard-'));
  dirs.push(dir);
  const project = new Project({ name: 'scored', outdir: dir });
  new github.GitHub(project, { mergify: false, pullRequestLint: true });
  const prod = new PythonAppDockerfile(project, 'Prod', { framework: PythonFramework.django('mysite') });
  new PythonDevDockerfile(project, 'Dev', { framework: PythonFramework.django('mysite') });
  new GhcrPublishWorkflow(project, { dockerfile: prod.dockerfile, repositoryVisibility: RepositoryVisibility.PUBLIC, publishSemverTags: true });
  new DockyardLock(project);
  if (lock) {
    // test data: the check reads the form of the pin, not whether a registry has it
    const label = (s: string, n: number) => createHash(n === 64 ? 'sha256' : 'sha1').update(s).digest('hex');
    const actions = ['actions/attest-build-provenance', 'actions/checkout', 'actions/create-github-app-token', 'actions/setup-node', 'amannn/action-semantic-pull-request',
      'docker/build-push-action', 'docker/login-action', 'docker/metadata-action', 'docker/setup-buildx-action', 'peter-evans/create-pull-request'];
    const file: LockFile = {
      lockVersion: 1,
      images: { 'python:3.11-alpine': { digest: `sha256:${label('python', 64)}`, mediaType: 'application/vnd.oci.image.index.v1+json', registry: 'registry-1.docker.io', repository: 'library/python' } },
      actions: Object.fromEntries(actions.map(a => [a, { version: 'v1.0.0', sha: label(a, 40), inputs: [...(SHIPPED_ACTIONS[a]?.inputs ?? ['types', 'requireScope'])] }])),
    };
    writeLockFileAtomically(join(dir, LOCK_FILE_NAME), file);
  }
  process.env.PROJEN_DISABLE_POST = 'true';
  project.synth();
  return dir;
}

describe('OpenSSF Scorecard Pinned-Dependencies, from its rules, on generated files', () => {
  test('the rules can fail: a tagged FROM, a stage built on it, a tag-pinned action, a pip install of a package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dockyard-scorecard-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'Dockerfile'), 'ARG V="3.11"\nFROM python:${V}-slim AS base\nFROM base AS app\nRUN pip install flask\nRUN pip install --no-index /w/a.whl\n');
    const workflows = join(dir, '.github', 'workflows');
    mkdirSync(workflows, { recursive: true });
    writeFileSync(join(workflows, 'x.yml'), `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: acme/x@${'a'.repeat(40)}\n`);
    expect(pinnedDependencies(dir)).toEqual({
      githubOwned: { pinned: 0, total: 1 },
      thirdParty: { pinned: 1, total: 1 },
      containerImage: { pinned: 0, total: 2 },
      pipCommand: { pinned: 1, total: 2 },
    });
    expect(score(pinnedDependencies(dir), ['githubOwned', 'thirdParty', 'containerImage', 'pipCommand'])).toBe(Math.floor(10 * (8 + 10) / (2 + 8 + 20 + 20)));
  });

  test('no lock file: every action pinned, no container image pinned; with the lock: both kinds fully pinned', () => {
    const without = pinnedDependencies(synthesized(false));
    const withLock = pinnedDependencies(synthesized(true));
    for (const r of [without, withLock]) {
      expect(r.githubOwned.pinned).toBe(r.githubOwned.total);
      expect(r.thirdParty.pinned).toBe(r.thirdParty.total);
      expect(r.githubOwned.total).toBeGreaterThan(0);
      expect(r.thirdParty.total).toBeGreaterThan(0);
    }
    // Dockerfile.prod and Dockerfile.dev: base, dependencies, final/development
    expect(without.containerImage).toEqual({ pinned: 0, total: 6 });
    expect(withLock.containerImage).toEqual({ pinned: 6, total: 6 });
    expect(withLock.pipCommand).toEqual(without.pipCommand);

    const kinds: Array<keyof Result> = ['githubOwned', 'thirdParty', 'containerImage'];
    const all: Array<keyof Result> = [...kinds, 'pipCommand'];
    const table = [
      ['', 'GitHub-owned actions', 'third-party actions', 'container images', 'pip installs', 'score (actions + images)', 'score (all)'],
      ...([['no lock file', without], ['lock file', withLock]] as const).map(([name, r]) => [
        name, `${r.githubOwned.pinned}/${r.githubOwned.total}`, `${r.thirdParty.pinned}/${r.thirdParty.total}`,
        `${r.containerImage.pinned}/${r.containerImage.total}`, `${r.pipCommand.pinned}/${r.pipCommand.total}`, `${score(r, kinds)}/10`, `${score(r, all)}/10`,
      ]),
    ];
    // the table for the README and the report
    process.stdout.write(`${table.map(row => `| ${row.join(' | ')} |`).join('\n')}\n`);
    expect(score(withLock, kinds)).toBe(10);
    expect(score(without, kinds)).toBe(Math.floor(10 * (2 * without.githubOwned.total + 8 * without.thirdParty.total)
      / (2 * without.githubOwned.total + 8 * without.thirdParty.total + 10 * 6)));
  });

  test('the bundled example as committed (the opt-out: no lock file) scores like the unlocked project', () => {
    const example = pinnedDependencies(join(__dirname, '..', '..', 'examples', 'django-app'));
    expect(example.containerImage).toEqual({ pinned: 0, total: 6 });
    expect(example.githubOwned.pinned).toBe(example.githubOwned.total);
    expect(example.thirdParty.pinned).toBe(example.thirdParty.total);
  });
});
