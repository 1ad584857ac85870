import type { IConstruct } from 'constructs';
import { FileBase, IResolver } from 'projen';

/**
 * Writes a preset's generated markdown as a read-only file of the projen project it is in.
 * Validation already ran in preSynthesize (the validation gate), so this only renders.
 * @internal
 */
export class PresetDocsFile extends FileBase {
  constructor(scope: IConstruct, path: string, private readonly renderDocs: (marker: string | undefined) => string) {
    super(scope, path);
  }
  protected synthesizeContent(_: IResolver): string | undefined {
    return this.renderDocs(this.marker);
  }
}
