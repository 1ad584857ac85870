import { FileBase, IResolver } from 'projen';
import type { MultiStageDockerfile } from './multi-stage-dockerfile';

/**
 * Writes a MultiStageDockerfile (and its ignore file) as read-only generated
 * files of the projen project it is in. Validation already ran in preSynthesize
 * (see the validation gate), so synthesizeContent only renders.
 * @internal
 */
export class DockerfileProjenFiles {
  public static attach(dockerfile: MultiStageDockerfile): void {
    new DockerfileFile(dockerfile);
    if (dockerfile.ignoreFilePath) {
      new DockerignoreFile(dockerfile, dockerfile.ignoreFilePath);
    }
  }
}

class DockerfileFile extends FileBase {
  constructor(private readonly dockerfile: MultiStageDockerfile) {
    super(dockerfile, dockerfile.path);
  }
  protected synthesizeContent(_: IResolver): string | undefined {
    return this.dockerfile._renderUnchecked(this.marker);
  }
}

class DockerignoreFile extends FileBase {
  constructor(private readonly dockerfile: MultiStageDockerfile, path: string) {
    super(dockerfile, path);
  }
  protected synthesizeContent(_: IResolver): string | undefined {
    return `${this.marker ? `# ${this.marker}\n` : ''}${this.dockerfile.ignore.render()}`;
  }
}
