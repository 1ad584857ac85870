import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Testing as CdktfTesting } from 'cdktf';
import { javascript, Project, Testing as ProjenTesting } from 'projen';
import { parse } from 'yaml';
import { githubOwned, githubPatternMatches } from './agreement-support';
import { resources } from './support';
import {
  ActionPin, BaseImage, BranchRuleKind, CopySource, GhcrPublishWorkflow, GithubRepositorySettingsStack, MultiStageDockerfile, PipelineManifestFile,
  type GhcrPublishWorkflowOptions, type PipelineManifest,
} from '../../src';

/**
 * End to end: a projen project with the publish workflow is synthesized, the
 * manifest it writes is read back as a cdktf `main.ts` would, the repository
 * settings are synthesized from it, and the settings are checked against the
 * generated workflow YAML itself (parsed with `yaml`; conditions evaluated
 * with GitHub's expression evaluator).
 */

type Obj = Record<string, any>;

// GitHub's expression evaluator is ESM; jest maps it to its dist build (see the jest config).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { data, Evaluator, Lexer, Parser } = require('@actions/expressions') as typeof import('@actions/expressions', { with: { 'resolution-mode': 'import' } });

interface Generated {
  readonly manifest: PipelineManifest;
  /** Every generated workflow, parsed, by path. */
  readonly workflows: Record<string, Obj>;
  /** The publish workflow's path. */
  readonly publishPath: string;
}

function generate(kind: 'node' | 'plain', options: Partial<GhcrPublishWorkflowOptions>): Generated {
  const outdir = mkdtempSync(join(tmpdir(), 'dockyard-e2e-'));
  const project: Project = kind === 'plain'
    ? new Project({ name: 'plain', outdir })
    : new javascript.NodeProject({ name: 'app', outdir, defaultReleaseBranch: 'main', depsUpgrade: false });
  const dockerfile = new MultiStageDockerfile(project, 'Dockerfile', { path: 'Dockerfile', context: '.' });
  const build = dockerfile.addStage('build', { from: BaseImage.fromRegistry('python:3.11-slim-bookworm') }).run('python3 -m venv /venv');
  dockerfile.addStage('runtime', { from: BaseImage.fromRegistry('python:3.11-slim-bookworm') })
    .copy(['/venv'], '/venv', { from: CopySource.stage(build) })
    .user('nobody')
    .cmd(['/venv/bin/python', '-m', 'http.server']);
  const workflow = new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile, ...options });
  const files = ProjenTesting.synth(project);
  const workflows: Record<string, Obj> = {};
  for (const [path, content] of Object.entries(files)) {
    if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) {
      workflows[path] = parse(content as string);
    }
  }
  // Read the manifest as main.ts does: JSON text through the loader.
  const manifest = PipelineManifestFile.parse(JSON.stringify(files[workflow.manifestPath]), workflow.manifestPath);
  return { manifest, workflows, publishPath: workflow.workflowPath };
}

function settingsJson(manifest: PipelineManifest, ruleKind: BranchRuleKind): Obj {
  const stack = new GithubRepositorySettingsStack(CdktfTesting.app(), 'repo', { owner: 'acme', repository: 'app', manifest, ruleKind });
  return JSON.parse(CdktfTesting.synth(stack, true));
}

/** Evaluates a GitHub expression with GitHub's own evaluator (@actions/expressions). */
function evaluate(expression: string, contexts: Obj): string {
  const expr = new Parser(new Lexer(expression).lex().tokens, Object.keys(contexts), []).parse();
  const context = new data.Dictionary(...Object.entries(contexts).map(([key, value]) => ({
    key, value: JSON.parse(JSON.stringify(value), data.reviver),
  })));
  return new Evaluator(expr, context).evaluate().coerceString();
}

/** A value as the runner sees it: `${{ }}` parts evaluated, the rest kept. */
function interpolate(text: string, contexts: Obj): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, e: string) => evaluate(e, contexts));
}

function pushContext(ref: string): Obj {
  return {
    github: {
      event_name: 'push',
      ref,
      ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      repository: 'acme/app',
      event: { repository: { default_branch: 'main' } },
    },
  };
}

/** The environment a job deploys to on a push of `ref`, or undefined when it does not run. */
function environmentOnPush(job: Obj, ref: string): string | undefined {
  const contexts = pushContext(ref);
  if (job.if !== undefined && evaluate(String(job.if).replace(/^\$\{\{(.*)\}\}$/s, '$1'), contexts) !== 'true') {
    return undefined;
  }
  const env = typeof job.environment === 'object' ? job.environment.name : job.environment;
  return env === undefined ? undefined : interpolate(String(env), contexts);
}

/** Every `uses:` of every workflow (steps and reusable-workflow jobs). */
function allUses(workflows: Record<string, Obj>): string[] {
  const uses: string[] = [];
  for (const wf of Object.values(workflows)) {
    for (const job of Object.values<Obj>(wf.jobs ?? {})) {
      if (typeof job.uses === 'string') uses.push(job.uses);
      for (const step of job.steps ?? []) {
        if (typeof step.uses === 'string') uses.push(step.uses);
      }
    }
  }
  return uses.filter(u => !u.startsWith('./') && !u.startsWith('docker://'));
}

/** A release tag that matches a GitHub filter glob such as `v*.*.*`. */
function sampleTag(pattern: string): string {
  return pattern.replace(/\*/g, '1');
}

function expectSettingsMatchWorkflows(g: Generated, json: Obj, ruleKind: BranchRuleKind): void {
  const publish = g.workflows[g.publishPath];
  expect(publish).toBeDefined();
  const jobs = Object.entries<Obj>(publish.jobs);
  const checkName = ([id, job]: [string, Obj]) => String(job.name ?? id);

  // 1. Required checks = the publish workflow's jobs that run outside any environment (build, drift),
  //    by job name; they have no `if`, so they can never be skipped (a skipped check counts as passed);
  //    and the project's own build job (projen's build.yml), so a pull request with failing tests cannot merge.
  const projenBuild = g.workflows['.github/workflows/build.yml'];
  const projenBuildChecks = projenBuild ? [String(projenBuild.jobs.build.name ?? 'build')] : [];
  const expectedChecks = [...jobs.filter(([, job]) => job.environment === undefined).map(checkName), ...projenBuildChecks].sort();
  if (projenBuild && g.manifest.mergeQueue) expect(Object.keys(projenBuild.on)).toContain('merge_group');
  for (const [, job] of jobs.filter(([, j]) => j.environment === undefined)) {
    expect(job.if).toBeUndefined();
  }
  expect(Object.keys(publish.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
  if (g.manifest.mergeQueue) expect(Object.keys(publish.on)).toContain('merge_group');
  let required: string[];
  if (ruleKind === BranchRuleKind.RULESET) {
    const [ruleset] = resources(json, 'github_repository_ruleset').filter(r => r.target === 'branch');
    required = ruleset.rules.required_status_checks.required_check.map((c: Obj) => c.context);
    expect(new Set(ruleset.rules.required_status_checks.required_check.map((c: Obj) => c.integration_id))).toEqual(new Set([15368]));
    expect(ruleset.conditions.ref_name.include).toEqual(publish.on.push.branches.map((b: string) => `refs/heads/${b}`));
  } else {
    const protections = resources(json, 'github_branch_protection');
    expect(protections.map(p => p.pattern)).toEqual(publish.on.push.branches);
    required = protections[0].required_status_checks[0].contexts;
    for (const p of protections) expect(p.required_status_checks[0].contexts).toEqual(required);
  }
  expect([...required].sort()).toEqual(expectedChecks);
  // Each required check names exactly one job among all the repository's workflows.
  const allJobNames = Object.values(g.workflows).flatMap(wf => Object.entries<Obj>(wf.jobs ?? {}).map(checkName));
  for (const check of required) {
    expect({ check, jobs: allJobNames.filter(n => n === check).length }).toEqual({ check, jobs: 1 });
  }

  // 2. Allowed actions cover every `uses:` of every workflow and nothing more; every ref is a full SHA.
  const [perms] = resources(json, 'github_actions_repository_permissions');
  const patterns: string[] = perms.allowed_actions_config.patterns_allowed;
  const uses = allUses(g.workflows);
  expect(uses.length).toBeGreaterThan(0);
  expect(perms.sha_pinning_required).toBe(true);
  for (const u of uses) {
    expect({ uses: u, pinned: /@[0-9a-f]{40}$/.test(u) }).toEqual({ uses: u, pinned: true });
    const allowed = (githubOwned(u) && perms.allowed_actions_config.github_owned_allowed === true)
      || patterns.some(p => githubPatternMatches(p, u));
    expect({ uses: u, allowed }).toEqual({ uses: u, allowed: true });
  }
  for (const p of patterns) {
    expect({ pattern: p, used: uses.some(u => !githubOwned(u) && githubPatternMatches(p, u)) }).toEqual({ pattern: p, used: true });
  }

  // 3. Environment policies = where the workflow really deploys: each pushed branch (and a release tag)
  //    evaluated through the jobs' `if` and `environment` expressions.
  const envs = json.resource.github_repository_environment ?? {};
  const envOf = (ref: string) => envs[/^\$\{github_repository_environment\.([^.]+)\.environment\}$/.exec(ref)![1]].environment;
  const policies = resources(json, 'github_repository_environment_deployment_policy');
  const policyPairs = policies.map(p => p.branch_pattern !== undefined
    ? `${envOf(p.environment)} <- branch ${p.branch_pattern}`
    : `${envOf(p.environment)} <- tag ${p.tag_pattern}`).sort();
  const deployed: string[] = [];
  const deployedEnvs = new Set<string>();
  const refs = [
    ...publish.on.push.branches.map((b: string) => ({ ref: `refs/heads/${b}`, label: `branch ${b}` })),
    ...(publish.on.push.tags ?? []).map((t: string) => ({ ref: `refs/tags/${sampleTag(t)}`, label: `tag ${t}` })),
  ];
  for (const { ref, label } of refs) {
    const targets = jobs.map(([, job]) => environmentOnPush(job, ref)).filter((e): e is string => e !== undefined && e !== '');
    expect({ ref, targets: targets.length }).toEqual({ ref, targets: 1 });
    deployed.push(`${targets[0]} <- ${label}`);
    deployedEnvs.add(targets[0]);
  }
  expect(policyPairs).toEqual(deployed.sort());
  expect(new Set(Object.values<Obj>(envs).map(e => e.environment))).toEqual(deployedEnvs);
  // A branch outside the map deploys nowhere.
  expect(jobs.map(([, job]) => environmentOnPush(job, 'refs/heads/feature/x')).filter(e => e)).toEqual([]);
}

const CONFIGURATIONS: [string, 'node' | 'plain', Partial<GhcrPublishWorkflowOptions>][] = [
  ['node project, defaults', 'node', {}],
  ['node project, semver tags and synth drift', 'node', { publishSemverTags: true, synthDrift: {} }],
  ['node project, merge queue, attestations, SBOM, two platforms', 'node', {
    mergeQueue: true, provenanceAttestation: true, sbom: true, platforms: ['linux/amd64', 'linux/arm64'],
  }],
  ['plain project, custom branches, environments, job ids and image', 'plain', {
    imageName: 'acme/app',
    deployments: [
      { branch: 'trunk', environment: 'prod-eu' },
      { branch: 'next', environment: 'preview' },
      { branch: 'release/candidate', environment: 'preview' },
    ],
    publishSemverTags: true,
    tagEnvironment: 'prod-eu',
    jobIds: { buildJob: 'image-build', publishJob: 'image-publish', synthDriftJob: 'projen-drift' },
    synthDrift: { installCommand: 'npm ci' },
  }],
  ['plain project, an extra pinned action version', 'plain', {
    actionPins: [ActionPin.of('docker/login-action', '0123456789abcdef0123456789abcdef01234567', 'v4.0.0')],
  }],
];

describe('settings agree with the generated workflows', () => {
  test.each(CONFIGURATIONS)('%s', (_name, kind, options) => {
    const g = generate(kind, options);
    for (const ruleKind of [BranchRuleKind.RULESET, BranchRuleKind.BRANCH_PROTECTION]) {
      expectSettingsMatchWorkflows(g, settingsJson(g.manifest, ruleKind), ruleKind);
    }
  });

  test('the manifest names every generated workflow', () => {
    const g = generate('node', { publishSemverTags: true });
    expect([...g.manifest.workflows].sort()).toEqual(Object.keys(g.workflows).sort());
  });
});
