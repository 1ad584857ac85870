/**
 * A preset inside a real projen `python.PythonProject` builds for real: the dependency is added once, with
 * `project.addDependency('greeting@^1.0.0')`, projen writes it into the manifest its tool uses (pip's
 * requirements.txt, Poetry's `[tool.poetry.dependencies]`, uv's `[project] dependencies`), and the image
 * built by a real Docker engine from the Dockerfile projen wrote has it installed. `greeting` is the local
 * package of test/fixtures/python-app/vendor, served offline from a wheelhouse (pip `--no-index --find-links`).
 * Poetry and uv projects name Python 3.11 in their constraint (the only Python image this machine has),
 * which the preset takes from them.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildWheelhouse, FIXTURE, runName, timedBuild, waitHealthy } from './python-e2e';
import { DependencyTool, pythonProject, uvRequiring, written } from './python-projects';
import { PythonAppDockerfile, PythonFramework, PythonOsFamily } from '../../src';
import { describeWithDocker, docker, dockerOk } from '../support/docker';

const SLOW = 900_000;

describeWithDocker('a preset in a projen PythonProject installs what project.addDependency added', () => {
  const images: string[] = [];
  const containers: string[] = [];
  const outdirs: string[] = [];

  afterAll(() => {
    if (containers.length) docker(['rm', '-f', ...containers]);
    if (images.length) docker(['rmi', '-f', ...images]);
    for (const d of outdirs) rmSync(d, { recursive: true, force: true });
  });

  test.each<[DependencyTool, string]>([
    ['pip', 'requirements.txt'],
    ['poetry', 'pyproject.toml'],
    ['uv', 'pyproject.toml'],
  ])('%s: the dependency reaches the image through %s', (tool, manifest) => {
    const project = pythonProject(tool, tool === 'poetry' ? { deps: ['python@~3.11'] }
      : tool === 'uv' ? uvRequiring('==3.11.*') : {});
    outdirs.push(project.outdir);
    const preset = new PythonAppDockerfile(project, 'Prod', {
      osFamily: PythonOsFamily.DEBIAN_SLIM,
      framework: PythonFramework.wsgi('sampleapp.wsgi:application'),
      command: ['python3', '-m', 'sampleapp.serve'],
      // offline: the local packages' wheels, built below, are the only index
      dependencyFiles: ['wheelhouse'],
      pipWheelArgs: ['--no-index', '--find-links', 'wheelhouse'],
    });
    project.addDependency('greeting@^1.0.0');
    project.addDevDependency('devhelper@^0.1.0');
    project.synth();
    expect(written(project, manifest)).toMatch(/greeting/);
    expect(/^ARG PYTHON_VERSION="?3\.11"?$/m.test(preset.render())).toBe(true);
    for (const dir of ['sampleapp', 'vendor']) cpSync(join(FIXTURE, dir), join(project.outdir, dir), { recursive: true });
    const ctx = { dir: project.outdir, dockerfile: join(project.outdir, preset.dockerfile.path), text: written(project, preset.dockerfile.path) };
    buildWheelhouse(ctx);
    const image = `${runName(`dockyard-projen-${tool}`)}:1`;
    images.push(image);
    timedBuild(ctx, image);
    const version = dockerOk(['run', '--rm', '--network=none', '--entrypoint', 'python3', image, '-c',
      'import importlib.metadata as m; print(m.version("greeting"))']).trim();
    expect(version).toBe('1.0.0');
    // the development dependency stays out of the production image
    expect(docker(['run', '--rm', '--network=none', '--entrypoint', 'python3', image, '-c', 'import devhelper']).status).not.toBe(0);
    const name = runName(`dockyard-projen-${tool}-run`);
    containers.push(name);
    dockerOk(['run', '-d', '--name', name, image]);
    expect(waitHealthy(name)).toBe('healthy');
    expect(dockerOk(['exec', name, 'python3', '-c', 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:8000/").read().decode(), end="")']))
      .toBe('Hello, dockyard! version=1 uid=10001\n');
  }, SLOW);
});
