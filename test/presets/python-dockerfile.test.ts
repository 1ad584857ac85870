/**
 * The Python presets rendered and read back with dockerfile-ast (the parser behind dockerfile-utils and
 * the VS Code Docker extension), linted with dockerfile-utils, for every variant (production and
 * development, Alpine and Debian, every manifest kind), and every option checked through the parsed file.
 */
import { Construct } from 'constructs';
import { Dockerfile, DockerfileParser, Instruction } from 'dockerfile-ast';
import {
  BaseImage, DEFAULT_IGNORE_PATTERNS, DependencyManifest, HealthCheck, IgnoreFilePlacement, PythonAppDockerfile, PythonAppDockerfileOptions,
  PythonDevDockerfile, PythonFramework, PythonOsFamily, RunNetwork, SystemPackages,
} from '../../src';
import { flags, healthcheckExec, jsonArgs, lint, properties, shellCommand } from '../dockerfile/parsed';

function scope(): Construct {
  return new Construct(undefined as unknown as Construct, 'Root');
}

const DJANGO = PythonFramework.django('mysite');

function prod(options: PythonAppDockerfileOptions = {}): PythonAppDockerfile {
  return new PythonAppDockerfile(scope(), 'App', { framework: DJANGO, ...options });
}

function dev(options: PythonAppDockerfileOptions = {}): PythonDevDockerfile {
  return new PythonDevDockerfile(scope(), 'Dev', { framework: DJANGO, ...options });
}

/** The parsed file: its stages by name, each with the instructions after its FROM. */
interface Parsed {
  readonly text: string;
  readonly ast: Dockerfile;
  readonly froms: Array<[string, string]>;
  stage(name: string): Instruction[];
  globalArgs(): Array<[string, string | null]>;
}

function parsed(text: string): Parsed {
  const ast = DockerfileParser.parse(text);
  const insts = ast.getInstructions();
  const fromIdx = insts.map((i, n) => (i.getKeyword() === 'FROM' ? n : -1)).filter(n => n >= 0);
  const froms = ast.getFROMs().map(f => [f.getBuildStage() ?? '', f.getImage() ?? ''] as [string, string]);
  return {
    text,
    ast,
    froms,
    stage(name: string) {
      const k = froms.findIndex(([n]) => n === name);
      if (k < 0) throw new Error(`no stage ${name} in\n${text}`);
      return insts.slice(fromIdx[k] + 1, fromIdx[k + 1] ?? insts.length);
    },
    globalArgs() {
      return insts.slice(0, fromIdx[0]).flatMap(i => properties(i));
    },
  };
}

/** Keyword, flags (as dockerfile-ast reads them) and arguments of an instruction. */
function summary(i: Instruction): string {
  const f = flags(i).map(([n, v]) => (v === null ? `--${n}` : `--${n}=${v}`));
  return [i.getKeyword(), ...f, i.getRawArgumentsContent() ?? ''].join(' ').trim();
}

const FAMILIES = [['alpine', PythonOsFamily.ALPINE], ['debian', PythonOsFamily.DEBIAN_SLIM]] as const;
const MANIFESTS = [
  ['requirements', DependencyManifest.requirements({ devFiles: ['requirements-dev.txt'] })],
  ['pyproject', DependencyManifest.pyproject()],
  ['pipfile', DependencyManifest.pipfileLock()],
] as const;
const VARIANTS = FAMILIES.flatMap(([f, family]) => MANIFESTS.flatMap(([m, manifest]) => (['prod', 'dev'] as const).map(kind => ({
  name: `${kind} ${f} ${m}`,
  kind,
  family,
  manifest,
  build: () => {
    const build = family === PythonOsFamily.ALPINE ? SystemPackages.apk(['gcc', 'musl-dev']) : SystemPackages.apt(['gcc', 'libc6-dev']);
    const runtime = family === PythonOsFamily.ALPINE ? SystemPackages.apk(['libpq']) : SystemPackages.apt(['libpq5']);
    const options = { osFamily: family, dependencies: manifest, buildPackages: build, runtimePackages: runtime };
    return kind === 'prod' ? prod({ ...options, collectStatic: true }) : dev(options);
  },
}))));

describe.each(VARIANTS)('$name: parsed and linted', ({ kind, family, manifest, build }) => {
  const preset = build();
  const text = preset.render();
  const p = parsed(text);
  const finalName = kind === 'prod' ? 'final' : 'development';

  test('dockerfile-utils reports nothing', () => {
    expect(lint(text)).toEqual([]);
  });

  test('three stages: base from the official image of the family, dependencies and the target from base', () => {
    expect(p.froms).toEqual([
      ['base', `python:\${PYTHON_VERSION}-${family.imageTagSuffix}`],
      ['dependencies', 'base'],
      [finalName, 'base'],
    ]);
    expect(p.globalArgs()).toEqual([['PYTHON_VERSION', '3.11']]);
    expect(preset.dockerfile.target).toBe(preset.final);
    expect([preset.base.stageName, preset.dependencies.stageName, preset.final.stageName]).toEqual(['base', 'dependencies', finalName]);
  });

  test('base: Python/pip environment, WORKDIR, runtime packages, then the non-root user, who owns nothing (no chown of the working directory)', () => {
    const base = p.stage('base');
    const env = base.filter(i => i.getKeyword() === 'ENV').flatMap(i => properties(i));
    expect(env).toEqual([
      ['PYTHONDONTWRITEBYTECODE', '1'], ['PYTHONUNBUFFERED', '1'], ['PIP_DISABLE_PIP_VERSION_CHECK', '1'],
      ['PIP_DEFAULT_TIMEOUT', '100'], ['PIP_ROOT_USER_ACTION', 'ignore'], ['DJANGO_SETTINGS_MODULE', 'mysite.settings'],
    ]);
    const rest = base.filter(i => i.getKeyword() !== 'ENV').map(summary);
    const install = family === PythonOsFamily.ALPINE
      ? 'RUN apk add --no-cache libpq'
      : 'RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*';
    const user = family === PythonOsFamily.ALPINE
      ? 'RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app -h /app -s /sbin/nologin app'
      : 'RUN groupadd --gid 10001 app && useradd --no-log-init --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin app';
    expect(rest).toEqual(['WORKDIR /app', install, user]);
    expect(text).not.toContain('chown');
  });

  test('dependencies: build packages, then only the manifest, then pip wheel into /wheels with a pip cache mount', () => {
    const deps = p.stage('dependencies');
    expect(deps.map(i => i.getKeyword())).toEqual(['RUN', ...deps.slice(1, -1).map(() => 'COPY'), 'RUN']);
    expect(shellCommand(deps[0])).toBe(family === PythonOsFamily.ALPINE
      ? 'apk add --no-cache gcc musl-dev'
      : 'apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*');
    const copied = deps.slice(1, -1).map(i => i.getArguments().map(a => a.getValue()));
    const files = manifest.kind === 'requirements' ? (kind === 'dev' ? ['requirements.txt', 'requirements-dev.txt', './'] : ['requirements.txt', './requirements.txt'])
      : manifest.kind === 'pyproject' ? ['pyproject.toml', './pyproject.toml'] : ['Pipfile.lock', './Pipfile.lock'];
    expect(copied).toEqual([files]);
    const wheel = deps[deps.length - 1];
    expect(flags(wheel)).toEqual([['mount', 'type=cache,target=/root/.cache/pip']]);
    expect(shellCommand(wheel)).toContain('python3 -m pip wheel --wheel-dir /wheels -r ');
  });

  test(`${finalName}: venv from a bind mount of the wheels (no network, no COPY from dependencies), root-owned source, collectstatic as root, then the non-root USER, exec-form CMD`, () => {
    const final = p.stage(finalName);
    const run = final[0];
    expect(flags(run)).toEqual([['mount', 'type=bind,from=dependencies,target=/wheels,source=/wheels'], ['network', 'none']]);
    expect(shellCommand(run)).toBe('python3 -m venv /opt/venv && /opt/venv/bin/python -m pip install --no-index --no-cache-dir --find-links=/wheels /wheels/*.whl');
    // no --chown: root owns the application; a fixed mode makes it readable, never writable, whatever the checkout's modes
    expect(final.filter(i => i.getKeyword() === 'COPY').flatMap(i => flags(i))).toEqual(kind === 'prod' ? [['chmod', 'u=rwX,go=rX']] : []);
    expect(final.filter(i => i.getKeyword() === 'ARG')).toEqual([]);
    expect(final.filter(i => i.getKeyword() === 'USER').map(summary)).toEqual(['USER 10001:10001']);
    const cmd = final.find(i => i.getKeyword() === 'CMD');
    expect(cmd && jsonArgs(text, cmd)).toEqual(kind === 'prod'
      ? ['gunicorn', 'mysite.wsgi:application', '--bind', '0.0.0.0:8000']
      : ['python3', 'manage.py', 'runserver', '0.0.0.0:8000']);
    const keywords = final.map(i => i.getKeyword());
    expect(keywords).toEqual(kind === 'prod'
      ? ['RUN', 'ENV', 'ENV', 'COPY', 'RUN', 'USER', 'EXPOSE', 'HEALTHCHECK', 'CMD']
      : ['RUN', 'ENV', 'ENV', 'USER', 'EXPOSE', 'CMD']);
    if (kind === 'prod') {
      // collectstatic runs before USER, as root: the collected files are root's too
      expect(shellCommand(final[4])).toBe('python3 manage.py collectstatic --noinput');
      expect(keywords.indexOf('USER')).toBeGreaterThan(4);
      const hc = final.find(i => i.getKeyword() === 'HEALTHCHECK')!;
      expect(healthcheckExec(text, hc).slice(0, 2)).toEqual(['python3', '-c']);
    }
  });

  test('every ARG and ENV has its description as a comment right above it', () => {
    const commentAbove = new Map(p.ast.getComments().map(c => [c.getRange().start.line, c.getContent()]));
    for (const inst of p.ast.getInstructions().filter(i => ['ENV', 'ARG'].includes(i.getKeyword()))) {
      const [name] = properties(inst)[0];
      const documented = preset.documentedVariables().find(v => v.name === name)!;
      expect(documented.description).toBeTruthy();
      expect([name, commentAbove.get(inst.getRange().start.line - 1)]).toEqual([name, documented.description]);
    }
  });
});

describe('options', () => {
  const final = (preset: PythonAppDockerfile | PythonDevDockerfile) => parsed(preset.render()).stage(preset.final.stageName);

  test('pythonVersion and the OS family decide the official image tag', () => {
    expect(parsed(prod({ pythonVersion: '3.12.4' }).render()).globalArgs()).toEqual([['PYTHON_VERSION', '3.12.4']]);
    expect(parsed(prod({ osFamily: PythonOsFamily.alpine('3.20') }).render()).froms[0]).toEqual(['base', 'python:${PYTHON_VERSION}-alpine3.20']);
    expect(parsed(prod({ osFamily: PythonOsFamily.debian('trixie', { slim: false }) }).render()).froms[0]).toEqual(['base', 'python:${PYTHON_VERSION}-trixie']);
  });

  test('separate runtime and build images: no version ARG, dependencies repeats the environment and WORKDIR', () => {
    const preset = prod({
      osFamily: PythonOsFamily.DEBIAN_SLIM,
      runtimeImage: BaseImage.fromRegistry('python:3.12-slim-bookworm'),
      buildImage: BaseImage.fromRegistry('python:3.12-bookworm'),
    });
    const p = parsed(preset.render());
    expect(p.globalArgs()).toEqual([]);
    expect(p.froms).toEqual([['base', 'python:3.12-slim-bookworm'], ['dependencies', 'python:3.12-bookworm'], ['final', 'base']]);
    const deps = p.stage('dependencies');
    expect(deps.filter(i => i.getKeyword() === 'ENV').flatMap(i => properties(i))).toEqual(
      p.stage('base').filter(i => i.getKeyword() === 'ENV').flatMap(i => properties(i)));
    expect(deps.filter(i => i.getKeyword() === 'WORKDIR').map(summary)).toEqual(['WORKDIR /app']);
  });

  test('user, workdir, venv and port', () => {
    const preset = prod({ userName: 'web', uid: 20000, gid: 30000, workdir: '/srv/site', venvPath: '/venv', port: 9000, osFamily: PythonOsFamily.DEBIAN_SLIM });
    const p = parsed(preset.render());
    expect(p.stage('base').map(summary)).toEqual(expect.arrayContaining([
      'WORKDIR /srv/site',
      'RUN groupadd --gid 30000 web && useradd --no-log-init --uid 20000 --gid 30000 --no-create-home --home-dir /srv/site --shell /usr/sbin/nologin web',
    ]));
    const f = p.stage('final');
    expect(f.map(summary)).toEqual(expect.arrayContaining(['COPY --chmod=u=rwX,go=rX . /srv/site/', 'USER 20000:30000', 'EXPOSE 9000/tcp']));
    expect(f.filter(i => i.getKeyword() === 'ENV').flatMap(i => properties(i))).toEqual([['VIRTUAL_ENV', '/venv'], ['PATH', '/venv/bin:${PATH}']]);
    expect(jsonArgs(p.text, f.find(i => i.getKeyword() === 'CMD')!)).toEqual(['gunicorn', 'mysite.wsgi:application', '--bind', '0.0.0.0:9000']);
    expect(healthcheckExec(p.text, f.find(i => i.getKeyword() === 'HEALTHCHECK')!)[2]).toContain("HTTPConnection('127.0.0.1', 9000, timeout=4)");
    expect([preset.uid, preset.gid, preset.port]).toEqual([20000, 30000, 9000]);
  });

  test('health check: a custom path, a custom check, or none', () => {
    const path = final(prod({ healthCheckPath: '/health/?full=1' })).find(i => i.getKeyword() === 'HEALTHCHECK')!;
    expect(healthcheckExec(prod({ healthCheckPath: '/health/?full=1' }).render(), path)[2]).toContain("c.request('GET', '/health/?full=1')");
    expect(final(prod({ healthCheck: HealthCheck.none() })).filter(i => i.getKeyword() === 'HEALTHCHECK').map(summary)).toEqual(['HEALTHCHECK NONE']);
    const custom = prod({ healthCheck: HealthCheck.exec(['python3', '/app/probe.py'], { interval: '10s' }) });
    const hc = final(custom).find(i => i.getKeyword() === 'HEALTHCHECK')!;
    expect(healthcheckExec(custom.render(), hc)).toEqual(['python3', '/app/probe.py']);
    expect(final(dev()).filter(i => i.getKeyword() === 'HEALTHCHECK')).toEqual([]);
    const devWithPath = dev({ healthCheckPath: '/ping' });
    const devCheck = final(devWithPath).find(i => i.getKeyword() === 'HEALTHCHECK')!;
    expect(healthcheckExec(devWithPath.render(), devCheck)[2]).toContain("c.request('GET', '/ping')");
  });

  test('entrypoint and command override the framework, in exec form', () => {
    const preset = prod({ entrypoint: ['/app/docker-entrypoint.sh'], command: ['gunicorn', '-c', 'gunicorn.conf.py', 'mysite.wsgi'] });
    const f = final(preset);
    expect(jsonArgs(preset.render(), f.find(i => i.getKeyword() === 'ENTRYPOINT')!)).toEqual(['/app/docker-entrypoint.sh']);
    expect(jsonArgs(preset.render(), f.find(i => i.getKeyword() === 'CMD')!)).toEqual(['gunicorn', '-c', 'gunicorn.conf.py', 'mysite.wsgi']);
  });

  test('frameworks: WSGI and ASGI defaults for production and development', () => {
    const cmd = (preset: PythonAppDockerfile | PythonDevDockerfile) => jsonArgs(preset.render(), final(preset).find(i => i.getKeyword() === 'CMD')!);
    expect(cmd(prod({ framework: PythonFramework.wsgi('app:application') }))).toEqual(['gunicorn', 'app:application', '--bind', '0.0.0.0:8000']);
    expect(cmd(dev({ framework: PythonFramework.wsgi('app:application') }))).toEqual(['gunicorn', 'app:application', '--bind', '0.0.0.0:8000', '--reload']);
    expect(cmd(prod({ framework: PythonFramework.asgi('main:app') }))).toEqual(['uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '8000']);
    expect(cmd(dev({ framework: PythonFramework.asgi('main:app'), port: 8080 }))).toEqual(['uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '8080', '--reload']);
    const env = parsed(prod({ framework: PythonFramework.asgi('main:app') }).render()).stage('base').filter(i => i.getKeyword() === 'ENV');
    expect(env.flatMap(i => properties(i)).map(([n]) => n)).not.toContain('DJANGO_SETTINGS_MODULE');
  });

  test('environment adds variables and overrides the defaults in place', () => {
    const env = parsed(prod({ environment: { PYTHONUNBUFFERED: '0', FEATURE_X: 'on' } }).render()).stage('base')
      .filter(i => i.getKeyword() === 'ENV').flatMap(i => properties(i));
    expect(env.filter(([n]) => n === 'PYTHONUNBUFFERED')).toEqual([['PYTHONUNBUFFERED', '0']]);
    expect(env[env.length - 1]).toEqual(['FEATURE_X', 'on']);
  });

  test('sources: one COPY per path, directories keep their name, owned by root with a fixed read-only mode', () => {
    const f = final(prod({ sources: ['manage.py', 'mysite', 'static/'] }));
    expect(f.filter(i => i.getKeyword() === 'COPY').map(summary)).toEqual([
      'COPY --chmod=u=rwX,go=rX manage.py /app/manage.py',
      'COPY --chmod=u=rwX,go=rX mysite /app/mysite',
      'COPY --chmod=u=rwX,go=rX static/ /app/static/',
    ]);
    expect(final(dev({ sources: ['.'] })).filter(i => i.getKeyword() === 'COPY').map(summary)).toEqual(['COPY --chmod=u=rwX,go=rX . /app/']);
  });

  test('writablePaths: created and handed to the runtime user as root, after the source and collectstatic, right before USER', () => {
    const preset = prod({ collectStatic: true, writablePaths: ['media', '/var/cache/app', 'media', 'data/uploads'], uid: 20000, gid: 30000 });
    const f = final(preset).map(summary);
    const at = f.indexOf('USER 20000:30000');
    expect(f.slice(at - 3, at + 1)).toEqual([
      'COPY --chmod=u=rwX,go=rX . /app/',
      'RUN python3 manage.py collectstatic --noinput',
      'RUN mkdir -p /app/media /var/cache/app /app/data/uploads && chown -R 20000:30000 /app/media /var/cache/app /app/data/uploads',
      'USER 20000:30000',
    ]);
    // no writable path: no such RUN, and nothing else in the file hands anything to the runtime user
    expect(prod().render()).not.toMatch(/mkdir|chown/);
    expect(dev({ writablePaths: ['media'] } as PythonAppDockerfileOptions).render()).not.toMatch(/mkdir|chown/);
  });

  test('docs say what the application may write', () => {
    expect(prod({ writablePaths: ['media'] }).renderDocs()).toContain('Writable by UID 10001: `/app/media` (created and handed to it at build time). Everything else is read-only to the application.');
    expect(prod().renderDocs()).toContain('No directory is handed to it (option `writablePaths`)');
    expect(prod().renderDocs()).toContain('UID 10001 can read them but cannot change, add or delete anything.');
  });

  test.each<[string, SystemPackages, string]>([
    ['apt exact pin', SystemPackages.apt(['libpq5=15.8-0+deb12u1', 'gcc']), 'apt-get install -y --no-install-recommends libpq5=15.8-0+deb12u1 gcc'],
    ['apt pin with an epoch and a tilde', SystemPackages.apt(['libc6:amd64=2.36-9+deb12u7', 'tzdata=2024a-0+deb12u1', 'libssl3=1:3.0.14~rc1']), 'libc6:amd64=2.36-9+deb12u7 tzdata=2024a-0+deb12u1 libssl3=1:3.0.14~rc1'],
    ['apk exact pin', SystemPackages.apk(['libpq=16.3-r0']), 'apk add --no-cache libpq=16.3-r0'],
    ['apk prefix pin', SystemPackages.apk(['musl-dev~1.2', 'gcc']), 'apk add --no-cache musl-dev~1.2 gcc'],
  ])('version pins are passed to the package manager as written: %s', (_name, packages, expected) => {
    const osFamily = packages.manager === 'apk' ? PythonOsFamily.ALPINE : PythonOsFamily.DEBIAN_SLIM;
    const p = parsed(prod({ osFamily, runtimePackages: packages }).render());
    expect(shellCommand(p.stage('base').find(i => i.getKeyword() === 'RUN')!)).toContain(expected);
  });

  test('requirements in sub-folders and dependency files keep their paths; labels are constant and come after the last RUN', () => {
    const preset = prod({
      dependencies: DependencyManifest.requirements({ files: ['requirements/base.txt', 'requirements/prod.txt'] }),
      dependencyFiles: ['vendor/mylib', 'constraints.txt'],
      labels: { 'org.opencontainers.image.title': 'My "site"', 'org.opencontainers.image.licenses': 'MIT' },
      collectStatic: true,
    });
    const p = parsed(preset.render());
    expect(p.stage('dependencies').filter(i => i.getKeyword() === 'COPY').map(summary)).toEqual([
      'COPY requirements/base.txt ./requirements/base.txt',
      'COPY requirements/prod.txt ./requirements/prod.txt',
      'COPY vendor/mylib ./vendor/mylib',
      'COPY constraints.txt ./constraints.txt',
    ]);
    expect(shellCommand(p.stage('dependencies').slice(-1)[0])).toBe('python3 -m pip wheel --wheel-dir /wheels -r requirements/base.txt -r requirements/prod.txt');
    const f = p.stage('final');
    const lastRun = f.map(i => i.getKeyword()).lastIndexOf('RUN');
    const labels = f.map((i, n) => [i.getKeyword(), n] as const).filter(([k]) => k === 'LABEL').map(([, n]) => n);
    expect(labels.length).toBe(2);
    expect(Math.min(...labels)).toBeGreaterThan(lastRun);
    expect(f.filter(i => i.getKeyword() === 'LABEL').flatMap(i => properties(i))).toEqual([
      ['org.opencontainers.image.title', 'My "site"'], ['org.opencontainers.image.licenses', 'MIT'],
    ]);
  });

  test('stages are returned for more instructions: base runs them as root before the later stages, final after the preset\'s', () => {
    const preset = prod();
    preset.base.run('mkdir -p /data && chown 10001:10001 /data');
    preset.dependencies.env('PIP_CONSTRAINT', '/app/constraints.txt', { description: 'pip constraints' });
    preset.final.stopSignal('SIGINT');
    const p = parsed(preset.render());
    expect(summary(p.stage('base').slice(-1)[0])).toBe('RUN mkdir -p /data && chown 10001:10001 /data');
    expect(properties(p.stage('dependencies').slice(-1)[0])).toEqual([['PIP_CONSTRAINT', '/app/constraints.txt']]);
    expect(summary(p.stage('final').slice(-1)[0])).toBe('STOPSIGNAL SIGINT');
    expect(preset.documentedVariables().find(v => v.name === 'PIP_CONSTRAINT')).toEqual({
      kind: 'ENV', stage: 'dependencies', name: 'PIP_CONSTRAINT', value: '/app/constraints.txt', description: 'pip constraints',
    });
  });

  test('package network and Debian slim', () => {
    const p = parsed(prod({ osFamily: PythonOsFamily.DEBIAN_SLIM, buildPackages: SystemPackages.apt(['gcc', 'gcc', 'libpq-dev=15.8-0+deb12u1']), packageNetwork: RunNetwork.HOST }).render());
    const run = p.stage('dependencies')[0];
    expect(flags(run)).toEqual([['network', 'host']]);
    expect(shellCommand(run)).toBe('apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev=15.8-0+deb12u1 && rm -rf /var/lib/apt/lists/*');
  });
});

describe('ignore file and generated docs', () => {
  test('the ignore file beside the Dockerfile lists the Python patterns and the preset\'s own generated files', () => {
    const preset = prod();
    expect(preset.dockerfile.ignoreFilePath).toBe('docker/Dockerfile.prod.dockerignore');
    const patterns = preset.renderIgnore().trimEnd().split('\n');
    expect(patterns).toEqual([...PythonAppDockerfile.DEFAULT_IGNORE_PATTERNS, 'docker/Dockerfile.prod', 'docker/Dockerfile.prod.dockerignore', 'docker/Dockerfile.prod.md']);
    for (const p of ['**/__pycache__', '**/*.py[cod]', '.venv', '**/.pytest_cache', '**/.mypy_cache', '.git', '**/*.sqlite3', 'media', '.env']) {
      expect(patterns).toContain(p);
    }
    // infrastructure, Terraform state and keys, in this order, in the Python defaults and in every Dockerfile's defaults
    const infra = ['infra', '**/*.tfstate', '**/*.tfstate.*', '**/.terraform', '**/cdktf.out', '**/*.pem', '**/*.key', '**/id_rsa*', '**/*.p12'];
    expect(PythonAppDockerfile.DEFAULT_IGNORE_PATTERNS.slice(-infra.length)).toEqual(infra);
    expect(DEFAULT_IGNORE_PATTERNS).toEqual(['.git', 'node_modules', '**/*.log', '.env', '.env.*', ...infra]);
    for (const list of [PythonAppDockerfile.DEFAULT_IGNORE_PATTERNS, DEFAULT_IGNORE_PATTERNS]) {
      expect(new Set(list).size).toBe(list.length);
      // BuildKit drops a trailing "/" and would read a leading "/" as the context root anyway: neither is written
      expect(list.filter(x => x.endsWith('/') || x.startsWith('/'))).toEqual([]);
    }
    const custom = prod({ ignore: { patterns: ['.git'], placement: IgnoreFilePlacement.CONTEXT_ROOT } });
    expect([custom.dockerfile.ignoreFilePath, custom.renderIgnore()]).toEqual(['.dockerignore', '.git\n']);
    expect(dev({ context: 'backend', path: 'backend/docker/Dockerfile.dev' }).renderIgnore().trimEnd().split('\n').slice(-3))
      .toEqual(['docker/Dockerfile.dev', 'docker/Dockerfile.dev.dockerignore', 'docker/Dockerfile.dev.md']);
  });

  test.each([['production', prod], ['development', dev]] as const)('%s docs: every documented variable and every stage in the tables', (_kind, make) => {
    const preset = make({ pythonVersion: '3.12', environment: { FEATURE_X: 'a|b' } });
    const md = preset.renderDocs();
    const rows = tableRows(md);
    const variables = preset.documentedVariables();
    expect(variables.length).toBeGreaterThan(8);
    for (const v of variables) {
      expect(rows).toContainEqual(expect.arrayContaining([`\`${v.name}\``, `\`${(v.value ?? '').replace(/\|/g, '\\|')}\``, v.description ?? '']));
    }
    for (const s of preset.dockerfile.stages) {
      expect(rows.some(r => r[0].startsWith(`\`${s.stageName}\``))).toBe(true);
    }
    expect(preset.docsPath).toBe(`${preset.dockerfile.path}.md`);
    expect(md).toContain(`docker build -f ${preset.dockerfile.path} --target ${preset.final.stageName}`);
  });
});

/** The cells of every markdown table row (pipes inside cells are escaped as `\|`). */
function tableRows(md: string): string[][] {
  return md.split('\n').filter(l => l.startsWith('| ') && !l.startsWith('| ---'))
    .map(l => l.slice(2, -2).split(/ (?<!\\)\| /).map(c => c.trim()));
}
