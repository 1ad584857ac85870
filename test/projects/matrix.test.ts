/**
 * The constructs in the projects projen creates, with their defaults: every project type × {Dockerfile only,
 * + presets, + publish workflow, + settings}. Synthesis needs no extra configuration; every workflow file
 * passes GitHub's parser and actionlint, ours shellcheck at the style level and projen's at the warning level;
 * every workflow file has a top-level permissions block and pins every `uses:` to a commit, with its version
 * as a comment; the settings built from the manifest require checks that are real job names.
 */
import { Testing } from 'cdktf';
import { cdk, javascript, Project, python, typescript } from 'projen';
import { parse } from 'yaml';
import {
  BaseImage, GhcrPublishWorkflow, GithubRepositorySettingsStack, MultiStageDockerfile, PipelineManifestFile, PythonAppDockerfile,
  PythonDevDockerfile, PythonFramework,
} from '../../src';
import { collectProblems } from '../../src/core/problems';
import { SHIPPED_ACTIONS } from '../../src/workflow/action-pins';
import { Obj, actionlintFindings, parserErrors, shellcheckFindings, synth, tempOutdir, usesWithComments } from '../workflow/support';

type Kind = 'typescript' | 'node' | 'jsii' | 'python' | 'plain';
type Level = 'dockerfile' | 'presets' | 'workflow' | 'settings';

/** A project of each kind, as `projen new <kind>` makes it (defaults only). */
function newProject(kind: Kind): Project {
  const outdir = tempOutdir('dockyard-matrix-');
  switch (kind) {
    case 'typescript': return new typescript.TypeScriptProject({ name: 'app', defaultReleaseBranch: 'main', outdir });
    case 'node': return new javascript.NodeProject({ name: 'app', defaultReleaseBranch: 'main', outdir });
    case 'jsii': return new cdk.JsiiProject({
      name: 'app', author: 'A', authorAddress: 'a@example.com', repositoryUrl: 'https://github.com/acme/app.git', defaultReleaseBranch: 'main', outdir,
    });
    case 'python': return new python.PythonProject({
      name: 'app', moduleName: 'app', authorName: 'A', authorEmail: 'a@example.com', version: '0.1.0', projenrcTs: true, outdir,
    });
    case 'plain': {
      const p = new Project({ name: 'app', outdir });
      new typescript.ProjenrcTs(p);
      return p;
    }
  }
}

function build(kind: Kind, level: Level) {
  const project = newProject(kind);
  let dockerfile: MultiStageDockerfile;
  if (level === 'dockerfile') {
    dockerfile = new MultiStageDockerfile(project, 'Dockerfile');
    dockerfile.addStage('app', { from: BaseImage.fromRegistry('busybox:1.36') }).workdir('/app').user('10001').cmd(['true']);
  } else {
    const framework = PythonFramework.wsgi('app.wsgi:application');
    dockerfile = new PythonAppDockerfile(project, 'Prod', { framework }).dockerfile;
    new PythonDevDockerfile(project, 'Dev', { framework });
  }
  if (level === 'workflow' || level === 'settings') new GhcrPublishWorkflow(project, { provenanceAttestation: false, dockerfile });
  return project;
}

const KINDS: Kind[] = ['typescript', 'node', 'jsii', 'python', 'plain'];
const LEVELS: Level[] = ['dockerfile', 'presets', 'workflow', 'settings'];
const OURS = '.github/workflows/container-publish.yml';
const table: string[] = [];

beforeAll(() => {
  process.env.PROJEN_DISABLE_POST = '1';
});

afterAll(() => {
  console.log(['project type × level: files written, workflows, validator findings, required checks', ...table].join('\n'));
});

describe.each(KINDS)('%s project', kind => {
  test.each(LEVELS)('%s', async level => {
    const files = synth(build(kind, level));
    const workflows = Object.keys(files).filter(f => /^\.github\/workflows\/.*\.ya?ml$/.test(f)).sort();
    let findings = 0;
    for (const path of workflows) {
      const content = files[path] as string;
      const wf = parse(content) as Obj;
      const own = path === OURS;
      const result = {
        path,
        parser: await parserErrors(content, path.split('/').pop()),
        actionlint: await actionlintFindings(content, path),
        shellcheck: shellcheckFindings(wf, own ? 'style' : 'warning'),
        permissions: typeof wf.permissions === 'object' && wf.permissions !== null,
        unpinned: usesWithComments(content).filter(u => !/@[0-9a-f]{40}$/.test(u.uses) || !/^v\d/.test(u.comment ?? '')),
      };
      findings += result.parser.length + result.actionlint.length + result.shellcheck.length + result.unpinned.length + (result.permissions ? 0 : 1);
      expect(result).toEqual({ path, parser: [], actionlint: [], shellcheck: [], permissions: true, unpinned: [] });
    }
    let checks: string[] = [];
    if (level === 'workflow' || level === 'settings') {
      const manifest = PipelineManifestFile.parse(JSON.stringify(files['.github/dockyard-pipeline.json']));
      checks = manifest.requiredChecks;
      const jobNames = workflows.flatMap(p => Object.entries<Obj>((parse(files[p]) as Obj).jobs).map(([id, j]) => String(j.name ?? id)));
      for (const c of checks) expect(jobNames.filter(n => n === c)).toHaveLength(1);
      if (kind !== 'python' && kind !== 'plain') expect(checks).toContain('build');
      if (level === 'settings') {
        const stack = new GithubRepositorySettingsStack(Testing.app(), 'settings', { owner: 'acme', repository: 'app', manifest });
        expect(collectProblems(stack)).toEqual([]);
        const json = JSON.parse(Testing.synth(stack, true));
        const ruleset = Object.values<Obj>(json.resource.github_repository_ruleset)[0];
        expect(ruleset.rules.required_status_checks.required_check.map((c: Obj) => c.context)).toEqual(checks);
      }
    }
    table.push(`${kind} × ${level}: ${Object.keys(files).length} files; ${workflows.map(w => w.split('/').pop()).join(', ') || 'no workflows'}; ${findings} findings; checks ${checks.join(', ') || '-'}`);
  });
});

describe('the shipped pin table covers every action of projen\'s default workflows', () => {
  test.each(KINDS)('%s project', kind => {
    const files = synth(newProject(kind));
    const actions = Object.keys(files).filter(f => f.startsWith('.github/workflows/'))
      .flatMap(f => usesWithComments(files[f] as string).map(u => u.uses.split('@')[0]));
    const missing = [...new Set(actions)].filter(a => !SHIPPED_ACTIONS[a]);
    expect(missing).toEqual([]);
  });
});
