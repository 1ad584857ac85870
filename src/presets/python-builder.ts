/**
 * The stages shared by the production and development Python presets, built only with the public
 * MultiStageDockerfile/DockerfileStage API. Every option is checked here; an invalid value is
 * reported (through the Dockerfile's validation, so nothing is written) and left out of the file,
 * so each mistake is reported once, by the option that caused it.
 * @internal
 */
import * as posix from 'node:path/posix';
import type { Construct } from 'constructs';
import {
  BaseImage, DockerfileStage, HealthCheck, IgnoreFilePlacement, MultiStageDockerfile, Port, RunMount, RunNetwork,
} from '../dockerfile';
import { DependencyManifest } from './dependency-manifest';
import type { PythonDockerfileOptions } from './python-dockerfile-options';
import { PYTHON_IGNORE_PATTERNS } from './python-ignore';
import { PythonOsFamily } from './python-os-family';
import { PackageManager, SystemPackages } from './system-packages';
import { contextPathProblem, execFormProblem, imagePathProblem, shellQuote } from './text';
import { isCleanText } from '../core/text-rules';

/** Where the dependencies stage writes the wheels the final stage bind-mounts. */
export const WHEEL_DIR = '/wheels';
/** The cache mount of pip's download/build cache. */
export const PIP_CACHE = '/root/.cache/pip';
const DEFAULT_PYTHON = '3.11';
const DEFAULT_UID = 10001;

/** What differs between the production and development presets. */
export interface PresetMode {
  readonly kind: 'production' | 'development';
  readonly defaultPath: string;
  readonly finalStageName: string;
  /** Paths of the context copied into the final stage. */
  readonly sources: string[] | undefined;
  readonly defaultSources: string[];
  readonly collectStatic: boolean;
  readonly labels: { [key: string]: string };
}

/** The stages and facts a preset exposes. */
export interface BuiltPreset {
  readonly dockerfile: MultiStageDockerfile;
  readonly base: DockerfileStage;
  readonly dependencies: DockerfileStage;
  readonly final: DockerfileStage;
  readonly docsPath?: string;
  readonly uid: number;
  readonly gid: number;
  readonly port: number;
  readonly pythonVersion: string;
  readonly workdir: string;
  readonly osFamily: PythonOsFamily;
  /** One line per stage: what it is for. */
  readonly stagePurposes: Map<DockerfileStage, string>;
}

/** Builds the Dockerfile of a preset under `scope` (construct id "Dockerfile"). */
export function buildPythonDockerfile(scope: Construct, options: PythonDockerfileOptions, mode: PresetMode): BuiltPreset {
  const problems: string[] = [];
  const problem = (m: string) => problems.push(m);
  const dev = mode.kind === 'development';

  // ---- scalar options, each checked, with a safe fallback so the rest of the file stays valid
  const pythonVersion = checkedPythonVersion(options.pythonVersion, problem);
  const family = options.osFamily ?? PythonOsFamily.ALPINE;
  if (family._problem) problem(`osFamily: ${family._problem}`);
  const workdir = checkedImagePath(options.workdir, '/app', 'workdir', problem);
  const venv = checkedImagePath(options.venvPath, '/opt/venv', 'venvPath', problem);
  const { userName, uid, gid } = checkedUser(options, problem);
  const port = checkedPort(options.port, problem);
  const path = options.path ?? mode.defaultPath;
  const context = options.context ?? '.';
  const docsPath = options.disableDocs ? undefined : options.docsPath ?? `${path}.md`;
  if (docsPath !== undefined) {
    const p = contextPathProblem(docsPath, 'docsPath', 'give a path relative to the project root such as "docker/README.md"');
    if (p) problem(p);
    else if (posix.normalize(docsPath) === posix.normalize(path)) problem(`docsPath "${docsPath}" is the Dockerfile itself; choose another path such as "${path}.md"`);
  }
  const framework = options.framework;
  const frameworkProblem = framework?._problem();
  if (frameworkProblem) problem(`framework: ${frameworkProblem}`);
  const manifest = options.dependencies ?? DependencyManifest.requirements();
  const manifestProblems = manifest._problems('dependencies');
  problems.push(...manifestProblems);
  if (manifest._needsTomllib && pythonMinor(pythonVersion) < 11) {
    problem(`dependencies: DependencyManifest.pyproject() reads pyproject.toml with tomllib, which needs Python 3.11 or later, but pythonVersion is "${pythonVersion}"; raise pythonVersion or use DependencyManifest.requirements()`);
  }

  // ---- the file, with ignore patterns for Python projects
  const placement = options.ignore?.placement ?? IgnoreFilePlacement.BESIDE_DOCKERFILE;
  const ownFiles = [path, placement === IgnoreFilePlacement.BESIDE_DOCKERFILE ? `${path}.dockerignore` : undefined, docsPath]
    .filter((f): f is string => f !== undefined && contextPathProblem(f, '', '') === undefined)
    .map(f => posix.relative(posix.normalize(context), posix.normalize(f)))
    .filter(f => f.length > 0 && !f.startsWith('..'));
  const dockerfile = new MultiStageDockerfile(scope, 'Dockerfile', {
    path,
    context,
    syntax: options.syntax,
    checkErrors: options.checkErrors,
    ignore: {
      placement,
      disabled: options.ignore?.disabled,
      patterns: options.ignore?.patterns ?? [...PYTHON_IGNORE_PATTERNS, ...ownFiles],
    },
  });
  dockerfile.node.addValidation({ validate: () => problems });

  // ---- images: the official python image of the family unless given
  let versionArg = false;
  const officialImage = () => {
    if (!versionArg) {
      dockerfile.addArg('PYTHON_VERSION', pythonVersion, { description: 'Python version of the official python base image (python:<version>-<os>)' });
      versionArg = true;
    }
    return BaseImage.fromRegistry(`python:\${PYTHON_VERSION}-${family.imageTagSuffix}`);
  };
  const runtimeImage = options.runtimeImage ?? officialImage();
  checkImageFamily(runtimeImage, family, 'runtimeImage', problem);
  if (options.buildImage) checkImageFamily(options.buildImage, family, 'buildImage', problem);

  const buildPackages = checkedPackages(options.buildPackages, family, 'buildPackages', problem);
  const runtimePackages = checkedPackages(options.runtimePackages, family, 'runtimePackages', problem);
  const packageRun = { network: options.packageNetwork ?? RunNetwork.DEFAULT };
  const pipWheelArgs = checkedArgs(options.pipWheelArgs, 'pipWheelArgs', problem);
  const pipInstallArgs = checkedArgs(options.pipInstallArgs, 'pipInstallArgs', problem);
  const stagePurposes = new Map<DockerfileStage, string>();

  // ---- base: what the dependencies and final stages share
  const base = dockerfile.addStage('base', { from: runtimeImage });
  const basePurpose = 'Runtime foundation shared by the other stages: Python and pip settings, the working directory, runtime system packages and the non-root user.';
  stagePurposes.set(base, basePurpose);
  base.comment(`Stage "base": ${basePurpose}`);
  const environment = pythonEnvironment(options.environment, framework?._environment() ?? {}, problem);
  for (const e of environment) base.env(e.name, e.value, { description: e.description });
  base.workdir(workdir);
  if (runtimePackages) base.run(runtimePackages._installCommand(), packageRun);
  base.run(`${family._createUserCommand(userName, uid, gid, workdir)} && chown ${uid}:${gid} ${workdir}`);

  // ---- dependencies: wheels of every dependency, built where compilers may live
  const dependencies = dockerfile.addStage('dependencies', { from: options.buildImage ?? BaseImage.fromStage(base) });
  const depsPurpose = `Builds a wheel of every ${dev ? 'runtime and development ' : ''}dependency into ${WHEEL_DIR}. Build-only system packages live here; the ${mode.finalStageName} stage only bind-mounts ${WHEEL_DIR}, so neither they nor the wheels reach its layers.`;
  stagePurposes.set(dependencies, depsPurpose);
  dependencies.comment(`Stage "dependencies": ${depsPurpose}`);
  if (options.buildImage) {
    for (const e of environment) dependencies.env(e.name, e.value, { description: e.description });
    dependencies.workdir(workdir);
  }
  if (buildPackages) dependencies.run(buildPackages._installCommand(), packageRun);
  const manifestFiles = manifestProblems.length ? [] : manifest._files(dev);
  const rootFiles = manifestFiles.filter(f => !posix.normalize(f).includes('/'));
  if (rootFiles.length) dependencies.copy(rootFiles, rootFiles.length > 1 ? './' : `./${posix.normalize(rootFiles[0])}`);
  for (const f of manifestFiles.filter(x => !rootFiles.includes(x))) dependencies.copy([f], `./${posix.normalize(f)}`);
  for (const f of checkedContextPaths(options.dependencyFiles, [], 'dependencyFiles', problem)) {
    dependencies.copy([f], `./${posix.normalize(f)}`);
  }
  dependencies.run(manifest._wheelCommand(dev, WHEEL_DIR, pipWheelArgs), { mounts: [RunMount.cache({ target: PIP_CACHE })] });

  // ---- final: the virtual environment from the wheels, the application, the non-root user
  const final = dockerfile.addStage(mode.finalStageName, { from: BaseImage.fromStage(base) });
  const finalPurpose = dev
    ? `Development image: the dependencies (development ones included) in a virtual environment at ${venv}; the source is expected as a bind mount at ${workdir} (docker run -v "$PWD:${workdir}"); runs the development server as UID ${uid}.`
    : `Production image: the dependencies in a virtual environment at ${venv} (installed from the wheels without copying them), the application source, no build tools; runs as UID ${uid}.`;
  stagePurposes.set(final, finalPurpose);
  final.comment(`Stage "${mode.finalStageName}": ${finalPurpose}`);
  const install = ['python3', '-m', 'venv', venv].join(' ')
    + ` && ${[`${venv}/bin/python`, '-m', 'pip', 'install', '--no-index', '--no-cache-dir', `--find-links=${WHEEL_DIR}`, ...pipInstallArgs].map(shellQuote).join(' ')} ${WHEEL_DIR}/*.whl`;
  final.run(install, {
    mounts: [RunMount.bind({ from: dependencies, source: WHEEL_DIR, target: WHEEL_DIR })],
    network: RunNetwork.NONE,
  });
  final.env('VIRTUAL_ENV', venv, { description: 'The virtual environment holding the dependencies' });
  final.env('PATH', `${venv}/bin:\${PATH}`, { description: 'The virtual environment\'s python3, pip and console scripts come first', expandVariables: true });
  for (const s of checkedContextPaths(mode.sources, mode.defaultSources, 'sources', problem)) {
    const n = posix.normalize(s);
    final.copy([s], n === '.' ? `${workdir}/` : `${workdir}/${n}`, { chown: `${uid}:${gid}` });
  }
  final.user(String(uid), String(gid));
  if (mode.collectStatic) {
    if (!framework?.isDjango) problem('collectStatic needs a Django project; pass framework: PythonFramework.django("<project>") or drop collectStatic');
    else final.run('python3 manage.py collectstatic --noinput');
  }
  for (const [key, value] of Object.entries(mode.labels)) final.label(key, value);
  final.expose(Port.tcp(port));
  if (options.healthCheck && options.healthCheckPath !== undefined) {
    problem('healthCheck and healthCheckPath are both given, but healthCheckPath only configures the default check; drop one of them');
  }
  // development has no health check unless asked for (a path asks for the default probe)
  const wantDefault = !dev || options.healthCheckPath !== undefined;
  const healthCheck = options.healthCheck ?? (wantDefault ? defaultHealthCheck(options.healthCheckPath, port, problem) : undefined);
  if (healthCheck) final.healthcheck(healthCheck);
  if (options.entrypoint !== undefined) {
    const p = execFormProblem(options.entrypoint, 'entrypoint');
    if (p) problem(p);
    else final.entrypoint(options.entrypoint);
  }
  const command = options.command ?? (dev ? framework?._developmentCommand(port) : framework?._productionCommand(port));
  if (command === undefined) {
    problem('no command: pass framework (e.g. PythonFramework.django("mysite")) for the default command, or command: ["executable", "arg", ...]');
  } else {
    const p = execFormProblem(command, 'command');
    if (p) problem(p);
    else final.cmd(command);
  }

  return { dockerfile, base, dependencies, final, docsPath, uid, gid, port, pythonVersion, workdir, osFamily: family, stagePurposes };
}

interface DocumentedEnv { readonly name: string; readonly value: string; readonly description?: string }

type Report = (m: string) => void;

function pythonEnvironment(extra: { [name: string]: string } | undefined, framework: Record<string, string>, problem: Report): DocumentedEnv[] {
  const env = new Map<string, DocumentedEnv>();
  const put = (name: string, value: string, description?: string) =>
    env.set(name, { name, value, description: description ?? env.get(name)?.description });
  put('PYTHONDONTWRITEBYTECODE', '1', 'Write no .pyc files: they only add size to the image');
  put('PYTHONUNBUFFERED', '1', 'Send stdout and stderr straight to the container log');
  put('PIP_DISABLE_PIP_VERSION_CHECK', '1', 'pip: do not look for a newer pip on every call');
  put('PIP_DEFAULT_TIMEOUT', '100', 'pip: network timeout in seconds');
  put('PIP_ROOT_USER_ACTION', 'ignore', 'pip: builds run as root in throwaway stages on purpose; do not warn');
  for (const [name, value] of Object.entries(framework)) put(name, value, 'Set by the framework (PythonFramework)');
  if (extra !== undefined && (typeof extra !== 'object' || Array.isArray(extra) || extra === null)) {
    problem(`environment must be a map of names to values, got ${JSON.stringify(extra)}`);
  } else {
    for (const [name, value] of Object.entries(extra ?? {})) put(name, value);
  }
  return [...env.values()];
}

function checkedPythonVersion(version: string | undefined, problem: (m: string) => void): string {
  if (version === undefined) return DEFAULT_PYTHON;
  const m = isCleanText(version) ? /^3\.(\d{1,2})(?:\.\d{1,3})?$/.exec(version) : null;
  if (!m || Number(m[1]) < 8) {
    problem(`pythonVersion ${JSON.stringify(version)} is not a Python version of the form "3.<minor>[.<patch>]" (3.8 or later); pass e.g. pythonVersion: "3.11" or "3.12.4"`);
    return DEFAULT_PYTHON;
  }
  return version;
}

function pythonMinor(version: string): number {
  return Number(version.split('.')[1]);
}

function checkedImagePath(value: string | undefined, fallback: string, what: string, problem: (m: string) => void): string {
  if (value === undefined) return fallback;
  const p = imagePathProblem(value, what, fallback) ?? (value === '/' ? `${what} must not be "/"; use e.g. "${fallback}"` : undefined);
  if (p) {
    problem(p);
    return fallback;
  }
  return value;
}

const MAX_ID = 2 ** 31 - 1;

function checkedUser(options: PythonDockerfileOptions, problem: (m: string) => void) {
  let userName = options.userName ?? 'app';
  if (!isCleanText(userName) || !/^[a-z_][a-z0-9_-]{0,31}$/.test(userName)) {
    problem(`userName ${JSON.stringify(userName)} must be a user name of lowercase letters, digits, "_" or "-" (at most 32, starting with a letter or "_"), e.g. "app"`);
    userName = 'app';
  } else if (userName === 'root') {
    problem('userName "root": the runtime user must not be root (hadolint DL3002); use a dedicated user such as "app"');
    userName = 'app';
  }
  const id = (value: number | undefined, fallback: number, what: string) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 0 || value > MAX_ID) {
      problem(`${what} ${JSON.stringify(value)} must be an integer between 1 and ${MAX_ID}, e.g. ${DEFAULT_UID}`);
      return fallback;
    }
    if (value === 0) {
      problem(`${what} 0 is root: the runtime user must not be root (hadolint DL3002); use a fixed non-root id such as ${DEFAULT_UID}`);
      return fallback;
    }
    return value;
  };
  const uid = id(options.uid, DEFAULT_UID, 'uid');
  const gid = id(options.gid, uid, 'gid');
  return { userName, uid, gid };
}

function checkedPort(port: number | undefined, problem: (m: string) => void): number {
  if (port === undefined) return 8000;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problem(`port ${JSON.stringify(port)} must be an integer between 1 and 65535, e.g. 8000`);
    return 8000;
  }
  return port;
}

function checkedPackages(packages: SystemPackages | undefined, family: PythonOsFamily, what: string, problem: Report): SystemPackages | undefined {
  if (packages === undefined) return undefined;
  if (!(packages instanceof SystemPackages)) {
    problem(`${what} must be SystemPackages.apk([...]) or SystemPackages.apt([...])`);
    return undefined;
  }
  if (packages.manager !== family.packageManager) {
    const want = family.packageManager === PackageManager.APK ? 'SystemPackages.apk([...])' : 'SystemPackages.apt([...])';
    problem(`${what} are ${packages.manager} packages but osFamily is ${family.name}, which installs with ${family.packageManager}; pass ${want} with ${family.name} package names, or osFamily: ${packages.manager === PackageManager.APK ? 'PythonOsFamily.ALPINE' : 'PythonOsFamily.DEBIAN_SLIM'}`);
    return undefined;
  }
  const found = packages._problems(what);
  if (found.length) {
    found.forEach(problem);
    return undefined;
  }
  return packages.names.length ? packages : undefined;
}

/** Tags that name a distribution: a reference with one of these contradicts the other family. */
const DEBIAN_TAG = /(?:^|[-.])(?:slim|bookworm|bullseye|buster|trixie|jammy|noble|focal)(?:$|[-.])/;
const ALPINE_TAG = /(?:^|[-.])alpine(?:\d+(?:\.\d+)*)?(?:$|[-.])/;

function checkImageFamily(image: BaseImage, family: PythonOsFamily, what: string, problem: (m: string) => void) {
  if (!(image instanceof BaseImage)) {
    problem(`${what} must be a BaseImage, e.g. BaseImage.fromRegistry("python:3.11-slim-bookworm")`);
    return;
  }
  const tag = image.reference?.split('@')[0].split('/').pop()?.split(':')[1];
  if (!tag) return;
  const looksDebian = DEBIAN_TAG.test(tag);
  const looksAlpine = ALPINE_TAG.test(tag);
  if (family.packageManager === PackageManager.APK && looksDebian && !looksAlpine) {
    problem(`${what} "${image.reference}" is a Debian image but osFamily is Alpine (packages would be installed with apk); pass osFamily: PythonOsFamily.DEBIAN_SLIM, or an Alpine image`);
  } else if (family.packageManager === PackageManager.APT && looksAlpine) {
    problem(`${what} "${image.reference}" is an Alpine image but osFamily is Debian (packages would be installed with apt-get); pass osFamily: PythonOsFamily.ALPINE, or a Debian image`);
  }
}

function checkedArgs(args: string[] | undefined, what: string, problem: (m: string) => void): string[] {
  if (args === undefined) return [];
  if (!Array.isArray(args) || args.some(a => typeof a !== 'string')) {
    problem(`${what} must be a list of arguments, one per entry, e.g. ["--no-index"]`);
    return [];
  }
  const bad = args.filter(a => !isCleanText(a) || a.endsWith('\\'));
  if (bad.length) {
    problem(`${what} ${JSON.stringify(bad)} contain a control character or end with a backslash, which would end or continue the RUN line; remove it`);
    return [];
  }
  return args;
}

function checkedContextPaths(paths: string[] | undefined, fallback: string[], what: string, problem: (m: string) => void): string[] {
  if (paths === undefined) return fallback;
  if (!Array.isArray(paths)) {
    problem(`${what} must be a list of paths relative to the build context, e.g. ["."]`);
    return [];
  }
  const ok: string[] = [];
  for (const p of paths) {
    const m = contextPathProblem(p, what, 'give a path inside the build context, e.g. "." or "mysite"');
    if (m) problem(m);
    else ok.push(p);
  }
  return ok;
}

/** The default probe: python3 (every image of the preset has it; no curl or wget needed) GETs the path; any answer below 500 is healthy. */
function defaultHealthCheck(path: string | undefined, port: number, problem: (m: string) => void): HealthCheck {
  let target = path ?? '/';
  if (!isCleanText(target) || !/^\/[A-Za-z0-9._~!&()*+,;=:@%/?-]*$/.test(target)) {
    problem(`healthCheckPath ${JSON.stringify(target)} must be a URL path starting with "/" without spaces, quotes or backslashes, e.g. "/health/"`);
    target = '/';
  }
  const probe = `import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', ${port}, timeout=4); c.request('GET', '${target}'); sys.exit(c.getresponse().status >= 500)`;
  return HealthCheck.exec(['python3', '-c', probe], { interval: '30s', timeout: '5s', startPeriod: '10s', startInterval: '2s', retries: 3 });
}
