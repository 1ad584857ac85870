/**
 * The checks of the Python presets' options: each returns a safe value and reports what is wrong
 * (the value, the rule and the fix) through `problem`, so the rest of the file stays valid and each
 * mistake is reported once.
 * @internal
 */
import * as posix from 'node:path/posix';
import type { PythonDockerfileOptions } from './python-dockerfile-options';
import { PythonOsFamily } from './python-os-family';
import { PackageManager, SystemPackages } from './system-packages';
import { contextPathProblem, imagePathProblem } from './text';
import { isCleanText } from '../core/text-rules';
import { BaseImage } from '../dockerfile/base-image';
import { HealthCheck } from '../dockerfile/health-check';

export const DEFAULT_PYTHON = '3.11';
export const DEFAULT_UID = 10001;

export interface DocumentedEnv { readonly name: string; readonly value: string; readonly description?: string }

export type Report = (m: string) => void;

export function pythonEnvironment(
  extra: { [name: string]: string } | undefined, framework: Record<string, string>, problem: Report,
): DocumentedEnv[] {
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

export function checkedPythonVersion(version: string | undefined, problem: Report, origin?: string): string {
  if (version === undefined) return DEFAULT_PYTHON;
  const m = isCleanText(version) ? /^3\.(\d{1,2})(?:\.\d{1,3})?$/.exec(version) : null;
  if (!m || Number(m[1]) < 8) {
    problem(origin
      ? `${origin} names Python ${JSON.stringify(version)}, but the preset builds Python 3.8 or later from the official images; pass pythonVersion (e.g. "3.11") or change the project's constraint`
      : `pythonVersion ${JSON.stringify(version)} is not a Python version of the form "3.<minor>[.<patch>]" (3.8 or later); pass e.g. pythonVersion: "3.11" or "3.12.4"`);
    return DEFAULT_PYTHON;
  }
  return version;
}

export function pythonMinor(version: string): number {
  return Number(version.split('.')[1]);
}

export function checkedImagePath(value: string | undefined, fallback: string, what: string, problem: (m: string) => void): string {
  if (value === undefined) return fallback;
  const p = imagePathProblem(value, what, fallback) ?? (value === '/' ? `${what} must not be "/"; use e.g. "${fallback}"` : undefined);
  if (p) {
    problem(p);
    return fallback;
  }
  return value;
}

const MAX_ID = 2 ** 31 - 1;

export function checkedUser(options: PythonDockerfileOptions, problem: (m: string) => void) {
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

export function checkedPort(port: number | undefined, problem: (m: string) => void): number {
  if (port === undefined) return 8000;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problem(`port ${JSON.stringify(port)} must be an integer between 1 and 65535, e.g. 8000`);
    return 8000;
  }
  return port;
}

export function checkedPackages(
  packages: SystemPackages | undefined, family: PythonOsFamily, what: string, problem: Report,
): SystemPackages | undefined {
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

export function checkImageFamily(image: BaseImage, family: PythonOsFamily, what: string, problem: (m: string) => void) {
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

export function checkedArgs(args: string[] | undefined, what: string, problem: (m: string) => void): string[] {
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

export function checkedContextPaths(paths: string[] | undefined, fallback: string[], what: string, problem: (m: string) => void): string[] {
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
export function defaultHealthCheck(path: string | undefined, port: number, problem: (m: string) => void): HealthCheck {
  let target = path ?? '/';
  if (!isCleanText(target) || !/^\/[A-Za-z0-9._~!&()*+,;=:@%/?-]*$/.test(target)) {
    problem(`healthCheckPath ${JSON.stringify(target)} must be a URL path starting with "/" without spaces, quotes or backslashes, e.g. "/health/"`);
    target = '/';
  }
  const probe = `import http.client, sys; c = http.client.HTTPConnection('127.0.0.1', ${port}, timeout=4); c.request('GET', '${target}'); sys.exit(c.getresponse().status >= 500)`;
  return HealthCheck.exec(['python3', '-c', probe], { interval: '30s', timeout: '5s', startPeriod: '10s', startInterval: '2s', retries: 3 });
}

/**
 * The absolute image paths the runtime user may write, created and chowned to it. Relative entries are
 * relative to the working directory. The working directory itself, its parents, the virtual environment
 * (or a path inside it or above it) and "/" are refused: they would make the application or its
 * dependencies writable again.
 */
export function checkedWritablePaths(paths: string[] | undefined, workdir: string, venv: string, problem: Report): string[] {
  if (paths === undefined) return [];
  if (!Array.isArray(paths)) {
    problem(`writablePaths must be a list of paths, e.g. ["media", "/var/cache/app"], got ${JSON.stringify(paths)}`);
    return [];
  }
  const out: string[] = [];
  const within = (child: string, parent: string) => child === parent || child.startsWith(parent === '/' ? '/' : `${parent}/`);
  for (const p of paths) {
    const relative = typeof p === 'string' && !p.startsWith('/');
    const dotted = typeof p === 'string' && relative && p.split('/').some(s => s === '.' || s === '..');
    if (typeof p !== 'string' || p.length === 0 || dotted || imagePathProblem(relative ? `${workdir}/${p}` : p, '', '') !== undefined) {
      problem(`writablePaths entry ${JSON.stringify(p)} must be a plain directory path, absolute or relative to the working directory ${workdir} `
        + '(letters, digits and "._-/@+", no "." or ".." segments, no trailing "/"), e.g. "media" or "/var/cache/app"');
      continue;
    }
    const absolute = posix.normalize(relative ? `${workdir}/${p}` : p);
    const shown = relative ? `${JSON.stringify(p)} (${absolute})` : JSON.stringify(p);
    if (within(workdir, absolute)) {
      problem(`writablePaths entry ${shown} is the working directory ${workdir} or a directory above it: the application would be writable again; name only the directories it writes, e.g. "media"`);
    } else if (within(absolute, venv) || within(venv, absolute)) {
      problem(`writablePaths entry ${shown} overlaps the virtual environment ${venv}: the installed dependencies must stay read-only; choose another directory, e.g. "/var/cache/app"`);
    } else if (!out.includes(absolute)) {
      out.push(absolute);
    }
  }
  return out;
}
