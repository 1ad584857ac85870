/**
 * How a model construct (a Dockerfile, a preset's docs) gets its files written without knowing who
 * writes them: it declares each file as a path and a render function, and every registered host is
 * offered the files. The projen adapter (src/projen) is such a host: it adopts the files of
 * constructs that live in a projen project. Outside any host, the model only renders to strings.
 * @internal
 */
import type { IConstruct } from 'constructs';

/** A file a model construct wants written. @internal */
export interface GeneratedFile {
  /** Path relative to the project root. */
  readonly path: string;
  /** The file's text; `marker` is the host's "generated, do not edit" notice, if any. */
  render(marker: string | undefined): string;
}

/** Something that writes declared files. @internal */
export interface FileHost {
  /** Takes over writing `files` of `owner` and returns true, or returns false when `owner` is not its concern. */
  adopt(owner: IConstruct, files: readonly GeneratedFile[]): boolean;
}

const hosts: FileHost[] = [];

/** Registers a host (once). @internal */
export function registerFileHost(host: FileHost): void {
  if (!hosts.includes(host)) hosts.push(host);
}

/** Offers `files` of `owner` to the hosts; returns whether one adopted them. @internal */
export function declareFiles(owner: IConstruct, files: readonly GeneratedFile[]): boolean {
  return hosts.some(h => h.adopt(owner, files));
}
