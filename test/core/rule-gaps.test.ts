/**
 * The rule gaps closed by "one rule per fact": each row is an input that used to pass and is now
 * rejected at synth time with the construct path, the rule and the fix (or, for free text bound for
 * Terraform, escaped and read back). Also: names that are Object.prototype members work as names.
 */
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import {
  BaseImage, ContainerPublishPipeline, CopySource, GhcrPublishWorkflow, GithubRepositorySettings, GithubRepositorySettingsStack,
  MultiStageDockerfile, type GithubRepositorySettingsOptions,
} from '../../src';
import { collectProblems, DockyardValidationError } from '../../src/core/problems';
import { defaultManifest } from '../repository/support';
import { newDockerfile, newProject } from '../workflow/fixtures';

const BUSYBOX = BaseImage.fromRegistry('busybox:1.36');

function dockerfileProblems(options: { path?: string; context?: string }): string[] {
  const df = new MultiStageDockerfile(new Construct(undefined as unknown as Construct, 'root'), 'Df', options);
  df.addStage('app', { from: BUSYBOX }).user('10001');
  return collectProblems(df);
}

function pipelineProblems(options: Partial<ConstructorParameters<typeof ContainerPublishPipeline>[0]>): string[] {
  return new ContainerPublishPipeline({ provenanceAttestation: false, dockerfile: { path: 'Dockerfile', context: '.', target: 'app' }, ...options }).problems();
}

function settingsProblems(options: Partial<GithubRepositorySettingsOptions>, app = Testing.app(), id = 'repo'): string[] {
  const stack = new GithubRepositorySettingsStack(app, id, { owner: 'acme', repository: 'app', manifest: defaultManifest(), ...options });
  return collectProblems(stack);
}

function workflowSynthProblems(options: Record<string, unknown>): string[] {
  process.env.PROJEN_DISABLE_POST = 'true';
  const project = newProject('plain');
  const { dockerfile } = newDockerfile(project);
  new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile, ...options });
  try {
    project.synth();
  } catch (e) {
    expect(e).toBeInstanceOf(DockyardValidationError);
    return (e as DockyardValidationError).problems;
  }
  return [];
}

describe('bidi and zero-width characters in names and paths', () => {
  test.each([['\u202e'], ['\u200b'], ['\ufeff'], ['\u2066']])('U+%s in the Dockerfile path and context', ch => {
    const hex = ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    const problems = dockerfileProblems({ path: `docker/Docker${ch}file`, context: `sr${ch}c` });
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^\\[root/Df\\] path ".*" contains the invisible \\(bidi or zero-width\\) character U\\+${hex}; remove it$`)),
      expect.stringMatching(new RegExp(`^\\[root/Df\\] context ".*" contains the invisible .* U\\+${hex}; remove it$`)),
    ]);
  });

  test('in synthDrift.cdktfApp and the manifest path', () => {
    const problems = workflowSynthProblems({ synthDrift: { cdktfApp: 'in\u202efra' }, manifestPath: '.github/pipe\u200bline.json' });
    expect(problems).toEqual([
      expect.stringMatching(/GhcrPublishWorkflow#container-publish\] synthDrift\.cdktfApp "in.fra" contains the invisible .* U\+202E; remove it$/),
      expect.stringMatching(/GhcrPublishWorkflow#container-publish\] manifestPath ".github\/pipe.line.json" contains the invisible .* U\+200B; remove it$/),
    ]);
  });

  test('free text keeps them: an ENV value with a right-to-left override renders', () => {
    const df = new MultiStageDockerfile(new Construct(undefined as unknown as Construct, 'root'), 'Df');
    df.addStage('app', { from: BUSYBOX }).env('GREETING', 'abc \u202e def').user('10001');
    expect(df.render()).toContain('ENV GREETING="abc \u202e def"');
  });
});

describe('a remote build context (the image would come from an unreviewed tree)', () => {
  test.each([
    'https://github.com/evil/repo.git#main', 'git@github.com:evil/repo.git', 'github.com/evil/repo', 'ssh://git@example.com/x.git', 'ctx#main',
  ])('%j', context => {
    expect(dockerfileProblems({ context })).toEqual([expect.stringMatching(/^\[root\/Df\] context ".*" is a URL or git reference, so the image would be built from a tree nobody reviewed here; give a directory of this repository/)]);
    expect(pipelineProblems({ dockerfile: { path: 'Dockerfile', context, target: 'app' } })).toEqual([expect.stringMatching(/^Dockerfile context ".*" is a URL or git reference/)]);
  });
});

describe('Terraform template expressions in values bound for cdk.tf.json', () => {
  test.each<[string, Partial<GithubRepositorySettingsOptions>, RegExp]>([
    ['a protected branch pattern', { additionalProtectedBranches: ['release/${file("/etc/hostname")}'] }, /additionalProtectedBranches entry .* contains "\$\{" or "%\{", which Terraform would evaluate as a template expression/],
    ['a required check', { manifest: defaultManifest({ requiredChecks: ['build-%{ if true }x'] }) }, /required check "build-%\{ if true \}x" is not a job name the settings can require: it contains "\$\{" or "%\{"/],
    ['a deployment branch', { manifest: defaultManifest({ deployments: [{ branch: '${var.x}', environment: 'production' }, { branch: 'develop', environment: 'staging' }] }) }, /manifest deployment branch .* "\$\{var\.x\}" is not a branch name or pattern GitHub accepts/],
  ])('%s is rejected', (_what, options, message) => {
    expect(settingsProblems(options)).toEqual([expect.stringMatching(message)]);
  });

  test('an environment name (free text on GitHub) is escaped, and Terraform reads the original back', () => {
    const name = 'prod ${file("/etc/hostname")} %{ if true }x';
    const manifest = defaultManifest({ deployments: [{ branch: 'main', environment: name }] });
    const stack = new GithubRepositorySettingsStack(Testing.app(), 'repo', { owner: 'acme', repository: 'app', manifest });
    const json = JSON.parse(Testing.synth(stack, true));
    const environments = Object.values<{ environment: string }>(json.resource.github_repository_environment);
    expect(environments.map(e => e.environment)).toEqual(['prod $${file("/etc/hostname")} %%{ if true }x']);
    // Terraform's template escapes: "$${" is a literal "${", "%%{" a literal "%{"
    expect(environments[0].environment.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')).toBe(name);
  });
});

describe('the GitHub provider', () => {
  test.each(['~> 6.9', '', '>= 6.0', '6.10.2', 'latest'])('providerVersionConstraint %j admits a provider without sha_pinning_required', constraint => {
    expect(settingsProblems({ providerVersionConstraint: constraint })).toEqual([
      expect.stringMatching(/^\[repo\/settings\] providerVersionConstraint .* (admits|is not a Terraform version constraint).*use "~> 6\.11" \(the default\)/),
    ]);
  });

  test.each(['~> 6.11', '>= 6.11, < 7', '6.12.1', '~> 6.11.0', '> 6.11'])('providerVersionConstraint %j is accepted', constraint => {
    expect(settingsProblems({ providerVersionConstraint: constraint })).toEqual([]);
  });

  test('a token written in the code is an error (cdk.tf.json is committed); a variable is fine', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'repo');
    new GithubProvider(stack, 'github', { owner: 'acme', token: 'ghp_notarealtoken000000000000000000000000' });
    new GithubRepositorySettings(stack, 'settings', { owner: 'acme', repository: 'app', manifest: defaultManifest() });
    expect(collectProblems(stack)).toEqual([expect.stringMatching(/^\[repo\/settings\] the GitHub provider repo\/github has a token written in the code, which would be synthesized into cdk\.tf\.json .*remove token and export GITHUB_TOKEN/)]);

    const app2 = Testing.app();
    const stack2 = new TerraformStack(app2, 'repo');
    const token = new TerraformVariable(stack2, 'github_token', { type: 'string', sensitive: true });
    new GithubProvider(stack2, 'github', { owner: 'acme', token: token.stringValue });
    new GithubRepositorySettings(stack2, 'settings', { owner: 'acme', repository: 'app', manifest: defaultManifest() });
    expect(collectProblems(stack2)).toEqual([]);
  });
});

test('two settings constructs for one repository: the second is an error naming the first', () => {
  const app = new App({ outdir: undefined, skipValidation: true });
  expect(settingsProblems({}, app, 'first')).toEqual([]);
  expect(settingsProblems({ owner: 'ACME', repository: 'App' }, app, 'second')).toEqual([
    expect.stringMatching(/^\[second\/settings\] the repository ACME\/App is already configured by first\/settings; .*keep one GithubRepositorySettings per repository/),
  ]);
  // another repository is fine
  expect(settingsProblems({ repository: 'other' }, app, 'third')).toEqual([]);
});

describe('runners and branches of the publish workflow', () => {
  test('a self-hosted runner for the build job that runs fork pull requests needs an explicit opt-in', () => {
    expect(pipelineProblems({ runsOn: ['self-hosted', 'linux'] })).toEqual([expect.stringMatching(/^runsOn names a self-hosted runner, but the build job runs the code of every pull request .*pass allowSelfHostedRunners: true/)]);
    expect(pipelineProblems({ runsOn: ['self-hosted', 'linux'], allowSelfHostedRunners: true })).toEqual([]);
  });

  test('a branch given as a ref', () => {
    expect(pipelineProblems({ deployments: [{ branch: 'refs/heads/main', environment: 'production' }] }))
      .toEqual(['deployments[0].branch "refs/heads/main" is not a branch name GitHub accepts: give the short branch name ("main"), without "refs/"']);
  });
});

describe('names that are Object.prototype members work as names', () => {
  const NAMES = ['constructor', '__proto__', 'hasOwnProperty', 'toString'];

  // a stage name starts with a letter (BuildKit StageNameCasing), so __proto__ is rejected by that rule
  test.each(['constructor', 'hasownproperty', 'tostring', 'valueof'])('stage %j: named, referenced, built as the target', name => {
    const df = new MultiStageDockerfile(new Construct(undefined as unknown as Construct, 'root'), 'Df');
    const first = df.addStage('first', { from: BUSYBOX, name }).run('echo hi');
    df.addStage('last', { from: BaseImage.fromStage(first) }).copy(['/etc/hostname'], '/x', { from: CopySource.stage(first) }).user('10001');
    const text = df.render();
    expect(text).toContain(`FROM busybox:1.36 AS ${name}\n`);
    expect(text).toContain(`FROM ${name} AS last\n`);
    expect(text).toContain(`COPY --from=${name} /etc/hostname /x`);
  });

  test.each(NAMES)('ARG/ENV/LABEL %j', name => {
    const df = new MultiStageDockerfile(new Construct(undefined as unknown as Construct, 'root'), 'Df');
    df.addArg(name, 'g');
    df.addStage('app', { from: BUSYBOX }).arg(name, 'a').env(name, 'e').label(name.replace(/^_+/, 'x'), 'l').user('10001');
    expect(df.documentedVariables().map(v => `${v.kind} ${v.name}=${v.value}`)).toEqual([`ARG ${name}=g`, `ARG ${name}=a`, `ENV ${name}=e`]);
  });

  test.each(NAMES)('job id and environment %j', name => {
    const pipeline = new ContainerPublishPipeline({
      provenanceAttestation: false,
      dockerfile: { path: 'Dockerfile', context: '.', target: 'app' },
      jobIds: { buildJob: name, publishJob: `${name}-publish` },
      deployments: [{ branch: 'main', environment: name }],
    });
    expect(pipeline.problems()).toEqual([]);
    const wf = parse(pipeline.renderWorkflow());
    expect(Object.keys(wf.jobs)).toEqual([name, `${name}-publish`]);
    expect(Object.getPrototypeOf(wf.jobs)).toBe(Object.prototype);
    expect(wf.jobs[`${name}-publish`].needs).toEqual([name]);
    expect(wf.jobs[`${name}-publish`].environment).toContain(`'${name}'`);
  });

  test.each(NAMES)('a settings environment %j', name => {
    expect(settingsProblems({
      manifest: defaultManifest({ deployments: [{ branch: 'main', environment: name }] }),
      environments: [{ name }],
    })).toEqual([]);
  });
});
