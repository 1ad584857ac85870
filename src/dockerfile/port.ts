/** A transport protocol for EXPOSE. */
export enum PortProtocol {
  /** TCP. */
  TCP = 'tcp',
  /** UDP. */
  UDP = 'udp',
}

/** A port (or range) a container listens on, for EXPOSE. */
export class Port {
  /** A TCP port. */
  public static tcp(port: number): Port {
    return new Port(port, port, PortProtocol.TCP);
  }

  /** A UDP port. */
  public static udp(port: number): Port {
    return new Port(port, port, PortProtocol.UDP);
  }

  /** A range of ports, inclusive. */
  public static range(from: number, to: number, protocol: PortProtocol = PortProtocol.TCP): Port {
    return new Port(from, to, protocol);
  }

  /** First port. */
  public readonly from: number;
  /** Last port (same as `from` for a single port). */
  public readonly to: number;
  /** Protocol. */
  public readonly protocol: PortProtocol;

  private constructor(from: number, to: number, protocol: PortProtocol) {
    this.from = from;
    this.to = to;
    this.protocol = protocol;
  }

  /** @internal */
  public _problem(): string | undefined {
    const ok = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;
    if (!ok(this.from) || !ok(this.to)) {
      return `EXPOSE port ${this.from === this.to ? this.from : `${this.from}-${this.to}`} is not a valid port; use integers 1-65535 (hadolint DL3011)`;
    }
    if (this.to < this.from) {
      return `EXPOSE range ${this.from}-${this.to} is reversed; give the lower port first`;
    }
    if (this.protocol !== PortProtocol.TCP && this.protocol !== PortProtocol.UDP) {
      return `EXPOSE protocol "${this.protocol}" is not tcp or udp`;
    }
    return undefined;
  }

  /** @internal */
  public _render(): string {
    return `${this.from === this.to ? this.from : `${this.from}-${this.to}`}/${this.protocol}`;
  }
}
