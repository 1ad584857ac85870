import { PackageManager } from './system-packages';

/** Options of a Debian-based Python image. */
export interface DebianFamilyOptions {
  /**
   * Use the `-slim` variant of the official image (no compilers, much smaller).
   * @default true
   */
  readonly slim?: boolean;
}

/**
 * The distribution of the official `python` image a preset starts from: it decides the image tag
 * (`python:<version>-<tag>`), the package manager and how the runtime user is created.
 */
export class PythonOsFamily {
  /** Alpine Linux (`python:<version>-alpine`), packages with apk, users with busybox addgroup/adduser. */
  public static readonly ALPINE = new PythonOsFamily('alpine', 'alpine', PackageManager.APK);
  /** Debian bookworm, slim (`python:<version>-slim-bookworm`), packages with apt-get, users with groupadd/useradd. */
  public static readonly DEBIAN_SLIM = new PythonOsFamily('debian', 'slim-bookworm', PackageManager.APT);

  /** A specific Alpine release, e.g. `PythonOsFamily.alpine('3.20')` for `python:<version>-alpine3.20`. */
  public static alpine(release: string): PythonOsFamily {
    return new PythonOsFamily('alpine', `alpine${release}`, PackageManager.APK, /^\d+\.\d+$/.test(String(release))
      ? undefined : `Alpine release ${JSON.stringify(release)} must look like "3.20"`);
  }

  /** A Debian release by codename, e.g. `PythonOsFamily.debian('bookworm')` for `python:<version>-slim-bookworm`. */
  public static debian(codename: string, options: DebianFamilyOptions = {}): PythonOsFamily {
    const slim = options.slim ?? true;
    return new PythonOsFamily('debian', slim ? `slim-${codename}` : String(codename), PackageManager.APT, /^[a-z]+$/.test(String(codename))
      ? undefined : `Debian codename ${JSON.stringify(codename)} must be lowercase letters, e.g. "bookworm"`);
  }

  /** `alpine` or `debian`. */
  public readonly name: string;
  /** The tag suffix of the official image: `python:<version>-<imageTagSuffix>`. */
  public readonly imageTagSuffix: string;
  /** The package manager of the distribution. */
  public readonly packageManager: PackageManager;
  /** @internal */
  public readonly _problem?: string;

  private constructor(name: string, imageTagSuffix: string, packageManager: PackageManager, problem?: string) {
    this.name = name;
    this.imageTagSuffix = imageTagSuffix;
    this.packageManager = packageManager;
    this._problem = problem;
  }

  /** The command that creates a group and a user without login or home directory creation. @internal */
  public _createUserCommand(name: string, uid: number, gid: number, home: string): string {
    if (this.packageManager === PackageManager.APK) {
      // busybox addgroup/adduser: -S system, -D no password, -H do not create the home directory
      return `addgroup -S -g ${gid} ${name} && adduser -S -D -H -u ${uid} -G ${name} -h ${home} -s /sbin/nologin ${name}`;
    }
    // --no-log-init: a high UID would otherwise make /var/log/lastlog and faillog huge sparse files
    return `groupadd --gid ${gid} ${name} && useradd --no-log-init --uid ${uid} --gid ${gid} --no-create-home --home-dir ${home} --shell /usr/sbin/nologin ${name}`;
  }
}
