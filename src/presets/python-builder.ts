/**
 * The stages shared by the production and development Python presets, built only with the public
 * MultiStageDockerfile/DockerfileStage API. Every option is checked here; an invalid value is
 * reported (through the Dockerfile's validation, so nothing is written) and left out of the file,
 * so each mistake is reported once, by the option that caused it.
 * @internal
 */
import * as posix from 'node:path/posix';
import type { Construct } from 'constructs';
// the files that define what is used, not the folder's index: loading a preset loads no unused sibling
import { DependencyManifest } from './dependency-manifest';
import {
  checkedArgs, checkedContextPaths, checkedImagePath, checkedPackages, checkedPort, checkedPythonVersion, checkedUser,
  checkedWritablePaths, checkImageFamily, DEFAULT_PYTHON, defaultHealthCheck, pythonEnvironment, pythonMinor,
} from './python-checks';
import type { PythonDockerfileOptions } from './python-dockerfile-options';
import { PYTHON_IGNORE_PATTERNS } from './python-ignore';
import { PythonOsFamily } from './python-os-family';
import { projectDefaults, versionConflicts } from './python-project-facts';
import { contextPathProblem, execFormProblem, shellQuote } from './text';
import { BaseImage } from '../dockerfile/base-image';
import { IgnoreFilePlacement } from '../dockerfile/docker-ignore';
import { MultiStageDockerfile } from '../dockerfile/multi-stage-dockerfile';
import { Port } from '../dockerfile/port';
import { RunMount, RunNetwork } from '../dockerfile/run-mount';
import { DockerfileStage } from '../dockerfile/stage';

/** Where the dependencies stage writes the wheels the final stage bind-mounts. */
export const WHEEL_DIR = '/wheels';
/** The cache mount of pip's download/build cache. */
export const PIP_CACHE = '/root/.cache/pip';
/**
 * The mode of the copied source: owned by root, readable by everyone, writable by nobody else; directories
 * (and files already executable) searchable, other files 0644. Symbolic and fixed, so the image does not
 * depend on the checkout's modes (a 0600 file would be unreadable to the runtime user, a 0666 one writable).
 */
export const SOURCE_MODE = 'u=rwX,go=rX';

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
  /** Directories the runtime user may write (absolute, or relative to the working directory). */
  readonly writablePaths: string[] | undefined;
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
  readonly venv: string;
  /** Absolute paths the runtime user may write (everything else it can only read). */
  readonly writablePaths: string[];
  /** Where the Python version came from: the option, the project's constraint, or the default. */
  readonly pythonVersionOrigin: string;
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
  const context = options.context ?? '.';
  // what the project the preset lives in already knows (a projen python.PythonProject: manifest, Python version)
  const project = projectDefaults(scope, context, DEFAULT_PYTHON);
  const versionOrigin = options.pythonVersion !== undefined ? 'pythonVersion'
    : project.pythonVersion !== undefined ? `the project's ${project.facts?.pythonConstraintSource ?? 'Python constraint'}` : 'the default';
  const pythonVersion = options.pythonVersion === undefined && project.pythonVersion !== undefined
    ? checkedPythonVersion(project.pythonVersion, problem, `${versionOrigin} ${JSON.stringify(project.facts?.pythonConstraint)}`)
    : checkedPythonVersion(options.pythonVersion, problem);
  const family = options.osFamily ?? PythonOsFamily.ALPINE;
  if (family._problem) problem(`osFamily: ${family._problem}`);
  const workdir = checkedImagePath(options.workdir, '/app', 'workdir', problem);
  const venv = checkedImagePath(options.venvPath, '/opt/venv', 'venvPath', problem);
  const { userName, uid, gid } = checkedUser(options, problem);
  const port = checkedPort(options.port, problem);
  const path = options.path ?? mode.defaultPath;
  const docsPath = options.disableDocs ? undefined : options.docsPath ?? `${path}.md`;
  if (docsPath !== undefined) {
    const p = contextPathProblem(docsPath, 'docsPath', 'give a path relative to the project root such as "docker/README.md"');
    if (p) problem(p);
    else if (posix.normalize(docsPath) === posix.normalize(path)) problem(`docsPath "${docsPath}" is the Dockerfile itself; choose another path such as "${path}.md"`);
  }
  const framework = options.framework;
  const frameworkProblem = framework?._problem();
  if (frameworkProblem) problem(`framework: ${frameworkProblem}`);
  const manifest = options.dependencies ?? project.manifest ?? DependencyManifest.requirements();
  const manifestProblems = manifest._problems('dependencies');
  problems.push(...manifestProblems);
  if (manifest._needsTomllib && pythonMinor(pythonVersion) < 11) {
    problem(`dependencies: DependencyManifest.${manifest.kind}() reads pyproject.toml with tomllib, which needs Python 3.11 or later, but pythonVersion is "${pythonVersion}" (${versionOrigin}); raise pythonVersion or use DependencyManifest.requirements()`);
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
  // the project's constraint is read again at synth time: a conflict, or a constraint changed after the preset was made
  const origin = options.pythonVersion !== undefined ? 'option' : project.pythonVersion !== undefined ? 'project' : 'default';
  // (a version the project names but the preset cannot build is reported above, once)
  if (!options.runtimeImage && !(origin === 'project' && pythonVersion !== project.pythonVersion)) {
    dockerfile.node.addValidation({ validate: () => versionConflicts(scope, context, pythonVersion, origin) });
  }

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
  // the user owns nothing here: the working directory and everything copied into it stay root's
  base.run(family._createUserCommand(userName, uid, gid, workdir));

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
    : `Production image: the dependencies in a virtual environment at ${venv} (installed from the wheels without copying them), the application source owned by root and read-only to the runtime user, no build tools; runs as UID ${uid}.`;
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
  // the application belongs to root and is read-only to the runtime user (no --chown)
  for (const s of checkedContextPaths(mode.sources, mode.defaultSources, 'sources', problem)) {
    const n = posix.normalize(s);
    final.copy([s], n === '.' ? `${workdir}/` : `${workdir}/${n}`, { chmod: SOURCE_MODE });
  }
  // collectstatic runs as root before USER: the collected files are root's and read-only too
  if (mode.collectStatic) {
    if (!framework?.isDjango) problem('collectStatic needs a Django project; pass framework: PythonFramework.django("<project>") or drop collectStatic');
    else final.run('python3 manage.py collectstatic --noinput');
  }
  const writablePaths = checkedWritablePaths(mode.writablePaths, workdir, venv, problem);
  if (writablePaths.length) final.run(`mkdir -p ${writablePaths.join(' ')} && chown -R ${uid}:${gid} ${writablePaths.join(' ')}`);
  final.user(String(uid), String(gid));
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

  return {
    dockerfile,
    base,
    dependencies,
    final,
    docsPath,
    uid,
    gid,
    port,
    pythonVersion,
    workdir,
    venv,
    writablePaths,
    pythonVersionOrigin: versionOrigin,
    osFamily: family,
    stagePurposes,
  };
}
