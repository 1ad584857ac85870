import type { IConstruct } from 'constructs';
import { FileBase, IResolver } from 'projen';
import { ensureValidationGate, findProject } from './validation-gate';
import type { GeneratedFile } from '../core/file-hosts';
import { ProjenWorkflowHardening } from '../workflow/projen-hardening';

/**
 * A declared file written by projen: read-only, with projen's marker. Validation already ran in
 * preSynthesize (the validation gate), so synthesizeContent only renders.
 */
class GeneratedProjenFile extends FileBase {
  constructor(scope: IConstruct, private readonly file: GeneratedFile) {
    super(scope, file.path);
  }
  protected synthesizeContent(_: IResolver): string | undefined {
    return this.file.render(this.marker);
  }
}

/**
 * The projen host: when `owner` lives in a projen project, writes each declared file as a projen
 * file, makes the project validate the whole tree before anything is written, and hardens projen's
 * own workflows (see ProjenWorkflowHardening).
 * @internal
 */
export function adoptInProjen(owner: IConstruct, files: readonly GeneratedFile[]): boolean {
  const project = findProject(owner);
  if (!project) return false;
  ensureValidationGate(project);
  // a project that builds images gets projen's own workflows pinned and read-only at the top
  ProjenWorkflowHardening.of(project);
  for (const f of files) new GeneratedProjenFile(owner, f);
  return true;
}
