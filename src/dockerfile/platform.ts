import { PLATFORM } from '../core/image-names';

/** The platform a stage is built for (`FROM --platform=...`). */
export class Platform {
  /** The platform of the build machine (`$BUILDPLATFORM`): for stages that only compile or download. */
  public static readonly BUILDPLATFORM = new Platform('$BUILDPLATFORM', false);
  /** The platform being built for (`$TARGETPLATFORM`). */
  public static readonly TARGETPLATFORM = new Platform('$TARGETPLATFORM', false);

  /**
   * A fixed platform such as `linux/amd64`. BuildKit's FromPlatformFlagConstDisallowed check
   * flags constant platforms; choosing one here is the explicit opt-out, so the generated file
   * skips that check.
   */
  public static custom(platform: string): Platform {
    return new Platform(platform, true);
  }

  /** The value rendered after `--platform=`. */
  public readonly value: string;
  /** Whether this is a constant (not a build variable). */
  public readonly constant: boolean;

  private constructor(value: string, constant: boolean) {
    this.value = value;
    this.constant = constant;
  }

  /** @internal */
  public _problem(): string | undefined {
    if (!this.constant) {
      return undefined;
    }
    return PLATFORM.test(this.value)
      ? undefined
      : `platform "${this.value}" is not of the form os/arch[/variant], e.g. linux/arm64/v8`;
  }
}
