/**
 * Real projen `python.PythonProject`s (pip, Poetry, uv) synthesized into temporary directories, for the
 * tests of what the Python presets take from the project they live in. projen's post-synthesis step
 * (pip/poetry/uv install) cannot run offline and is switched off with PROJEN_DISABLE_POST=1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { python } from 'projen';
import { shellCommand } from '../dockerfile/parsed';

export type DependencyTool = 'pip' | 'poetry' | 'uv';

/** A Python project managed by `tool`, in a fresh temporary directory (no sample code, no pytest). */
export function pythonProject(tool: DependencyTool, options: Partial<python.PythonProjectOptions> = {}): python.PythonProject {
  process.env.PROJEN_DISABLE_POST = '1';
  return new python.PythonProject({
    name: 'site',
    moduleName: 'site_app',
    authorName: 'Dockyard Tests',
    authorEmail: 'tests@example.com',
    version: '0.1.0',
    outdir: mkdtempSync(join(tmpdir(), `dockyard-pyproject-${tool}-`)),
    projenrcTs: true,
    sample: false,
    pytest: false,
    poetry: tool === 'poetry',
    uv: tool === 'uv',
    ...options,
  });
}

/** A file the project wrote. */
export function written(project: python.PythonProject, path: string): string {
  return readFileSync(join(project.outdir, path), 'utf8');
}

/** The instructions of a stage of a rendered Dockerfile. */
export function stageOf(text: string, name: string) {
  const insts = DockerfileParser.parse(text).getInstructions();
  const starts = insts.map((i, n) => (i.getKeyword() === 'FROM' ? n : -1)).filter(n => n >= 0);
  const k = DockerfileParser.parse(text).getFROMs().findIndex(f => f.getBuildStage() === name);
  if (k < 0) throw new Error(`no stage ${name}`);
  return insts.slice(starts[k] + 1, starts[k + 1] ?? insts.length);
}

/**
 * The requirements the dependencies stage hands to `pip wheel`: the part of its RUN line before
 * `> /tmp/requirements.txt`, run by /bin/sh with this machine's python3 (3.11, with tomllib) in `dir`.
 * For a requirements-file manifest, the files named by `-r`, concatenated.
 */
export function requirementsSeenByPip(dockerfile: string, dir: string): { status: number | null; lines: string[]; stderr: string } {
  const run = stageOf(dockerfile, 'dependencies').filter(i => i.getKeyword() === 'RUN').pop()!;
  const command = shellCommand(run)!;
  const cut = command.indexOf(' > /tmp/requirements.txt && ');
  if (cut < 0) {
    const files = [...command.matchAll(/ -r (\S+)/g)].map(m => m[1]);
    const lines = files.flatMap(f => readFileSync(join(dir, f), 'utf8').split('\n'));
    return { status: 0, lines: lines.filter(l => l.trim() && !l.startsWith('#')), stderr: '' };
  }
  const r = spawnSync('/bin/sh', ['-c', command.slice(0, cut)], { cwd: dir, encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin' } });
  return { status: r.status, lines: r.stdout.split('\n').filter(l => l.length > 0), stderr: r.stderr };
}

/** Options of a uv project whose pyproject.toml says `requires-python = <requiresPython>`. */
export function uvRequiring(requiresPython: string): Partial<python.PythonProjectOptions> {
  return { uvOptions: { project: { name: 'site', requiresPython } } };
}
