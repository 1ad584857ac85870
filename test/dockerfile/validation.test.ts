/**
 * Bad input: every guarantee of issue 2 ("Guaranteed by construction") and every escaping rule, one row per
 * distinct bad input. Each row starts from a valid file, adds one bad input, and asserts that render()
 * throws a DockyardValidationError with exactly one problem, naming the construct path, the rule and the fix.
 * Then: several problems are reported at once, and each explicit opt-out works.
 */
import { Construct } from 'constructs';
import { keywords, lint, parse } from './parsed';
import {
  BaseImage, CopySource, DockerfileStage, HealthCheck, MultiStageDockerfile, MultiStageDockerfileOptions, OnBuildTrigger,
  Platform, Port, PortProtocol, RunMount, RunNetwork, CacheSharing,
} from '../../src';
import { DockyardValidationError } from '../../src/core/problems';

const BUSYBOX = BaseImage.fromRegistry('busybox:1.36');

interface Fixture { readonly df: MultiStageDockerfile; readonly app: DockerfileStage; readonly root: Construct }

/** A valid file: stage `app` (busybox, WORKDIR /app, USER 10001). */
function fixture(options: MultiStageDockerfileOptions = {}): Fixture {
  const root = new Construct(undefined as unknown as Construct, 'root');
  const df = new MultiStageDockerfile(root, 'Df', options);
  const app = df.addStage('app', { from: BUSYBOX });
  app.workdir('/app').user('10001', '10001');
  return { root, df, app };
}

function problemsOf(df: MultiStageDockerfile): string[] {
  try {
    df.render();
  } catch (e) {
    expect(e).toBeInstanceOf(DockyardValidationError);
    const err = e as DockyardValidationError;
    // the message lists every problem and says nothing was written
    expect(err.message).toContain(`${err.problems.length} problem(s); nothing was written`);
    for (const p of err.problems) expect(err.message).toContain(p);
    return err.problems;
  }
  return [];
}

interface BadInput {
  /** The guarantee of issue 2 (or the escaping rule) the row exercises. */
  readonly guarantee: string;
  /** What is wrong. */
  readonly input: string;
  /** Adds the bad input to a valid fixture; returns the construct path the problem must name (default: the app stage). */
  readonly build: (f: Fixture) => string | void;
  /** Text the problem must contain: the offending value or rule. */
  readonly says: string;
  /** Text the problem must contain: the fix. */
  readonly fix: string;
  /** Options of the fixture's file. */
  readonly options?: MultiStageDockerfileOptions;
}

const STAGE = 'root/Df/app';
const FILE = 'root/Df';

const G = {
  names: 'unique lowercase non-reserved stage names',
  order: 'references only to earlier stages of the same file (no cycles, no dangling --from)',
  exec: 'exec-form CMD/ENTRYPOINT by default',
  once: 'at most one CMD, ENTRYPOINT and HEALTHCHECK per stage',
  workdir: 'absolute WORKDIR',
  fromArgs: 'ARGs declared before use in FROM',
  secrets: 'no secret-looking names in ARG/ENV',
  keyValue: 'KEY=value forms',
  root: 'the final stage does not run as root',
  pinned: 'base images tagged and not latest',
  values: 'valid EXPOSE ports/protocols, durations and signals',
  escaping: 'no user string can start or reshape an instruction',
  paths: 'paths, owners, modes, mounts and references are well-formed',
};

const BAD: BadInput[] = [
  // stage names
  { guarantee: G.names, input: 'uppercase stage name', build: f => { f.df.addStage('Build', { from: BUSYBOX }); f.df.target = f.app; return 'root/Df/Build'; }, says: 'StageNameCasing', fix: 'pass name: "build"' },
  { guarantee: G.names, input: 'stage name with a space', build: f => { f.df.addStage('b', { from: BUSYBOX, name: 'my stage' }); f.df.target = f.app; return 'root/Df/b'; }, says: '"my stage"', fix: 'pass name: "my-stage"' },
  { guarantee: G.names, input: 'stage name starting with a digit', build: f => { f.df.addStage('b', { from: BUSYBOX, name: '1st' }); f.df.target = f.app; return 'root/Df/b'; }, says: '"1st"', fix: 'starting with a letter' },
  { guarantee: G.names, input: 'reserved stage name scratch', build: f => { f.df.addStage('b', { from: BUSYBOX, name: 'scratch' }); f.df.target = f.app; return 'root/Df/b'; }, says: 'ReservedStageName', fix: 'choose another name' },
  { guarantee: G.names, input: 'reserved stage name context', build: f => { f.df.addStage('b', { from: BUSYBOX, name: 'context' }); f.df.target = f.app; return 'root/Df/b'; }, says: 'reserved', fix: 'choose another name' },
  { guarantee: G.names, input: 'duplicate stage name', build: f => { f.df.addStage('b', { from: BUSYBOX, name: 'app' }); f.df.target = f.app; return 'root/Df/b'; }, says: 'DuplicateStageName', fix: 'give one of them another name' },
  // stage references
  // (FROM an earlier stage is guaranteed by the API: BaseImage.fromStage() needs the stage object, which exists only once added)
  { guarantee: G.order, input: 'COPY --from a later stage', build: f => { f.app.copy(['/x'], '/x', { from: CopySource.stage(new Fixture2(f).later()) }); }, says: 'COPY --from refers to stage "later"', fix: 'define "later" before "app"' },
  { guarantee: G.order, input: 'COPY --from the stage itself', build: f => { f.app.copy(['/x'], '/x', { from: CopySource.stage(f.app) }); }, says: 'itself', fix: 'refer to an earlier stage' },
  { guarantee: G.order, input: 'COPY --from a stage of another Dockerfile', build: f => { f.app.copy(['/x'], '/x', { from: CopySource.stage(otherFileStage(f)) }); }, says: 'of another Dockerfile', fix: 'only stages of root/Df can be used' },
  { guarantee: G.order, input: 'FROM a stage of another Dockerfile', build: f => { f.df.addStage('b', { from: BaseImage.fromStage(otherFileStage(f)) }); f.df.target = f.app; return 'root/Df/b'; }, says: 'of another Dockerfile', fix: 'only stages of root/Df' },
  { guarantee: G.order, input: 'RUN --mount=type=bind from a later stage', build: f => { f.app.run('ls /m', { mounts: [RunMount.bind({ target: '/m', from: new Fixture2(f).later() })] }); }, says: 'RUN --mount=type=bind,from= refers to stage "later"', fix: 'define "later" before' },
  { guarantee: G.order, input: 'ADD --from a later stage', build: f => { f.app.add(['/x.tar.gz'], '/x/', { from: CopySource.stage(new Fixture2(f).later()) }); }, says: 'ADD --from', fix: 'define "later" before' },
  { guarantee: G.order, input: 'target is a stage of another Dockerfile', build: f => { f.df.target = otherFileStage(f); return FILE; }, says: 'is not a stage of this Dockerfile', fix: 'assign one of its own stages to target' },
  // exec form
  { guarantee: G.exec, input: 'empty exec-form CMD', build: f => { f.app.cmd([]); }, says: 'CMD needs at least one argument', fix: 'exec form: ["executable", "arg", ...]' },
  { guarantee: G.exec, input: 'empty exec-form ENTRYPOINT', build: f => { f.app.entrypoint([]); }, says: 'ENTRYPOINT needs at least one argument', fix: '["executable"' },
  { guarantee: G.exec, input: 'empty shell-form CMD', build: f => { f.app.cmdShell('  '); }, says: 'CMD command is empty', fix: 'CMD' },
  { guarantee: G.exec, input: 'shell-form CMD that looks like JSON', build: f => { f.app.cmdShell('["sh"]'); }, says: 'would be read as exec form', fix: 'use the exec-form method instead' },
  { guarantee: G.exec, input: 'empty SHELL', build: f => { f.app.shell([]); }, says: 'SHELL needs at least one argument', fix: 'exec form' },
  { guarantee: G.exec, input: 'empty exec-form RUN', build: f => { f.app.runExec([]); }, says: 'RUN needs at least one argument', fix: 'exec form' },
  // at most one
  { guarantee: G.once, input: 'two CMD', build: f => { f.app.cmd(['a']).cmd(['b']); }, says: '2 CMD instructions (BuildKit MultipleInstructionsDisallowed, hadolint DL4003)', fix: 'keep one' },
  { guarantee: G.once, input: 'two ENTRYPOINT', build: f => { f.app.entrypoint(['a']).entrypointShell('exec b'); }, says: '2 ENTRYPOINT instructions', fix: 'keep one' },
  { guarantee: G.once, input: 'two HEALTHCHECK', build: f => { f.app.healthcheck(HealthCheck.exec(['true'])).healthcheck(HealthCheck.none()); }, says: '2 HEALTHCHECK instructions', fix: 'keep one' },
  // WORKDIR
  { guarantee: G.workdir, input: 'relative WORKDIR', build: f => { f.app.workdir('app'); }, says: 'WorkdirRelativePath', fix: 'use an absolute path such as "/app"' },
  { guarantee: G.workdir, input: 'WORKDIR with a space', build: f => { f.app.workdir('/my app'); }, says: 'contains whitespace or quotes', fix: 'choose a plain absolute path' },
  { guarantee: G.workdir, input: 'WORKDIR with $ but no expandVariables', build: f => { f.app.workdir('/srv/$APP'); }, says: 'which BuildKit would expand', fix: 'pass expandVariables: true' },
  { guarantee: G.workdir, input: 'WORKDIR referencing an undeclared variable', build: f => { f.app.workdir('/srv/${APP}', { expandVariables: true }); }, says: 'UndefinedVar', fix: "declare it first with stage.arg('APP')" },
  { guarantee: G.workdir, input: 'relative COPY destination without WORKDIR', build: f => { const s = f.df.addStage('nowd', { from: BUSYBOX }); s.copy(['a'], 'dest/').user('1'); return 'root/Df/nowd'; }, says: 'DL3045', fix: "call stage.workdir('/app') first" },
  // FROM args
  { guarantee: G.fromArgs, input: 'FROM uses an undeclared ARG', build: f => { f.df.addStage('b', { from: BaseImage.fromRegistry('python:${PY}-slim') }); f.df.target = f.app; return 'root/Df/b'; }, says: 'UndefinedArgInFrom', fix: "declare it with dockerfile.addArg('PY', ...)" },
  { guarantee: G.fromArgs, input: 'FROM uses a global ARG without default', build: f => { f.df.addArg('PY'); f.df.addStage('b', { from: BaseImage.fromRegistry('python:${PY}') }); f.df.target = f.app; return 'root/Df/b'; }, says: 'InvalidDefaultArgInFrom', fix: 'give the ARG a default' },
  { guarantee: G.fromArgs, input: 'FROM resolves to an invalid reference', build: f => { f.df.addArg('TAG', 'bad tag'); f.df.addStage('b', { from: BaseImage.fromRegistry('python:${TAG}') }); f.df.target = f.app; return 'root/Df/b'; }, says: 'is not a valid image reference', fix: 'python:3.11-slim-bookworm' },
  // secrets
  { guarantee: G.secrets, input: 'ENV named *_TOKEN', build: f => { f.app.env('GITHUB_TOKEN', 'x'); }, says: 'SecretsUsedInArgOrEnv', fix: "RunMount.secret({ id: 'github_token' })" },
  { guarantee: G.secrets, input: 'ARG named *PASSWORD', build: f => { f.app.arg('DB_PASSWORD'); }, says: 'looks like a secret', fix: 'allowSecretName: true' },
  { guarantee: G.secrets, input: 'ARG named *_API_KEY', build: f => { f.app.arg('STRIPE_API_KEY', 'x'); }, says: 'looks like a secret', fix: 'RunMount.secret' },
  { guarantee: G.secrets, input: 'global ARG named *_SECRET', build: f => { f.df.addArg('APP_SECRET', 'x'); return FILE; }, says: 'looks like a secret', fix: 'use a secret mount, or pass allowSecretName: true' },
  // KEY=value
  { guarantee: G.keyValue, input: 'ENV name with a space', build: f => { f.app.env('A B', 'x'); }, says: 'ENV name "A B" is not a valid name', fix: 'KEY=value form' },
  { guarantee: G.keyValue, input: 'ENV name with =', build: f => { f.app.env('A=B', 'x'); }, says: 'not a valid name', fix: 'letters, digits and underscores' },
  { guarantee: G.keyValue, input: 'ARG name starting with a digit', build: f => { f.app.arg('1A'); }, says: 'ARG name "1A"', fix: 'letters, digits and underscores' },
  { guarantee: G.keyValue, input: 'global ARG name with a dash', build: f => { f.df.addArg('MY-ARG', 'x'); return FILE; }, says: 'global ARG name "MY-ARG" is not a valid name', fix: 'is not a valid name' },
  { guarantee: G.keyValue, input: 'LABEL key with a space', build: f => { f.app.label('my key', 'x'); }, says: 'LABEL key "my key"', fix: 'org.opencontainers.image.source' },
  { guarantee: G.keyValue, input: 'ENV value references an undeclared variable', build: f => { f.app.env('P', '${NOPE}/bin', { expandVariables: true }); }, says: 'UndefinedVar', fix: "stage.env('NOPE', ...)" },
  { guarantee: G.keyValue, input: 'ENV value with a backslash before an undeclared ${NAME} (the backslash is literal, NAME still expands)', build: f => { f.app.env('P', '\\${NOPE}', { expandVariables: true }); }, says: 'references ${NOPE}', fix: "stage.arg('NOPE')" },
  { guarantee: G.keyValue, input: 'ENV value with an expansion BuildKit rejects', build: f => { f.app.arg('A', 'a').env('P', '${A/x/y}', { expandVariables: true }); }, says: 'that BuildKit cannot expand', fix: 'write ${NAME}, ${NAME:-default}' },
  // root
  { guarantee: G.root, input: 'target without USER', build: f => { const s = f.df.addStage('final', { from: BUSYBOX }); s.cmd(['sh']); return 'root/Df/final'; }, says: 'runs as root (no USER instruction) (hadolint DL3002)', fix: "add stage.user('10001', '10001')" },
  { guarantee: G.root, input: 'target with USER root', build: f => { f.app.user('root'); }, says: 'runs as "root"', fix: 'or pass allowRootUser: true' },
  { guarantee: G.root, input: 'target with USER 0', build: f => { f.app.user('0'); }, says: 'runs as "0"', fix: 'numeric non-root UID' },
  { guarantee: G.root, input: 'target with USER 0:0', build: f => { f.app.user('000', '0'); }, says: 'runs as "000:0"', fix: 'allowRootUser' },
  { guarantee: G.root, input: 'explicit target without USER', build: f => { const s = f.df.addStage('dev', { from: BUSYBOX }); f.df.addStage('prod', { from: BUSYBOX }).user('1'); f.df.target = s; return 'root/Df/dev'; }, says: 'the build target "dev" runs as root', fix: 'allowRootUser: true' },
  // pinned images
  { guarantee: G.pinned, input: 'FROM without a tag', build: f => { f.df.addStage('b', { from: BaseImage.fromRegistry('python') }); f.df.target = f.app; return 'root/Df/b'; }, says: 'has no tag (hadolint DL3006)', fix: 'pin a version such as "python:<version>"' },
  { guarantee: G.pinned, input: 'FROM :latest', build: f => { f.df.addStage('b', { from: BaseImage.fromRegistry('python:latest') }); f.df.target = f.app; return 'root/Df/b'; }, says: 'uses the "latest" tag (hadolint DL3007)', fix: 'pass allowUnpinned: true' },
  { guarantee: G.pinned, input: 'FROM with an uppercase repository', build: f => { f.df.addStage('b', { from: BaseImage.fromRegistry('Python:3.11') }); f.df.target = f.app; return 'root/Df/b'; }, says: 'not a valid image reference', fix: 'lowercase path' },
  { guarantee: G.pinned, input: 'FROM with a bad digest', build: f => { f.df.addStage('b', { from: BaseImage.fromRegistry('python:3.11@sha256:abc') }); f.df.target = f.app; return 'root/Df/b'; }, says: 'not a valid image reference', fix: '@sha256:<64 hex>' },
  { guarantee: G.pinned, input: 'COPY --from an untagged image', build: f => { f.app.copy(['/bin/sh'], '/bin/sh', { from: CopySource.image('busybox') }); }, says: 'has no tag or digest (hadolint DL3006)', fix: 'pin it' },
  { guarantee: G.pinned, input: 'COPY --from an empty image reference', build: f => { f.app.copy(['/bin/sh'], '/bin/sh', { from: CopySource.image('') }); }, says: 'COPY --from image "" is not a valid image reference', fix: 'e.g. "python:3.11-slim-bookworm"' },
  { guarantee: G.pinned, input: 'invalid constant platform', build: f => { f.df.addStage('b', { from: BUSYBOX, platform: Platform.custom('linux amd64') }); f.df.target = f.app; return 'root/Df/b'; }, says: 'platform "linux amd64"', fix: 'e.g. linux/arm64/v8' },
  // ports, durations, signals
  { guarantee: G.values, input: 'EXPOSE port 0', build: f => { f.app.expose(Port.tcp(0)); }, says: 'EXPOSE port 0 is not a valid port', fix: 'use integers 1-65535 (hadolint DL3011)' },
  { guarantee: G.values, input: 'EXPOSE port 70000', build: f => { f.app.expose(Port.udp(70000)); }, says: 'EXPOSE port 70000', fix: '1-65535' },
  { guarantee: G.values, input: 'EXPOSE fractional port', build: f => { f.app.expose(Port.tcp(80.5)); }, says: 'EXPOSE port 80.5', fix: 'integers' },
  { guarantee: G.values, input: 'EXPOSE reversed range', build: f => { f.app.expose(Port.range(9000, 8000)); }, says: 'EXPOSE range 9000-8000 is reversed', fix: 'give the lower port first' },
  { guarantee: G.values, input: 'EXPOSE unknown protocol', build: f => { f.app.expose(Port.range(80, 80, 'sctp' as PortProtocol)); }, says: 'EXPOSE protocol "sctp"', fix: 'tcp or udp' },
  { guarantee: G.values, input: 'EXPOSE without ports', build: f => { f.app.expose(); }, says: 'EXPOSE needs at least one port', fix: 'at least one port' },
  { guarantee: G.values, input: 'HEALTHCHECK interval without unit', build: f => { f.app.healthcheck(HealthCheck.exec(['true'], { interval: '30' })); }, says: 'HEALTHCHECK interval "30" is not a duration', fix: 'use e.g. "30s", "1m30s" or "500ms"' },
  { guarantee: G.values, input: 'HEALTHCHECK unknown duration unit', build: f => { f.app.healthcheck(HealthCheck.exec(['true'], { timeout: '5x' })); }, says: 'HEALTHCHECK timeout "5x"', fix: '"30s"' },
  { guarantee: G.values, input: 'HEALTHCHECK zero interval', build: f => { f.app.healthcheck(HealthCheck.exec(['true'], { interval: '0s' })); }, says: 'must be at least 1ms', fix: 'at least 1ms' },
  { guarantee: G.values, input: 'HEALTHCHECK start interval below 1ms', build: f => { f.app.healthcheck(HealthCheck.exec(['true'], { startInterval: '500us' })); }, says: 'HEALTHCHECK startInterval "500us" must be at least 1ms', fix: 'at least 1ms' },
  { guarantee: G.values, input: 'HEALTHCHECK zero retries', build: f => { f.app.healthcheck(HealthCheck.exec(['true'], { retries: 0 })); }, says: 'HEALTHCHECK retries 0', fix: 'must be a positive integer' },
  { guarantee: G.values, input: 'HEALTHCHECK empty exec command', build: f => { f.app.healthcheck(HealthCheck.exec([])); }, says: 'HEALTHCHECK CMD needs at least one argument', fix: 'exec form' },
  { guarantee: G.values, input: 'STOPSIGNAL unknown name', build: f => { f.app.stopSignal('SIGFOO'); }, says: 'signal "SIGFOO" is not a Linux signal', fix: 'use a name such as SIGTERM or SIGQUIT, or a number 1-64' },
  { guarantee: G.values, input: 'STOPSIGNAL number out of range', build: f => { f.app.stopSignal('99'); }, says: 'signal number 99 is outside 1-64', fix: '1-64' },
  { guarantee: G.values, input: 'STOPSIGNAL without SIG prefix', build: f => { f.app.stopSignal('QUIT'); }, says: 'signal "QUIT"', fix: 'must be written as SIGQUIT' },
  { guarantee: G.values, input: 'STOPSIGNAL real-time signal beyond the range', build: f => { f.app.stopSignal('SIGRTMIN+99'); }, says: 'SIGRTMIN+99', fix: 'SIGTERM' },
  { guarantee: G.values, input: 'RUN network not one of the enum', build: f => { f.app.run('true', { network: 'bridge' as RunNetwork }); }, says: 'RUN network "bridge"', fix: 'RunNetwork.DEFAULT, NONE or HOST' },
  { guarantee: G.values, input: 'cache mount sharing not one of the enum', build: f => { f.app.run('true', { mounts: [RunMount.cache({ target: '/c', sharing: 'open' as CacheSharing })] }); }, says: 'cache mount sharing "open"', fix: 'one of shared, private, locked' },
  // escaping: strings that would start or reshape an instruction
  { guarantee: G.escaping, input: 'newline in an ENV value', build: f => { f.app.env('A', 'x\nRUN rm -rf /'); }, says: 'contains the control character U+000A', fix: 'remove it' },
  { guarantee: G.escaping, input: 'carriage return in a LABEL value', build: f => { f.app.label('a', 'x\ry'); }, says: 'U+000D', fix: 'remove it' },
  { guarantee: G.escaping, input: 'line separator in an ARG default', build: f => { f.app.arg('A', 'x\u2028y'); }, says: 'U+2028', fix: 'remove it' },
  { guarantee: G.escaping, input: 'lone surrogate in an ENV value', build: f => { f.app.env('A', 'x\ud800'); }, says: 'lone UTF-16 surrogate', fix: 'pass well-formed text' },
  { guarantee: G.escaping, input: 'NUL in an exec-form CMD argument', build: f => { f.app.cmd(['sh', 'a\u0000b']); }, says: 'CMD argument 1', fix: 'remove it' },
  { guarantee: G.escaping, input: 'newline in a shell-form RUN', build: f => { f.app.run('echo a\nUSER root'); }, says: 'U+000A', fix: 'for a multi-line script use runScript() (a heredoc)' },
  { guarantee: G.escaping, input: 'tab in a shell-form RUN', build: f => { f.app.run('echo\ta'); }, says: 'U+0009', fix: 'runScript()' },
  { guarantee: G.escaping, input: 'shell-form RUN ending in a backslash (line continuation)', build: f => { f.app.run('echo a \\'); }, says: 'ends with a backslash, which would continue into the next instruction', fix: 'remove it' },
  { guarantee: G.escaping, input: 'shell-form RUN ending in backslash and spaces', build: f => { f.app.run('echo a \\   '); }, says: 'ends with a backslash', fix: 'remove it' },
  { guarantee: G.escaping, input: 'shell-form RUN starting with "--" (flag injection)', build: f => { f.app.run('--network=host curl http://x'); }, says: 'starts with "--", which BuildKit reads as a flag', fix: 'use the typed options (mounts, network)' },
  { guarantee: G.escaping, input: 'shell-form RUN starting with "\\--" (flag for dockerfile-ast)', build: f => { f.app.run('\\--mount=type=secret,id=x cat /run/secrets/x'); }, says: 'starts with "--"', fix: 'typed options' },
  { guarantee: G.escaping, input: 'shell-form RUN whose first word contains "--"', build: f => { f.app.run('my--tool --verbose'); }, says: 'whose "--" makes Dockerfile parsers read later "--" words as RUN flags', fix: 'use runExec()' },
  { guarantee: G.escaping, input: 'shell-form RUN opening a heredoc', build: f => { f.app.run('cat <<EOF'); }, says: 'contains the heredoc operator "<<EOF"', fix: 'use runScript() for a script' },
  { guarantee: G.escaping, input: 'shell-form RUN opening a heredoc on fd 2', build: f => { f.app.run('cat 2<<EOF'); }, says: 'heredoc operator "2<<EOF"', fix: 'runScript()' },
  { guarantee: G.escaping, input: 'shell-form RUN opening a tab-stripping heredoc', build: f => { f.app.run('cat <<-X'); }, says: 'heredoc operator "<<-X"', fix: 'runScript()' },
  { guarantee: G.escaping, input: 'shell-form RUN with an escaped heredoc operator', build: f => { f.app.run('cat \\<<EOF'); }, says: 'heredoc operator "<<EOF"', fix: 'runScript()' },
  { guarantee: G.escaping, input: 'shell-form RUN with a quoted heredoc operator', build: f => { f.app.run('echo "a <<b"'); }, says: 'heredoc operator', fix: 'runScript()' },
  { guarantee: G.escaping, input: 'ONBUILD RUN opening a heredoc', build: f => { f.app.onBuild(OnBuildTrigger.run('cat <<EOF')); }, says: 'heredoc operator', fix: 'runScript()' },
  { guarantee: G.escaping, input: 'shell-form RUN starting with an escaped space', build: f => { f.app.run('\\ echo'); }, says: 'starts with an escaped space', fix: 'remove the backslash' },
  { guarantee: G.escaping, input: 'shell-form CMD starting with "--"', build: f => { f.app.cmdShell('--help'); }, says: 'CMD command "--help" starts with "--"', fix: 'start the command with the program' },
  { guarantee: G.escaping, input: 'shell-form HEALTHCHECK ending in a backslash', build: f => { f.app.healthcheck(HealthCheck.shell('true \\')); }, says: 'HEALTHCHECK CMD command', fix: 'remove it' },
  { guarantee: G.escaping, input: 'control character in a runScript body', build: f => { f.app.runScript('echo \u001b[31m'); }, says: 'RUN script contains the control character U+001B', fix: 'only newlines and tabs are allowed' },
  { guarantee: G.escaping, input: 'carriage return in copyContent (would end the heredoc early)', build: f => { f.app.copyContent('a\r\nEOF\r\n', '/a'); }, says: 'COPY content contains the control character U+000D', fix: 'only newlines and tabs' },
  { guarantee: G.escaping, input: 'copyContent destination opening a second heredoc', build: f => { f.app.copyContent('x', '<<EOF'); }, says: 'would open a second heredoc', fix: 'choose another file name' },
  { guarantee: G.escaping, input: 'copyContent destination with a space', build: f => { f.app.copyContent('x', '/a b'); }, says: 'must not contain whitespace or quotes', fix: 'whitespace or quotes' },
  { guarantee: G.escaping, input: 'newline in a comment line', build: f => { f.app.comment('a\rRUN b'); }, says: 'comment', fix: 'remove it' },
  { guarantee: G.escaping, input: 'control character in a global ARG description', build: f => { f.df.addArg('A', '1', { description: 'x\u0000' }); return FILE; }, says: 'global ARG A description', fix: 'remove it' },
  { guarantee: G.escaping, input: 'newline in a global ARG default', build: f => { f.df.addArg('A', 'x\ny'); return FILE; }, says: 'global ARG A default', fix: 'remove it' },
  { guarantee: G.escaping, input: 'newline in the syntax directive', options: { syntax: 'docker/dockerfile:1\n# escape=`' }, build: () => FILE, says: 'syntax', fix: 'such as docker/dockerfile:1.10' },
  { guarantee: G.escaping, input: 'empty syntax directive', options: { syntax: '' }, build: () => FILE, says: 'syntax ""', fix: 'such as docker/dockerfile:1.10' },
  { guarantee: G.escaping, input: 'space in the syntax directive', options: { syntax: 'docker/dockerfile:1 x' }, build: () => FILE, says: 'syntax "docker/dockerfile:1 x"', fix: 'must be an image reference' },
  { guarantee: G.escaping, input: 'ignore pattern with a newline', build: f => { f.df.ignore.addPatterns('a\nb'); return FILE; }, says: 'ignore pattern', fix: 'remove it' },
  { guarantee: G.escaping, input: 'ignore pattern starting with #', build: f => { f.df.ignore.addPatterns('#secret'); return FILE; }, says: 'would be read as a comment', fix: '"[#]secret"' },
  { guarantee: G.escaping, input: 'ignore pattern with surrounding spaces', build: f => { f.df.ignore.addPatterns(' a '); return FILE; }, says: 'surrounding whitespace', fix: 'remove it' },
  // paths, owners, modes, mounts
  { guarantee: G.paths, input: 'COPY source with a backslash', build: f => { f.app.copy(['a\\b'], '/x'); }, says: 'contains a backslash', fix: 'use forward slashes' },
  { guarantee: G.paths, input: 'COPY source with a double quote', build: f => { f.app.copy(['a"b'], '/x'); }, says: 'contains a double quote', fix: 'match it with the glob "?"' },
  { guarantee: G.paths, input: 'COPY source with $ and no expandVariables', build: f => { f.app.copy(['$HOME/x'], '/x'); }, says: 'which BuildKit would expand', fix: 'pass expandVariables: true' },
  { guarantee: G.paths, input: 'COPY source leaving the context', build: f => { f.app.copy(['../secrets'], '/x'); }, says: 'leaves the build context', fix: 'relative to the context root' },
  { guarantee: G.paths, input: 'COPY of several sources into a file', build: f => { f.app.copy(['a', 'b'], '/x'); }, says: 'hadolint DL3021', fix: 'use "/x/"' },
  { guarantee: G.paths, input: 'COPY without sources', build: f => { f.app.copy([], '/x'); }, says: 'COPY needs at least one source', fix: 'at least one source' },
  { guarantee: G.paths, input: 'empty COPY destination', build: f => { f.app.copy(['a'], ''); }, says: 'COPY destination is empty', fix: 'give a path' },
  { guarantee: G.paths, input: 'COPY --chown that is not user[:group]', build: f => { f.app.copy(['a'], '/a', { chown: 'app user' }); }, says: 'COPY --chown "app user"', fix: 'e.g. "10001:10001"' },
  { guarantee: G.paths, input: 'COPY --chmod that is not octal', build: f => { f.app.copy(['a'], '/a', { chmod: '0999' }); }, says: 'COPY --chmod "0999"', fix: 'an octal mode such as 0644' },
  { guarantee: G.paths, input: 'COPY --from named context with uppercase', build: f => { f.app.copy(['a'], '/a', { from: CopySource.namedContext('Config') }); }, says: 'context name "Config"', fix: 'lowercase letters' },
  { guarantee: G.paths, input: 'ADD of a plain file', build: f => { f.app.add(['app.py'], '/app/'); }, says: 'hadolint DL3020', fix: 'use copy()' },
  { guarantee: G.paths, input: 'ADD --checksum that is not sha256', build: f => { f.app.add(['https://example.com/a.tar.gz'], '/a/', { checksum: 'md5:abc' }); }, says: 'ADD --checksum "md5:abc"', fix: 'sha256:<64 hex digits>' },
  { guarantee: G.paths, input: 'ADD URL with a quote', build: f => { f.app.add(["https://example.com/it's.tar.gz"], '/a/'); }, says: 'ADD source URL', fix: 'percent-encode it (%27)' },
  { guarantee: G.paths, input: 'USER name with a space', build: f => { f.app.user('app user'); }, says: 'USER user "app user"', fix: 'or a numeric id' },
  { guarantee: G.paths, input: 'USER group with a colon', build: f => { f.app.user('1', '2:3'); }, says: 'USER group "2:3"', fix: 'numeric id' },
  { guarantee: G.paths, input: 'VOLUME relative path', build: f => { f.app.volume('data'); }, says: 'VOLUME path "data" must be absolute', fix: 'must be absolute' },
  { guarantee: G.paths, input: 'VOLUME without paths', build: f => { f.app.volume(); }, says: 'VOLUME needs at least one path', fix: 'at least one path' },
  { guarantee: G.paths, input: 'cache mount relative target', build: f => { f.app.run('true', { mounts: [RunMount.cache({ target: 'cache' })] }); }, says: 'RUN cache mount target "cache" must be an absolute path', fix: 'absolute path' },
  { guarantee: G.paths, input: 'bind mount target with a comma', build: f => { f.app.run('true', { mounts: [RunMount.bind({ target: '/a,rw=true' })] }); }, says: 'contains whitespace, a comma or a quote', fix: 'choose a plain path' },
  { guarantee: G.paths, input: 'secret mount id with a space', build: f => { f.app.run('true', { mounts: [RunMount.secret({ id: 'my secret' })] }); }, says: 'secret mount id "my secret"', fix: 'must match' },
  { guarantee: G.paths, input: 'secret mount env not a variable name', build: f => { f.app.run('true', { mounts: [RunMount.secret({ id: 's', env: 'A-B' })] }); }, says: 'secret mount env "A-B" is not a valid variable name', fix: 'valid variable name' },
  { guarantee: G.paths, input: 'cache mount mode not octal', build: f => { f.app.run('true', { mounts: [RunMount.cache({ target: '/c', mode: 'rwx' })] }); }, says: 'cache mount mode "rwx"', fix: 'octal mode such as 0755' },
  { guarantee: G.paths, input: 'cache mount negative uid', build: f => { f.app.run('true', { mounts: [RunMount.cache({ target: '/c', uid: -1 })] }); }, says: 'cache mount uid -1', fix: 'non-negative integer' },
  { guarantee: G.paths, input: 'tmpfs mount fractional size', build: f => { f.app.run('true', { mounts: [RunMount.tmpfs({ target: '/t', sizeBytes: 1.5 })] }); }, says: 'tmpfs mount size 1.5', fix: 'non-negative integer' },
  { guarantee: G.paths, input: 'absolute Dockerfile path', options: { path: '/etc/Dockerfile' }, build: () => FILE, says: 'path "/etc/Dockerfile"', fix: 'must be relative to the project root' },
  { guarantee: G.paths, input: 'build context outside the project', options: { context: 'a/../..' }, build: () => FILE, says: 'context "a/../.."', fix: 'stay inside it' },
  { guarantee: G.paths, input: 'newline in the Dockerfile path', options: { path: 'docker/Dockerfile\n' }, build: () => FILE, says: 'path', fix: 'remove it' },
];

/** An extra file-scoped helper: a stage `later` added after `app`, so `app` stays the (non-root) target. */
class Fixture2 {
  constructor(private readonly f: Fixture) {}
  public later(): DockerfileStage {
    const s = this.f.df.addStage('later', { from: BUSYBOX });
    this.f.df.target = this.f.app;
    return s;
  }
}

function otherFileStage(f: Fixture): DockerfileStage {
  const other = new MultiStageDockerfile(f.root, 'Other');
  return other.addStage('base', { from: BUSYBOX }).user('1');
}

describe('every bad input is rejected with the construct path, the rule and the fix', () => {
  test('the fixture itself is valid', () => {
    const { df } = fixture();
    expect(problemsOf(df)).toEqual([]);
    expect(lint(df.render())).toEqual([]);
  });

  test.each(BAD.map(b => [`${b.guarantee}: ${b.input}`, b] as const))('%s', (_name, bad) => {
    const f = fixture(bad.options);
    const path = bad.build(f) ?? STAGE;
    const problems = problemsOf(f.df);
    // exactly one problem: the bad input, nothing else
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem.startsWith(`[${path}] `)).toBe(true);
    expect(problem).toContain(bad.says);
    expect(problem).toContain(bad.fix);
  });

  test('the table covers every guarantee of issue 2 and counts its distinct bad inputs', () => {
    expect(new Set(BAD.map(b => b.guarantee))).toEqual(new Set(Object.values(G)));
    expect(new Set(BAD.map(b => b.input)).size).toBe(BAD.length);
    // eslint-disable-next-line no-console
    console.log(`distinct bad inputs tried: ${BAD.length} (${Object.values(G).map(g => `${g}: ${BAD.filter(b => b.guarantee === g).length}`).join('; ')})`);
    expect(BAD.length).toBeGreaterThanOrEqual(100);
  });
});

describe('several problems are reported at once', () => {
  test('problems of the file and of several stages, each with its path, in one error', () => {
    const root = new Construct(undefined as unknown as Construct, 'root');
    const df = new MultiStageDockerfile(root, 'Df', { syntax: 'bad syntax' });
    df.addArg('API_TOKEN', 'x');
    const build = df.addStage('Build', { from: BaseImage.fromRegistry('python:latest') });
    build.workdir('src').cmd(['a']).cmd(['b']);
    const app = df.addStage('app', { from: BaseImage.fromStage(build) });
    app.copy(['x'], '/x', { from: CopySource.stage(app) }).expose(Port.tcp(0)).stopSignal('SIGNOPE').env('A', 'x\ny');
    const problems = problemsOf(df);
    expect(problems.map(p => p.slice(0, p.indexOf(']') + 1))).toEqual([
      '[root/Df]', '[root/Df]',
      '[root/Df/Build]', '[root/Df/Build]', '[root/Df/Build]', '[root/Df/Build]',
      '[root/Df/app]', '[root/Df/app]', '[root/Df/app]', '[root/Df/app]', '[root/Df/app]',
    ]);
    const all = problems.join('\n');
    for (const rule of ['syntax "bad syntax"', 'API_TOKEN looks like a secret', 'StageNameCasing', '"latest" tag', 'WorkdirRelativePath',
      '2 CMD instructions', 'refers to the stage itself', 'EXPOSE port 0', 'SIGNOPE', 'U+000A', 'runs as root']) {
      expect(all).toContain(rule);
    }
  });

  test('an empty file says how to add a stage', () => {
    const df = new MultiStageDockerfile(new Construct(undefined as unknown as Construct, 'root'), 'Df');
    expect(problemsOf(df)).toEqual(['[root/Df] the Dockerfile has no stage; add one with addStage()']);
  });

  test('renderIgnore() validates too', () => {
    const { df } = fixture();
    df.ignore.addPatterns('#x');
    expect(() => df.renderIgnore()).toThrow(DockyardValidationError);
  });
});

describe('explicit opt-outs', () => {
  function directives(text: string): Array<[string, string]> {
    return parse(text).getDirectives().map(d => [d.getName(), d.getValue()]);
  }

  test('allowUnpinned accepts an untagged or latest base image', () => {
    const { df, app } = fixture();
    df.addStage('a', { from: BaseImage.fromRegistry('python:latest', { allowUnpinned: true }) });
    df.addStage('b', { from: BaseImage.fromRegistry('python', { allowUnpinned: true }) });
    df.target = app;
    const text = df.render();
    expect(parse(text).getFROMs().map(f => f.getImage())).toEqual(['busybox:1.36', 'python:latest', 'python']);
    expect(lint(text)).toEqual([]);
  });

  test('a digest pins an image without a tag, also with the latest tag', () => {
    const { df, app } = fixture();
    const digest = `sha256:${'0'.repeat(64)}`;
    df.addStage('a', { from: BaseImage.fromRegistry(`python@${digest}`) });
    df.addStage('b', { from: BaseImage.fromRegistry(`python:latest@${digest}`) });
    df.target = app;
    expect(parse(df.render()).getFROMs().map(f => f.getImageDigest())).toEqual([null, digest, digest]);
  });

  test('allowRootUser accepts a target running as root', () => {
    const { df } = fixture();
    const dev = df.addStage('dev', { from: BUSYBOX, allowRootUser: true });
    dev.cmd(['sh']);
    expect(keywords(df.render())).toEqual(['FROM', 'WORKDIR', 'USER', 'FROM', 'CMD']);
    const root = df.addStage('root', { from: BUSYBOX, allowRootUser: true });
    root.user('root');
    expect(() => df.render()).not.toThrow();
  });

  test('allowSecretName accepts the name and the file skips SecretsUsedInArgOrEnv', () => {
    const { df, app } = fixture();
    app.env('PUBLIC_KEY_PATH', '/keys/pub.pem', { allowSecretName: true }).arg('TOKEN_URL', 'https://x', { allowSecretName: true });
    const text = df.render();
    expect(directives(text)).toEqual([['check', 'skip=SecretsUsedInArgOrEnv;error=true']]);
    expect(lint(text)).toEqual([]);
  });

  test('a name with "public" is not a secret; allowSecretName on a harmless name skips nothing', () => {
    const { df, app } = fixture();
    app.env('PUBLIC_KEY', 'x').env('MODE', 'y', { allowSecretName: true });
    expect(directives(df.render())).toEqual([['check', 'error=true']]);
  });

  test('shell-form CMD (cmdShell) and ENTRYPOINT (entrypointShell) skip JSONArgsRecommended', () => {
    for (const build of [(s: DockerfileStage) => s.cmdShell('exec python3 -m http.server'), (s: DockerfileStage) => s.entrypointShell('exec sh')]) {
      const { df, app } = fixture();
      build(app);
      const text = df.render();
      expect(directives(text)).toEqual([['check', 'skip=JSONArgsRecommended;error=true']]);
      expect(lint(text)).toEqual([]);
    }
  });

  test('a constant platform (Platform.custom) skips FromPlatformFlagConstDisallowed', () => {
    const { df, app } = fixture();
    df.addStage('arm', { from: BUSYBOX, platform: Platform.custom('linux/arm64') });
    df.target = app;
    expect(directives(df.render())).toEqual([['check', 'skip=FromPlatformFlagConstDisallowed;error=true']]);
  });

  test('expandVariables lets declared ${NAME} through, in ENV, ARG, WORKDIR and COPY', () => {
    const { df, app } = fixture();
    app.arg('APP', 'svc').env('HOME_DIR', '/srv/${APP:-x}', { expandVariables: true }).arg('ALT', '${APP:+set}', { expandVariables: true })
      .workdir('/srv/${APP}', { expandVariables: true }).copy(['dist/${APP}.whl'], '/wheels/', { expandVariables: true });
    const text = df.render();
    expect(lint(text)).toEqual([]);
    expect(keywords(text)).toEqual(['FROM', 'WORKDIR', 'USER', 'ARG', 'ENV', 'ARG', 'WORKDIR', 'COPY']);
  });

  test('checkErrors: false drops # check=error=true but keeps the skip list', () => {
    const { df, app } = fixture({ checkErrors: false });
    app.cmdShell('exec sh');
    expect(directives(df.render())).toEqual([['check', 'skip=JSONArgsRecommended']]);
  });
});
