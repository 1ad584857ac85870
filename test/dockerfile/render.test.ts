/**
 * Rendering of every typed instruction method, read back with dockerfile-ast (never with regexes on our
 * own output), plus directives, global ARGs, ignore-file placement, the build target and the variable
 * documentation. Every rendered fixture is also run through dockerfile-utils' validator: zero diagnostics.
 */
import { Construct } from 'constructs';
import { Comment, Flag, From, Instruction } from 'dockerfile-ast';
import { flags, healthcheckExec, heredocs, jsonArgs, lint, literalPropertyValue, parse, properties, shellCommand } from './parsed';
import {
  BaseImage, CacheSharing, CopySource, DEFAULT_IGNORE_PATTERNS, DockerfileStage, HealthCheck, IgnoreFilePlacement,
  MultiStageDockerfile, MultiStageDockerfileOptions, OnBuildTrigger, Platform, Port, PortProtocol, RunMount, RunNetwork,
} from '../../src';
import { DockyardValidationError } from '../../src/core/problems';

const BUSYBOX = BaseImage.fromRegistry('busybox:1.36');

function newFile(options: MultiStageDockerfileOptions = {}): MultiStageDockerfile {
  return new MultiStageDockerfile(new Construct(undefined as unknown as Construct, 'root'), 'Df', options);
}

/** A file with one stage `app` (busybox, WORKDIR /app, USER 10001 at the end) built by `build`. */
function single(build: (s: DockerfileStage) => void, options: MultiStageDockerfileOptions = {}): MultiStageDockerfile {
  const df = newFile(options);
  const s = df.addStage('app', { from: BUSYBOX });
  s.workdir('/app');
  build(s);
  s.user('10001', '10001');
  return df;
}

/** Renders, asserts dockerfile-utils finds nothing, and returns the text. */
function render(df: MultiStageDockerfile): string {
  const text = df.render();
  expect(lint(text)).toEqual([]);
  return text;
}

/** The parsed instructions of the `app` stage between `WORKDIR /app` and the final `USER`. */
function body(df: MultiStageDockerfile): { text: string; insts: Instruction[] } {
  const text = render(df);
  const all = parse(text).getInstructions();
  const start = all.findIndex(i => i.getKeyword() === 'WORKDIR') + 1;
  return { text, insts: all.slice(start, all.length - 1) };
}

function only(df: MultiStageDockerfile): { text: string; inst: Instruction } {
  const { text, insts } = body(df);
  expect(insts).toHaveLength(1);
  return { text, inst: insts[0] };
}

function flagOptions(f: Flag): Record<string, string | null> {
  return Object.fromEntries(f.getOptions().map(o => [o.getName(), o.getValue()]));
}

function directives(text: string): Array<[string, string]> {
  return parse(text).getDirectives().map(d => [d.getName(), d.getValue()]);
}

describe('FROM', () => {
  test('an image reference with the stage name; a stage base by its name; scratch', () => {
    const df = newFile();
    const build = df.addStage('build', { from: BaseImage.fromRegistry('ghcr.io/acme/base:1.2.0@sha256:' + 'a'.repeat(64)) });
    const empty = df.addStage('empty', { from: BaseImage.scratch() });
    const app = df.addStage('app', { from: BaseImage.fromStage(build) });
    empty.copyContent('x', '/x');
    app.user('10001');
    const froms = parse(render(df)).getFROMs();
    expect(froms.map(f => [f.getImageName(), f.getImageTag(), f.getImageDigest(), f.getBuildStage(), f.getRegistry()])).toEqual([
      ['acme/base', '1.2.0', 'sha256:' + 'a'.repeat(64), 'build', 'ghcr.io'],
      ['scratch', null, null, 'empty', null],
      ['build', null, null, 'app', null],
    ]);
    expect(df.stages).toEqual([build, empty, app]);
    expect(app.index).toBe(2);
  });

  test('the stage name defaults to the construct id and can be set', () => {
    const df = newFile();
    df.addStage('builder', { from: BUSYBOX, name: 'compile' });
    df.addStage('runtime', { from: BUSYBOX }).user('10001');
    expect(parse(render(df)).getFROMs().map(f => f.getBuildStage())).toEqual(['compile', 'runtime']);
  });

  test('--platform: build variables, or a constant that skips FromPlatformFlagConstDisallowed', () => {
    const df = newFile();
    df.addStage('build', { from: BUSYBOX, platform: Platform.BUILDPLATFORM });
    df.addStage('target', { from: BUSYBOX, platform: Platform.TARGETPLATFORM });
    df.addStage('arm', { from: BUSYBOX, platform: Platform.custom('linux/arm64/v8') }).user('10001');
    const text = render(df);
    const froms = parse(text).getFROMs();
    expect(froms.map(f => f.getPlatformFlag()?.getValue())).toEqual(['$BUILDPLATFORM', '$TARGETPLATFORM', 'linux/arm64/v8']);
    expect(directives(text)).toEqual([['check', 'skip=FromPlatformFlagConstDisallowed;error=true']]);
  });

  test('a global ARG used in the image reference is declared before the first FROM', () => {
    const df = newFile();
    df.addArg('PY', '3.11', { description: 'Python version' });
    df.addArg('DISTRO', 'slim-bookworm');
    df.addStage('app', { from: BaseImage.fromRegistry('python:${PY}-${DISTRO}') }).user('10001');
    const text = render(df);
    const file = parse(text);
    expect(file.getInitialARGs().map(a => properties(a))).toEqual([[['PY', '3.11']], [['DISTRO', 'slim-bookworm']]]);
    const from = file.getFROMs()[0] as From;
    expect(from.getImage()).toBe('python:${PY}-${DISTRO}');
    expect(file.getComments().map(c => c.getContent())).toEqual(['Python version']);
    // the description is a comment, never a parser directive
    expect(directives(text)).toEqual([['check', 'error=true']]);
  });
});

describe('stage instructions', () => {
  test('comment: each line becomes its own comment, blank lines stay comments', () => {
    const { text, insts } = body(single(s => s.comment('first line\n\nthird: RUN rm -rf /')));
    expect(insts).toHaveLength(0);
    const comments: Comment[] = parse(text).getComments();
    expect(comments.map(c => c.getContent())).toEqual(['first line', '', 'third: RUN rm -rf /']);
  });

  test('ARG with and without a default; a description becomes a comment', () => {
    const { text, insts } = body(single(s => s.arg('VERSION').arg('MODE', 'release mode "fast"', { description: 'build mode' })));
    expect(insts.map(i => i.getKeyword())).toEqual(['ARG', 'ARG']);
    expect(properties(insts[0])).toEqual([['VERSION', null]]);
    expect(properties(insts[1])).toEqual([['MODE', 'release mode "fast"']]);
    expect(parse(text).getComments().map(c => c.getContent())).toEqual(['build mode']);
  });

  test('ENV: literal by default (quotes, $ and backslashes escaped), expanded on request', () => {
    const literal = 'a "quoted" $HOME \\ value';
    const { insts } = body(single(s => s.arg('BASE', '/opt').env('LITERAL', literal).env('PATHS', '${BASE}/bin:$PATH', { expandVariables: true })));
    expect(insts.map(i => i.getKeyword())).toEqual(['ARG', 'ENV', 'ENV']);
    expect(properties(insts[1])).toEqual([['LITERAL', literalPropertyValue(literal)]]);
    expect(properties(insts[2])).toEqual([['PATHS', '${BASE}/bin:$PATH']]);
  });

  test('LABEL key="value"', () => {
    const { inst } = only(single(s => s.label('org.opencontainers.image.source', 'https://github.com/acme/app')));
    expect(inst.getKeyword()).toBe('LABEL');
    expect(properties(inst)).toEqual([['org.opencontainers.image.source', 'https://github.com/acme/app']]);
  });

  test('WORKDIR, also with a declared variable', () => {
    const { insts } = body(single(s => s.arg('APP', 'svc').workdir('/srv/${APP}', { expandVariables: true })));
    expect(insts[1].getKeyword()).toBe('WORKDIR');
    expect(insts[1].getArgumentsContent()).toBe('/srv/${APP}');
  });

  test('RUN shell form with every mount type and the network', () => {
    const df = newFile();
    const deps = df.addStage('deps', { from: BUSYBOX });
    const app = df.addStage('app', { from: BUSYBOX });
    app.run('pip install -r /src/requirements.txt', {
      mounts: [
        RunMount.cache({ target: '/root/.cache/pip', id: 'pip', sharing: CacheSharing.LOCKED, mode: '0755', uid: 10001, gid: 10001 }),
        RunMount.bind({ target: '/src', source: 'wheels', from: deps }),
        RunMount.bind({ target: '/ctx', readWrite: true }),
        RunMount.secret({ id: 'pypi', target: '/run/secrets/pypi', env: 'PYPI_TOKEN', required: true, mode: '0400' }),
        RunMount.ssh({ id: 'default', required: true }),
        RunMount.tmpfs({ target: '/tmp', sizeBytes: 1048576 }),
      ],
      network: RunNetwork.NONE,
    }).user('10001');
    const text = render(df);
    const run = parse(text).getInstructions().find(i => i.getKeyword() === 'RUN')!;
    expect(shellCommand(run)).toBe('pip install -r /src/requirements.txt');
    const fs = (run as unknown as { getFlags(): Flag[] }).getFlags();
    expect(fs.map(f => f.getName())).toEqual(['mount', 'mount', 'mount', 'mount', 'mount', 'mount', 'network']);
    expect(fs.slice(0, 6).map(flagOptions)).toEqual([
      { type: 'cache', target: '/root/.cache/pip', id: 'pip', sharing: 'locked', mode: '0755', uid: '10001', gid: '10001' },
      { type: 'bind', from: 'deps', target: '/src', source: 'wheels' },
      { type: 'bind', target: '/ctx', rw: 'true' },
      { type: 'secret', id: 'pypi', target: '/run/secrets/pypi', env: 'PYPI_TOKEN', required: 'true', mode: '0400' },
      { type: 'ssh', id: 'default', required: 'true' },
      { type: 'tmpfs', target: '/tmp', size: '1048576' },
    ]);
    expect(fs[6].getValue()).toBe('none');
    expect(RunMount.cache({ target: '/c' }).field('target')).toBe('/c');
    expect(RunMount.bind({ target: '/src', from: deps }).fromStage).toBe(deps);
  });

  test('RUN exec form', () => {
    const { text, inst } = only(single(s => s.runExec(['python3', '-c', 'print("a b")'], { network: RunNetwork.HOST })));
    expect(jsonArgs(text, inst)).toEqual(['python3', '-c', 'print("a b")']);
    expect(flags(inst)).toEqual([['network', 'host']]);
  });

  test('RUN heredoc script; the delimiter avoids every line of the script', () => {
    const script = 'set -eu\necho "$HOME"\nEOF\nEOF_1\n';
    const { text, inst } = only(single(s => s.runScript(script, { mounts: [RunMount.tmpfs({ target: '/scratch' })] })));
    expect(heredocs(text, inst)).toEqual([{ name: 'EOF_2', body: script }]);
    expect(flags(inst)).toEqual([['mount', 'type=tmpfs,target=/scratch']]);
  });

  test('RUN heredoc script without a final newline gets one', () => {
    const { text, inst } = only(single(s => s.runScript('echo one')));
    expect(heredocs(text, inst)).toEqual([{ name: 'EOF', body: 'echo one\n' }]);
  });

  test('COPY: plain words, or JSON form when a path has a space; every flag', () => {
    const df = newFile();
    const build = df.addStage('build', { from: BUSYBOX });
    const app = df.addStage('app', { from: BUSYBOX });
    app.workdir('/app')
      .copy(['requirements.txt', 'src/'], '/app/', { chown: '10001:10001', chmod: '0644', link: true })
      .copy(['my file.txt'], 'dest dir/')
      .copy(['/venv'], '/venv', { from: CopySource.stage(build) })
      .copy(['/bin/busybox'], '/bin/busybox', { from: CopySource.image('busybox:1.36') })
      .copy(['settings.toml'], '/etc/app/', { from: CopySource.namedContext('config') })
      .copy(['.'], '.', { from: CopySource.context() })
      .user('10001');
    const text = render(df);
    const copies = parse(text).getCOPYs();
    expect(copies.map(c => flags(c))).toEqual([
      [['chown', '10001:10001'], ['chmod', '0644'], ['link', null]],
      [],
      [['from', 'build']],
      [['from', 'busybox:1.36']],
      [['from', 'config']],
      [],
    ]);
    expect(copies[0].getArguments().map(a => a.getValue())).toEqual(['requirements.txt', 'src/', '/app/']);
    expect(jsonArgs(text, copies[1])).toEqual(['my file.txt', 'dest dir/']);
    expect(copies[2].getArguments().map(a => a.getValue())).toEqual(['/venv', '/venv']);
    expect(copies[5].getArguments().map(a => a.getValue())).toEqual(['.', '.']);
  });

  test('COPY of paths that plain words would turn into a flag, the JSON form or a heredoc is written in JSON form', () => {
    const { text, insts } = body(single(s => s
      .copy(['--from=evil'], '/x')
      .copy(['[abc]'], '/y')
      .copy(['a<<b', '<<EOF'], '/z/')));
    expect(insts.map(i => [i.getKeyword(), flags(i)])).toEqual([['COPY', []], ['COPY', []], ['COPY', []]]);
    expect(insts.map(i => jsonArgs(text, i))).toEqual([['--from=evil', '/x'], ['[abc]', '/y'], ['a<<b', '<<EOF', '/z/']]);
    expect(insts.flatMap(i => heredocs(text, i))).toEqual([]);
  });

  test('exec-form arguments with "<<" or a first word with "--" mean the same to BuildKit (JSON) and to dockerfile-ast', () => {
    const args = ['--x --y', 'cat <<EOF', '1 <<2'];
    const { text, insts } = body(single(s => s.runExec(args).cmd(args)));
    for (const inst of insts) {
      expect(flags(inst)).toEqual([]);
      expect(jsonArgs(text, inst)).toEqual(args);
      expect(heredocs(text, inst)).toEqual([]);
    }
  });

  test('COPY with variables when expandVariables is set', () => {
    const { insts } = body(single(s => s.arg('APP', 'svc').copy(['dist/${APP}.whl'], '/wheels/${APP}/', { expandVariables: true })));
    expect(insts.map(i => i.getKeyword())).toEqual(['ARG', 'COPY']);
    expect(insts[1].getArguments().map(a => a.getValue())).toEqual(['dist/${APP}.whl', '/wheels/${APP}/']);
  });

  test('COPY heredoc content to a file', () => {
    const content = 'line "one" $NOT_EXPANDED \\\nEOF\n';
    const { text, inst } = only(single(s => s.copyContent(content, '/etc/app.conf', { chmod: '0600', chown: '10001' })));
    expect(inst.getKeyword()).toBe('COPY');
    expect(flags(inst)).toEqual([['chown', '10001'], ['chmod', '0600']]);
    expect(heredocs(text, inst)).toEqual([{ name: 'EOF_1', body: content }]);
  });

  test('ADD of a URL with a checksum and of an archive', () => {
    const sum = 'sha256:' + 'b'.repeat(64);
    const { insts } = body(single(s => s
      .add(['https://example.com/tool.tar.gz'], '/opt/', { checksum: sum })
      .add(['vendor.tar.gz'], '/opt/vendor/', { chown: '10001' })));
    expect(insts.map(i => i.getKeyword())).toEqual(['ADD', 'ADD']);
    expect(flags(insts[0])).toEqual([['checksum', sum]]);
    expect(insts[0].getArguments().map(a => a.getValue())).toEqual(['https://example.com/tool.tar.gz', '/opt/']);
    expect(flags(insts[1])).toEqual([['chown', '10001']]);
  });

  test('USER with and without a group', () => {
    const df = newFile();
    df.addStage('a', { from: BUSYBOX, allowRootUser: true }).user('app');
    df.addStage('b', { from: BUSYBOX }).user('10001', '10001');
    const users = parse(render(df)).getInstructions().filter(i => i.getKeyword() === 'USER');
    expect(users.map(u => u.getArgumentsContent())).toEqual(['app', '10001:10001']);
    expect(df.stages.map(s => s.effectiveUser)).toEqual(['app', '10001:10001']);
  });

  test('EXPOSE ports, protocols and ranges', () => {
    const { inst } = only(single(s => s.expose(Port.tcp(8000), Port.udp(53), Port.range(9000, 9010), Port.range(6000, 6001, PortProtocol.UDP))));
    expect(inst.getArguments().map(a => a.getValue())).toEqual(['8000/tcp', '53/udp', '9000-9010/tcp', '6000-6001/udp']);
  });

  test('VOLUME in JSON form', () => {
    const { text, inst } = only(single(s => s.volume('/data', '/var/lib/my app')));
    expect(jsonArgs(text, inst)).toEqual(['/data', '/var/lib/my app']);
  });

  test('HEALTHCHECK exec form with every option, shell form, NONE', () => {
    const df = newFile();
    df.addStage('a', { from: BUSYBOX }).healthcheck(HealthCheck.exec(['wget', '-q', '-O-', 'http://127.0.0.1:8000/'], {
      interval: '10s', timeout: '3s', startPeriod: '1m30s', startInterval: '500ms', retries: 5,
    }));
    df.addStage('b', { from: BUSYBOX }).healthcheck(HealthCheck.shell('wget -q -O- http://127.0.0.1:8000/ || exit 1'));
    df.addStage('c', { from: BUSYBOX }).healthcheck(HealthCheck.none()).user('10001');
    const text = render(df);
    const [a, b, c] = parse(text).getHEALTHCHECKs();
    expect(flags(a)).toEqual([['interval', '10s'], ['timeout', '3s'], ['start-period', '1m30s'], ['start-interval', '500ms'], ['retries', '5']]);
    expect(a.getSubcommand()?.getValue()).toBe('CMD');
    expect(healthcheckExec(text, a)).toEqual(['wget', '-q', '-O-', 'http://127.0.0.1:8000/']);
    expect(b.getArguments().map(x => x.getValue()).join(' ')).toBe('CMD wget -q -O- http://127.0.0.1:8000/ || exit 1');
    expect(c.getSubcommand()?.getValue()).toBe('NONE');
    expect(c.getArguments()).toHaveLength(1);
  });

  test('ENTRYPOINT and CMD in exec form; no check is skipped', () => {
    const { text, insts } = body(single(s => s.entrypoint(['python3', '-m']).cmd(['http.server', '8000'])));
    expect(insts.map(i => i.getKeyword())).toEqual(['ENTRYPOINT', 'CMD']);
    expect(jsonArgs(text, insts[0])).toEqual(['python3', '-m']);
    expect(jsonArgs(text, insts[1])).toEqual(['http.server', '8000']);
    expect(directives(text)).toEqual([['check', 'error=true']]);
  });

  test('shell-form ENTRYPOINT/CMD are the explicit opt-out: the file skips JSONArgsRecommended', () => {
    const { text, insts } = body(single(s => s.entrypointShell('exec python3 -m http.server').cmdShell('echo "$HOME"')));
    expect(insts.map(i => [i.getKeyword(), shellCommand(i)])).toEqual([
      ['ENTRYPOINT', 'exec python3 -m http.server'],
      ['CMD', 'echo "$HOME"'],
    ]);
    expect(directives(text)).toEqual([['check', 'skip=JSONArgsRecommended;error=true']]);
  });

  test('SHELL and STOPSIGNAL', () => {
    const { text, insts } = body(single(s => s.shell(['/bin/sh', '-eu', '-c']).stopSignal('SIGQUIT')));
    expect(insts.map(i => i.getKeyword())).toEqual(['SHELL', 'STOPSIGNAL']);
    expect(jsonArgs(text, insts[0])).toEqual(['/bin/sh', '-eu', '-c']);
    expect(insts[1].getArgumentsContent()).toBe('SIGQUIT');
  });

  test('ONBUILD with every trigger', () => {
    const { text, insts } = body(single(s => s
      .onBuild(OnBuildTrigger.run('echo child build'))
      .onBuild(OnBuildTrigger.runExec(['echo', 'exec form']))
      .onBuild(OnBuildTrigger.copy(['src/'], '/app/src/', '10001:10001'))
      .onBuild(OnBuildTrigger.env('CHILD', 'yes "really"'))
      .onBuild(OnBuildTrigger.workdir('/child'))));
    expect(insts.map(i => i.getKeyword())).toEqual(['ONBUILD', 'ONBUILD', 'ONBUILD', 'ONBUILD', 'ONBUILD']);
    const triggers = parse(text).getOnbuildTriggers();
    expect(triggers.map(t => t.getKeyword())).toEqual(['RUN', 'RUN', 'COPY', 'ENV', 'WORKDIR']);
    expect(shellCommand(triggers[0])).toBe('echo child build');
    expect(jsonArgs(text, triggers[1])).toEqual(['echo', 'exec form']);
    expect(flags(triggers[2])).toEqual([['chown', '10001:10001']]);
    expect(triggers[2].getArguments().map(a => a.getValue())).toEqual(['src/', '/app/src/']);
    expect(properties(triggers[3])).toEqual([['CHILD', 'yes "really"']]);
    expect(triggers[4].getArgumentsContent()).toBe('/child');
  });

  test('a multi-stage file keeps the order of stages and instructions', () => {
    const df = newFile({ path: 'docker/Dockerfile.prod' });
    const build = df.addStage('build', { from: BaseImage.fromRegistry('python:3.11-slim-bookworm') });
    build.workdir('/src').copy(['pyproject.toml'], './').runExec(['python3', '-m', 'venv', '/venv']);
    const app = df.addStage('app', { from: BaseImage.fromRegistry('python:3.11-slim-bookworm') });
    app.copy(['/venv'], '/venv', { from: CopySource.stage(build), chown: '10001:10001', link: true })
      .env('PATH', '/venv/bin:${PATH}', { expandVariables: true })
      .user('10001', '10001').expose(Port.tcp(8000)).entrypoint(['python3']).cmd(['-m', 'http.server']);
    const text = render(df);
    expect(parse(text).getInstructions().map(i => i.getKeyword())).toEqual([
      'FROM', 'WORKDIR', 'COPY', 'RUN',
      'FROM', 'COPY', 'ENV', 'USER', 'EXPOSE', 'ENTRYPOINT', 'CMD',
    ]);
  });
});

describe('directives', () => {
  test('# check=error=true by default, nothing when checkErrors is false', () => {
    expect(directives(render(single(() => undefined)))).toEqual([['check', 'error=true']]);
    expect(directives(render(single(() => undefined, { checkErrors: false })))).toEqual([]);
  });

  test('# syntax= comes first', () => {
    const text = render(single(() => undefined, { syntax: 'docker/dockerfile:1.10' }));
    expect(directives(text)).toEqual([['syntax', 'docker/dockerfile:1.10'], ['check', 'error=true']]);
  });

  test('the skip list names every opt-out once, sorted, also without error=true', () => {
    const df = newFile({ checkErrors: false });
    df.addArg('GITHUB_TOKEN_NAME', 'gh', { allowSecretName: true });
    const s = df.addStage('app', { from: BUSYBOX, platform: Platform.custom('linux/amd64') });
    s.env('API_KEY_ID', 'public id', { allowSecretName: true }).cmdShell('echo one').user('10001');
    const text = render(df);
    expect(directives(text)).toEqual([['check', 'skip=FromPlatformFlagConstDisallowed,JSONArgsRecommended,SecretsUsedInArgOrEnv']]);
  });

  test('a global ARG description can never become a parser directive', () => {
    const df = newFile({ checkErrors: false });
    df.addArg('A', '1', { description: 'escape=`' });
    df.addArg('B', '2', { description: 'syntax=evil/frontend:1' });
    df.addStage('app', { from: BUSYBOX }).user('10001');
    const text = render(df);
    const file = parse(text);
    expect(directives(text)).toEqual([]);
    expect(file.getEscapeCharacter()).toBe('\\');
    expect(file.getComments().map(c => c.getContent())).toEqual(['escape=`', 'syntax=evil/frontend:1']);
  });
});

describe('ignore file', () => {
  test('beside the Dockerfile by default, with the default patterns', () => {
    const df = single(() => undefined, { path: 'docker/Dockerfile.prod' });
    expect(df.ignoreFilePath).toBe('docker/Dockerfile.prod.dockerignore');
    expect(df.renderIgnore().split('\n')).toEqual([...DEFAULT_IGNORE_PATTERNS, '']);
    expect(df.ignore.placement).toBe(IgnoreFilePlacement.BESIDE_DOCKERFILE);
  });

  test('at the build context root when asked', () => {
    const df = single(() => undefined, { path: 'docker/Dockerfile', context: 'services/api', ignore: { placement: IgnoreFilePlacement.CONTEXT_ROOT, patterns: ['*.pyc'] } });
    expect(df.ignoreFilePath).toBe('services/api/.dockerignore');
    df.ignore.addPatterns('__pycache__', '*.pyc', '!keep.pyc');
    expect(df.ignore.allPatterns).toEqual(['*.pyc', '__pycache__', '!keep.pyc']);
    expect(df.renderIgnore()).toBe('*.pyc\n__pycache__\n!keep.pyc\n');
  });

  test('the default context is the project root', () => {
    const df = single(() => undefined, { ignore: { placement: IgnoreFilePlacement.CONTEXT_ROOT } });
    expect(df.context).toBe('.');
    expect(df.path).toBe('Dockerfile');
    expect(df.ignoreFilePath).toBe('.dockerignore');
  });

  test('disabled: no ignore file', () => {
    const df = single(() => undefined, { ignore: { disabled: true } });
    expect(df.ignoreFilePath).toBeUndefined();
    expect(df.ignore.enabled).toBe(false);
  });
});

describe('target', () => {
  test('the last stage by default, or the one assigned; only the target must be non-root', () => {
    const df = newFile();
    const build = df.addStage('build', { from: BUSYBOX });
    const test = df.addStage('test', { from: BaseImage.fromStage(build) });
    const prod = df.addStage('prod', { from: BaseImage.fromStage(build) });
    prod.user('10001');
    expect(df.target).toBe(prod);
    render(df);
    df.target = test;
    expect(df.target).toBe(test);
    expect(() => df.render()).toThrow(DockyardValidationError);
    test.user('10001');
    render(df);
  });

  test('a file without stages has no target', () => {
    expect(() => newFile().target).toThrow(/root\/Df.*addStage/);
  });

  test('a non-root user is inherited from a stage base', () => {
    const df = newFile();
    const base = df.addStage('base', { from: BUSYBOX });
    base.user('10001');
    const app = df.addStage('app', { from: BaseImage.fromStage(base) });
    expect(app.effectiveUser).toBe('10001');
    render(df);
  });
});

describe('documentedVariables()', () => {
  test('lists global ARGs, then each stage\'s ARG and ENV in file order with descriptions', () => {
    const df = newFile();
    df.addArg('PY', '3.11', { description: 'Python version' });
    df.addArg('REGISTRY');
    const build = df.addStage('build', { from: BUSYBOX });
    build.arg('PIP_INDEX', 'https://pypi.org/simple', { description: 'package index' });
    const app = df.addStage('app', { from: BaseImage.fromStage(build), name: 'runtime' });
    app.env('PORT', '8000', { description: 'listening port' }).env('MODE', 'prod').user('10001');
    expect(df.documentedVariables()).toEqual([
      { kind: 'ARG', name: 'PY', value: '3.11', description: 'Python version' },
      { kind: 'ARG', name: 'REGISTRY', value: undefined, description: undefined },
      { kind: 'ARG', stage: 'build', name: 'PIP_INDEX', value: 'https://pypi.org/simple', description: 'package index' },
      { kind: 'ENV', stage: 'runtime', name: 'PORT', value: '8000', description: 'listening port' },
      { kind: 'ENV', stage: 'runtime', name: 'MODE', value: 'prod', description: undefined },
    ]);
    render(df);
  });
});

describe('outside projen', () => {
  test('the file renders to a string and nothing is written', () => {
    const df = single(() => undefined);
    expect(df.writtenByProjen).toBe(false);
    expect(DockerfileStage.isDockerfileStage(df.stages[0])).toBe(true);
    expect(DockerfileStage.isDockerfileStage(df)).toBe(false);
  });
});
