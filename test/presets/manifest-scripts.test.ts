/**
 * The Python programs the dependencies stage runs to turn pyproject.toml into requirements, run for real
 * with this machine's python3 (3.11, tomllib) exactly as the RUN line passes them (`python3 -c <program> args`),
 * against pyproject.toml files that exercise every form they accept and every form they refuse. Each
 * accepted requirement is also parsed by pip's own requirement parser (pip's vendored `packaging`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POETRY_TO_REQUIREMENTS, PYPROJECT_TO_REQUIREMENTS } from '../../src/presets/manifest-scripts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(d => rmSync(d, { recursive: true, force: true })));

function run(program: string, pyproject: string, args: string[] = []): { status: number | null; lines: string[]; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dockyard-manifest-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'pyproject.toml'), pyproject);
  const r = spawnSync('python3', ['-c', program, ...args], { cwd: dir, encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin' } });
  return { status: r.status, lines: r.stdout.split('\n').filter(Boolean).map(l => l.replace(dir, '<dir>')), stderr: r.stderr.trim() };
}

/** Whether pip's requirement parser reads every line (pip is in this machine's Python, as in the build image). */
function pipParses(lines: string[]): string[] {
  const check = 'import sys\nfrom pip._vendor.packaging.requirements import Requirement\nfor l in sys.argv[1:]:\n    Requirement(l)\nprint("ok")';
  const r = spawnSync('python3', ['-c', check, ...lines], { encoding: 'utf8' });
  return [r.stdout.trim(), r.stderr.trim()].filter(Boolean);
}

const POETRY = `
[tool.poetry]
name = "site"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"
django = "^5"
zero-caret = "^0.2.3"
zero-zero = "^0.0.3"
tilde = "~1.4.2"
tilde-minor = "~2.1"
exact = "2.0.1"
wild = "3.1.*"
any = "*"
ranged = ">= 1.2, < 1.5"
spaced = ">=1.2 <1.5"
compatible = "~=4.2"
prerelease = "^1.0.0b1"
with-extras = { version = "^2.31", extras = ["socks", "security"] }
with-markers = { version = ">=1", markers = "sys_platform == 'linux' or sys_platform == 'darwin'" }
with-python = { version = "^1", python = "<3.12" }
with-platform = { version = "^1", platform = "linux" }
local = { path = "vendor/greeting" }
from-git = { git = "https://github.com/acme/lib.git", tag = "v1.2.0", subdirectory = "python" }
from-url = { url = "https://example.com/pkg-1.0.tar.gz" }
from-source = { version = "^1", source = "internal" }
not-installed = { version = "^1", optional = true }

[tool.poetry.group.dev.dependencies]
pytest = "^8"

[tool.poetry.group.docs.dependencies]
sphinx = "~7"
`;

describe('POETRY_TO_REQUIREMENTS', () => {
  test('every Poetry form becomes the PEP 508 requirement Poetry means; python is skipped, optional left out', () => {
    const r = run(POETRY_TO_REQUIREMENTS, POETRY);
    expect(r).toEqual({
      status: 0,
      stderr: '',
      lines: [
        'django>=5,<6', 'zero-caret>=0.2.3,<0.3', 'zero-zero>=0.0.3,<0.0.4', 'tilde>=1.4.2,<1.5', 'tilde-minor>=2.1,<2.2', 'exact==2.0.1',
        'wild==3.1.*', 'any', 'ranged>=1.2,<1.5', 'spaced>=1.2,<1.5', 'compatible~=4.2', 'prerelease>=1.0.0b1,<2',
        'with-extras[socks,security]>=2.31,<3',
        'with-markers>=1; (sys_platform == \'linux\' or sys_platform == \'darwin\')',
        'with-python>=1,<2; python_full_version < "3.12"',
        'with-platform>=1,<2; sys_platform == "linux"',
        'local @ file://<dir>/vendor/greeting',
        'from-git @ git+https://github.com/acme/lib.git@v1.2.0#subdirectory=python',
        'from-url @ https://example.com/pkg-1.0.tar.gz',
        'from-source>=1,<2',
      ],
    });
    expect(pipParses(r.lines)).toEqual(['ok']);
  });

  test('development groups are added in order; a missing group fails the build naming it', () => {
    expect(run(POETRY_TO_REQUIREMENTS, POETRY, ['dev', 'docs']).lines.slice(-2)).toEqual(['pytest>=8,<9', 'sphinx>=7,<8']);
    const legacy = run(POETRY_TO_REQUIREMENTS, '[tool.poetry.dependencies]\npython = "^3.11"\n[tool.poetry.dev-dependencies]\nblack = "24.4.2"\n', ['dev']);
    expect(legacy).toEqual({ status: 0, lines: ['black==24.4.2'], stderr: '' });
    const missing = run(POETRY_TO_REQUIREMENTS, POETRY, ['lint']);
    expect([missing.status, missing.stderr]).toEqual([1, 'pyproject.toml has no [tool.poetry.group.lint.dependencies]']);
  });

  test.each<[string, string]>([
    ['either = "^1 || ^2"', 'pyproject.toml [tool.poetry] dependency either: "^1 || ^2" uses ||, which a requirement cannot express; give one range'],
    ['multi = [{ version = "^1", python = "<3.12" }, { version = "^2", python = ">=3.12" }]', 'pyproject.toml [tool.poetry] dependency multi: a list of constraints is not supported; give one constraint'],
    ['odd = { version = "^1", branch2 = "x" }', 'pyproject.toml [tool.poetry] dependency odd: unsupported keys branch2'],
    ['bad = "^latest"', 'pyproject.toml [tool.poetry] dependency bad: "^latest" is not a version constraint'],
  ])('refused with a message naming the dependency: %s', (line, message) => {
    const r = run(POETRY_TO_REQUIREMENTS, `[tool.poetry.dependencies]\npython = "^3.11"\n${line}\n`);
    expect([r.status, r.stderr]).toEqual([1, message]);
  });

  test('a project without dependencies gives no requirement', () => {
    expect(run(POETRY_TO_REQUIREMENTS, '[tool.poetry]\nname = "x"\n')).toEqual({ status: 0, lines: [], stderr: '' });
  });
});

const PEP621 = `
[project]
name = "site"
version = "0.1.0"
dependencies = ["django>=5,<6"]

[project.optional-dependencies]
dev = ["ruff"]

[dependency-groups]
test = ["pytest>=8"]
typing = ["mypy"]
dev = [{ include-group = "test" }, { include-group = "typing" }, "ipython"]
`;

describe('PYPROJECT_TO_REQUIREMENTS', () => {
  test('[project] dependencies, optional-dependency extras and PEP 735 groups (include-group followed)', () => {
    expect(run(PYPROJECT_TO_REQUIREMENTS, PEP621).lines).toEqual(['django>=5,<6']);
    expect(run(PYPROJECT_TO_REQUIREMENTS, PEP621, ['extra:dev']).lines).toEqual(['django>=5,<6', 'ruff']);
    expect(run(PYPROJECT_TO_REQUIREMENTS, PEP621, ['group:dev']).lines).toEqual(['django>=5,<6', 'pytest>=8', 'mypy', 'ipython']);
    expect(run(PYPROJECT_TO_REQUIREMENTS, PEP621, ['extra:dev', 'group:test']).lines).toEqual(['django>=5,<6', 'ruff', 'pytest>=8']);
  });

  test.each<[string, string, string[], string]>([
    ['a missing extra', PEP621, ['extra:docs'], 'pyproject.toml has no [project.optional-dependencies] group docs'],
    ['a missing group', PEP621, ['group:docs'], 'pyproject.toml has no [dependency-groups] group docs'],
    ['groups including each other', '[project]\nname = "x"\n[dependency-groups]\na = [{ include-group = "b" }]\nb = [{ include-group = "a" }]\n', ['group:a'],
      'pyproject.toml [dependency-groups] include each other in a cycle: a -> b -> a'],
    ['dynamic dependencies', '[project]\nname = "x"\ndynamic = ["dependencies"]\n', [],
      'pyproject.toml declares [project] dependencies as dynamic, which cannot be read without building the project; list them in [project] dependencies'],
  ])('refused with a clear message: %s', (_name, toml, args, message) => {
    const r = run(PYPROJECT_TO_REQUIREMENTS, toml, args);
    expect([r.status, r.stderr]).toEqual([1, message]);
  });
});
