/** Timing options of a HEALTHCHECK. Durations are Go durations such as `30s` or `1m30s`. */
export interface HealthCheckOptions {
  /**
   * Time between checks.
   * @default 30s
   */
  readonly interval?: string;
  /**
   * Time after which one check is considered failed.
   * @default 30s
   */
  readonly timeout?: string;
  /**
   * Grace period after start during which failures do not count.
   * @default 0s
   */
  readonly startPeriod?: string;
  /**
   * Time between checks during the start period.
   * @default 5s
   */
  readonly startInterval?: string;
  /**
   * Consecutive failures before the container is unhealthy.
   * @default 3
   */
  readonly retries?: number;
}

/** A HEALTHCHECK: a command in exec form (preferred) or shell form, or NONE. */
export class HealthCheck {
  /** Run `command` (exec form, no shell) to check health. */
  public static exec(command: string[], options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(command, undefined, options);
  }

  /** Run `command` through the image's shell. */
  public static shell(command: string, options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(undefined, command, options);
  }

  /** Disable any health check inherited from the base image (`HEALTHCHECK NONE`). */
  public static none(): HealthCheck {
    return new HealthCheck(undefined, undefined, {});
  }

  /** Exec-form command, if any. */
  public readonly execCommand?: string[];
  /** Shell-form command, if any. */
  public readonly shellCommand?: string;
  /** Timing options. */
  public readonly options: HealthCheckOptions;

  private constructor(execCommand: string[] | undefined, shellCommand: string | undefined, options: HealthCheckOptions) {
    this.execCommand = execCommand;
    this.shellCommand = shellCommand;
    this.options = options;
  }
}
