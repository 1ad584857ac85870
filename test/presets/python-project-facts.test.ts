/**
 * The Python presets inside a real projen `python.PythonProject` take what the project knows: the
 * dependency manifest its tool writes (pip requirements files, uv's PEP 621 pyproject.toml, Poetry's
 * `[tool.poetry.dependencies]`), so `project.addDependency('django@^5')` reaches the image without being
 * typed twice, and the Python version when the project's constraint names exactly one minor version.
 * The requirements pip would be given are computed by running the Dockerfile's own RUN line (its
 * manifest-export part) with a real python3 against the pyproject.toml projen wrote.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { Project } from 'projen';
import { pythonProject, requirementsSeenByPip, stageOf, uvRequiring, written } from './python-projects';
import { DependencyManifest, PythonAppDockerfile, PythonDevDockerfile, PythonFramework } from '../../src';
import { ConstraintDialect, allowsVersion, singleVersion } from '../../src/presets/python-version-constraint';
import { flags, shellCommand } from '../dockerfile/parsed';
import { synthFailure } from '../support/synth';

const framework = PythonFramework.django('mysite');
const outdirs: string[] = [];
afterAll(() => outdirs.forEach(d => rmSync(d, { recursive: true, force: true })));

function track<T extends Project>(project: T): T {
  outdirs.push(project.outdir);
  return project;
}

/** `COPY` sources and destination of the dependencies stage. */
function manifestCopies(text: string): string[][] {
  return stageOf(text, 'dependencies').filter(i => i.getKeyword() === 'COPY').map(i => i.getArguments().map(a => a.getValue()));
}

function pythonVersionArg(text: string): string | undefined {
  return /^ARG PYTHON_VERSION="?([^"\s]+)"?$/m.exec(text)?.[1];
}

describe('the dependency manifest comes from the project', () => {
  test('pip: requirements.txt (and requirements-dev.txt in development), as projen writes them', () => {
    const project = track(pythonProject('pip'));
    const prod = new PythonAppDockerfile(project, 'Prod', { framework });
    const dev = new PythonDevDockerfile(project, 'Dev', { framework });
    project.addDependency('django@^5');
    project.addDevDependency('pytest@^8');
    project.synth();
    const prodText = written(project, 'docker/Dockerfile.prod');
    const devText = written(project, 'docker/Dockerfile.dev');
    expect(manifestCopies(prodText)).toEqual([['requirements.txt', './requirements.txt']]);
    expect(manifestCopies(devText)).toEqual([['requirements.txt', 'requirements-dev.txt', './']]);
    expect(shellCommand(stageOf(prodText, 'dependencies').pop()!)).toBe('python3 -m pip wheel --wheel-dir /wheels -r requirements.txt');
    expect(shellCommand(stageOf(devText, 'dependencies').pop()!)).toBe('python3 -m pip wheel --wheel-dir /wheels -r requirements.txt -r requirements-dev.txt');
    // the dependency added once, in .projenrc, is in what pip installs
    expect(requirementsSeenByPip(prodText, project.outdir).lines).toEqual(['django>=5.0.0, <6.0.0']);
    expect(requirementsSeenByPip(devText, project.outdir).lines).toEqual(['django>=5.0.0, <6.0.0', 'pytest>=8.0.0, <9.0.0']);
    expect(prod.dependencies).toBeDefined();
    expect(dev.final.stageName).toBe('development');
  });

  test('uv: pyproject.toml [project] dependencies, plus the [dependency-groups] dev group in development', () => {
    const project = track(pythonProject('uv', uvRequiring('>=3.11')));
    new PythonAppDockerfile(project, 'Prod', { framework });
    new PythonDevDockerfile(project, 'Dev', { framework });
    project.addDependency('django@^5');
    project.addDevDependency('pytest@^8');
    project.synth();
    const prodText = written(project, 'docker/Dockerfile.prod');
    const devText = written(project, 'docker/Dockerfile.dev');
    expect(written(project, 'pyproject.toml')).toContain('dependencies = [ "django>=5,<6.0.0" ]');
    for (const text of [prodText, devText]) expect(manifestCopies(text)).toEqual([['pyproject.toml', './pyproject.toml']]);
    const wheel = stageOf(devText, 'dependencies').pop()!;
    expect(flags(wheel)).toEqual([['mount', 'type=cache,target=/root/.cache/pip']]);
    expect(shellCommand(wheel)).toMatch(/^python3 -c 'exec\(.*\)' group:dev > \/tmp\/requirements\.txt && python3 -m pip wheel --wheel-dir \/wheels -r \/tmp\/requirements\.txt$/);
    expect(requirementsSeenByPip(prodText, project.outdir)).toEqual({ status: 0, lines: ['django>=5,<6.0.0'], stderr: '' });
    expect(requirementsSeenByPip(devText, project.outdir)).toEqual({ status: 0, lines: ['django>=5,<6.0.0', 'pytest>=8,<9.0.0'], stderr: '' });
  });

  test('Poetry: [tool.poetry.dependencies] (not PEP 621) read by DependencyManifest.poetry(), ^ and ~ turned into PEP 440 ranges', () => {
    const project = track(pythonProject('poetry', { deps: ['python@^3.11'] }));
    new PythonAppDockerfile(project, 'Prod', { framework });
    new PythonDevDockerfile(project, 'Dev', { framework });
    project.addDependency('django@^5');
    project.addDependency('psycopg@~3.2.1');
    project.addDevDependency('pytest@^8');
    project.synth();
    const toml = written(project, 'pyproject.toml');
    // what projen's Poetry writes: no [project] table, so DependencyManifest.pyproject() would find nothing
    expect(toml).toContain('[tool.poetry.dependencies]');
    expect(toml).not.toMatch(/^\[project\]/m);
    const prodText = written(project, 'docker/Dockerfile.prod');
    const devText = written(project, 'docker/Dockerfile.dev');
    expect(manifestCopies(prodText)).toEqual([['pyproject.toml', './pyproject.toml']]);
    expect(requirementsSeenByPip(prodText, project.outdir)).toEqual({ status: 0, lines: ['django>=5,<6', 'psycopg>=3.2.1,<3.3'], stderr: '' });
    expect(requirementsSeenByPip(devText, project.outdir)).toEqual({ status: 0, lines: ['django>=5,<6', 'psycopg>=3.2.1,<3.3', 'pytest>=8,<9'], stderr: '' });
  });

  test('an explicit dependencies option wins over the project\'s manifest', () => {
    const project = track(pythonProject('uv', uvRequiring('>=3.11')));
    const preset = new PythonAppDockerfile(project, 'Prod', { framework, dependencies: DependencyManifest.requirements({ files: ['requirements/prod.txt'] }) });
    expect(manifestCopies(preset.render())).toEqual([['requirements/prod.txt', './requirements/prod.txt']]);
  });

  test('outside a Python project, or with a build context other than the project root, nothing is taken', () => {
    const plain = track(new Project({ name: 'plain', outdir: mkdtempSync(join(tmpdir(), 'dockyard-plain-')) }));
    expect(manifestCopies(new PythonAppDockerfile(plain, 'Prod', { framework }).render())).toEqual([['requirements.txt', './requirements.txt']]);
    const uv = track(pythonProject('uv', uvRequiring('==3.12.*')));
    const sub = new PythonAppDockerfile(uv, 'Prod', { framework, context: 'backend', path: 'backend/Dockerfile' });
    expect(manifestCopies(sub.render())).toEqual([['requirements.txt', './requirements.txt']]);
    expect(pythonVersionArg(sub.render())).toBe('3.11');
    const outside = new PythonAppDockerfile(new Construct(undefined as unknown as Construct, 'Root'), 'Prod', { framework });
    expect(pythonVersionArg(outside.render())).toBe('3.11');
  });
});

describe('the Python version comes from the project when its constraint names exactly one minor version', () => {
  test.each<[string, string, string]>([
    ['uv ==3.12.*', 'uv', '==3.12.*'],
    ['uv ~=3.12.0', 'uv', '~=3.12.0'],
    ['uv >=3.12,<3.13', 'uv', '>=3.12,<3.13'],
    ['uv >=3.12.2, <3.13', 'uv', '>=3.12.2, <3.13'],
    ['Poetry ~3.12', 'poetry', '~3.12'],
    ['Poetry 3.12.*', 'poetry', '3.12.*'],
    ['Poetry >=3.12,<3.13', 'poetry', '>=3.12,<3.13'],
    ['Poetry >=3.12 <3.13 (space as "and")', 'poetry', '>=3.12 <3.13'],
  ])('%s is Python 3.12', (_name, tool, constraint) => {
    const project = track(tool === 'uv'
      ? pythonProject('uv', uvRequiring(constraint))
      : pythonProject('poetry', { deps: [`python@${constraint}`] }));
    const preset = new PythonAppDockerfile(project, 'Prod', { framework });
    expect(pythonVersionArg(preset.render())).toBe('3.12');
    expect(preset.renderDocs()).toContain(`Python 3.12 (the project's pyproject.toml ${tool === 'uv' ? '[project] requires-python' : '[tool.poetry.dependencies] python'})`);
  });

  test.each<[string, string, string | undefined]>([
    ['uv >=3.10', '>=3.10', undefined],
    ['uv ~=3.11 (3.11 up to 4)', '~=3.11', undefined],
    ['uv >=3.10,<3.13', '>=3.10,<3.13', undefined],
    ['uv ==3.12.4: exactly one release', '==3.12.4', '3.12.4'],
  ])('%s: a range is left alone, an exact release is taken as it is', (_name, constraint, expected) => {
    const project = track(pythonProject('uv', uvRequiring(constraint)));
    const preset = new PythonAppDockerfile(project, 'Prod', { framework });
    expect(pythonVersionArg(preset.render())).toBe(expected ?? '3.11');
    const explicit = new PythonAppDockerfile(project, 'Explicit', { framework, pythonVersion: expected ?? '3.12', path: 'docker/Dockerfile.explicit' });
    expect(pythonVersionArg(explicit.render())).toBe(expected ?? '3.12');
  });

  test('Poetry\'s default python = "^3.8" is a range: the default 3.11 stays', () => {
    const project = track(pythonProject('poetry'));
    const preset = new PythonAppDockerfile(project, 'Prod', { framework });
    project.synth();
    expect(written(project, 'pyproject.toml')).toContain('python = "^3.8"');
    expect(pythonVersionArg(preset.render())).toBe('3.11');
  });

  test('an explicit pythonVersion the constraint excludes is an error naming both and the fix; nothing is written', () => {
    const project = track(pythonProject('uv', uvRequiring('==3.12.*')));
    new PythonAppDockerfile(project, 'Prod', { framework, pythonVersion: '3.11' });
    const error = synthFailure(project);
    expect(error.problems).toEqual([
      `[${project.node.path}/Prod/Dockerfile] pythonVersion "3.11" conflicts with the project's Python constraint "==3.12.*" (pyproject.toml [project] requires-python), `
      + 'which allows only Python 3.12; drop pythonVersion to take 3.12 from the project, or pass pythonVersion: "3.12", or change the project\'s constraint',
    ]);
    expect(readdirSync(project.outdir)).toEqual([]);
  });

  test('Poetry: the same conflict, and the default outside a range', () => {
    const poetry = track(pythonProject('poetry', { deps: ['python@~3.12'] }));
    new PythonAppDockerfile(poetry, 'Prod', { framework, pythonVersion: '3.13.1' });
    expect(synthFailure(poetry).problems).toEqual([expect.stringContaining(
      'pythonVersion "3.13.1" conflicts with the project\'s Python constraint "~3.12" (pyproject.toml [tool.poetry.dependencies] python), which allows only Python 3.12')]);
    // uv's own default requires-python is ">=3.12,<4.0": the preset's default 3.11 is outside it, so a default
    // uv project builds the lowest Python the range allows (3.12) instead of failing
    const uv = track(pythonProject('uv'));
    const preset = new PythonAppDockerfile(uv, 'Prod', { framework });
    expect(preset.render()).toContain('ARG PYTHON_VERSION="3.12"');
  });

  test('a constraint changed after the preset was created is caught at synth time', () => {
    const project = track(pythonProject('poetry', { deps: ['python@~3.12'] }));
    new PythonAppDockerfile(project, 'Prod', { framework });
    project.deps.removeDependency('python');
    project.addDependency('python@~3.13');
    expect(synthFailure(project).problems).toEqual([
      `[${project.node.path}/Prod/Dockerfile] pythonVersion "3.12" was taken from the project when the preset was created, but the project's Python constraint "~3.13" `
      + '(pyproject.toml [tool.poetry.dependencies] python) no longer allows it; create the preset after the project\'s Python version is set, or pass pythonVersion: "3.13"',
    ]);
  });

  test('a single version below what the preset builds is reported with its origin', () => {
    const project = track(pythonProject('uv', uvRequiring('==3.7.*')));
    const preset = new PythonAppDockerfile(project, 'Prod', { framework });
    expect(() => preset.render()).toThrow('the project\'s pyproject.toml [project] requires-python "==3.7.*" names Python "3.7", but the preset builds Python 3.8 or later');
  });
});

describe('constraint reading (PEP 440 and Poetry)', () => {
  const pep = ConstraintDialect.PEP440;
  const poetry = ConstraintDialect.POETRY;
  test.each<[string, ConstraintDialect, string | undefined]>([
    ['==3.12.*', pep, '3.12'], ['~=3.12.0', pep, '3.12'], ['~=3.12.3', pep, '3.12'], ['>=3.12,<3.13', pep, '3.12'], ['>=3.12, <3.13.0', pep, '3.12'],
    ['>3.12,<=3.12.9', pep, '3.12'], ['==3.12.4', pep, '3.12.4'], ['===3.12.4', pep, '3.12.4'], ['==3.12', pep, '3.12.0'], ['>=3.12,<3.13,!=3.12.1', pep, '3.12'],
    ['>=3.12', pep, undefined], ['~=3.12', pep, undefined], ['>=3.11,<3.13', pep, undefined], ['<3.13', pep, undefined], ['==3.*', pep, undefined],
    ['', pep, undefined], ['>=3.12,<3.12', pep, undefined], ['~3.12', pep, undefined], ['^3.12', pep, undefined], ['3.12', pep, undefined],
    ['>=3.12rc1,<3.13', pep, undefined], ['>= 3.12 , < 3.13', pep, '3.12'],
    ['~3.12', poetry, '3.12'], ['~3.12.1', poetry, '3.12'], ['3.12.*', poetry, '3.12'], ['>=3.12,<3.13', poetry, '3.12'], ['>=3.12 <3.13', poetry, '3.12'],
    ['3.12.4', poetry, '3.12.4'], ['^3.12', poetry, undefined], ['^3.8', poetry, undefined], ['~3', poetry, undefined], ['*', poetry, undefined],
    ['~3.12 || ~3.13', poetry, undefined], ['3.12.* || >=3.12.2,<3.13', poetry, '3.12'], ['>=3.12,<3.14', poetry, undefined],
  ])('%j (%s) names %j', (text, dialect, expected) => {
    expect(singleVersion(text, dialect)).toBe(expected);
  });

  test.each<[string, ConstraintDialect, string, boolean | undefined]>([
    ['>=3.12,<4.0', pep, '3.11', false], ['>=3.12,<4.0', pep, '3.12', true], ['>=3.12.2', pep, '3.12', true], ['>=3.12.2', pep, '3.12.1', false],
    ['==3.12.*', pep, '3.12.7', true], ['^3.8', poetry, '3.13', true], ['^3.8', poetry, '3.7', false], ['~3.12 || ~3.10', poetry, '3.11', false],
    ['>=3.12rc1', pep, '3.11', undefined],
  ])('%j (%s) allows Python %s: %j', (text, dialect, version, expected) => {
    expect(allowsVersion(text, dialect, version)).toBe(expected);
  });
});
