import { isCleanText } from '../core/text-rules';

/** The system package manager of an image's distribution. */
export enum PackageManager {
  /** Alpine's `apk`. */
  APK = 'apk',
  /** Debian's and Ubuntu's `apt-get`. */
  APT = 'apt',
}

/** Package names as each manager accepts them, optionally pinned (`name=version`). */
const NAME: Record<PackageManager, RegExp> = {
  // e.g. gcc, musl-dev, postgresql16-dev, so:libpq.so.5, py3-pip=24.0-r2, libffi-dev~3.4
  [PackageManager.APK]: /^(?:[a-z0-9]+:)?[A-Za-z0-9][A-Za-z0-9._+-]*(?:[=~][A-Za-z0-9._+:-]+)?$/,
  // e.g. gcc, libpq-dev, libc6-dev:amd64, g++, libpq5=15.8-0+deb12u1
  [PackageManager.APT]: /^[a-z0-9][a-z0-9+.-]*(?::[a-z0-9-]+)?(?:=[A-Za-z0-9.+~:-]+)?$/,
};

/** How each manager's version pin is written, for messages. */
const PIN: Record<PackageManager, string> = {
  [PackageManager.APK]: '"name=version" (exact, e.g. "libpq=16.3-r0") or "name~version" (that version prefix, e.g. "libpq~16")',
  [PackageManager.APT]: '"name=version" (exact, e.g. "libpq5=15.8-0+deb12u1")',
};

/**
 * System packages to install with a distribution's package manager. The manager must match the
 * image's OS family (`PythonOsFamily`): apk packages on Alpine, apt packages on Debian.
 *
 * A name may carry a version pin, passed to the manager as written: `SystemPackages.apt(['libpq5=15.8-0+deb12u1'])`
 * installs exactly that Debian version (`apt-get install ... libpq5=15.8-0+deb12u1`);
 * `SystemPackages.apk(['libpq=16.3-r0', 'musl-dev~1.2'])` an exact Alpine version or any version with
 * that prefix. A pinned build is repeatable until the mirror drops the version (Debian keeps only the
 * newest of a release; Alpine a branch's), then it fails loudly instead of drifting: update the pin.
 */
export class SystemPackages {
  /** Alpine packages, installed with `apk add --no-cache`; each `name`, `name=version` or `name~version`. */
  public static apk(names: string[]): SystemPackages {
    return new SystemPackages(PackageManager.APK, names);
  }

  /** Debian packages, installed with `apt-get install -y --no-install-recommends` (the package lists are removed afterwards); each `name` or `name=version`. */
  public static apt(names: string[]): SystemPackages {
    return new SystemPackages(PackageManager.APT, names);
  }

  /** The package manager these names are for. */
  public readonly manager: PackageManager;
  /** The package names, in order, without duplicates. */
  public readonly names: string[];

  private constructor(manager: PackageManager, names: string[]) {
    this.manager = manager;
    this.names = Array.isArray(names) ? [...new Set(names)] : names;
  }

  /** @internal */
  public _problems(what: string): string[] {
    if (!Array.isArray(this.names)) return [`${what} must be a list of package names, got ${JSON.stringify(this.names)}`];
    const problems: string[] = [];
    for (const n of this.names) {
      if (!isCleanText(n) || !NAME[this.manager].test(n)) {
        problems.push(`${what}: ${JSON.stringify(n)} is not a valid ${this.manager} package name (letters, digits and "+.-" only, optionally pinned as ${PIN[this.manager]}; `
          + 'no spaces or shell characters such as ";", "&", "|", "$" or quotes); give one package name per list entry');
      }
    }
    return problems;
  }

  /** The shell command that installs the packages. @internal */
  public _installCommand(): string {
    const names = this.names.join(' ');
    return this.manager === PackageManager.APK
      ? `apk add --no-cache ${names}`
      : `apt-get update && apt-get install -y --no-install-recommends ${names} && rm -rf /var/lib/apt/lists/*`;
  }
}
