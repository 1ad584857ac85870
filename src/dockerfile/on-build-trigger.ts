import { CopyInstruction } from './copy-instructions';
import type { Instruction } from './instruction';
import { EnvInstruction, RunInstruction, WorkdirInstruction } from './instructions';

/** An instruction for ONBUILD, run when the image is used as the base of another build. */
export class OnBuildTrigger {
  /** `ONBUILD RUN <command>` (shell form). */
  public static run(command: string): OnBuildTrigger {
    return new OnBuildTrigger(new RunInstruction('shell', command, {}));
  }

  /** `ONBUILD RUN [...]` (exec form). */
  public static runExec(command: string[]): OnBuildTrigger {
    return new OnBuildTrigger(new RunInstruction('exec', [...command], {}));
  }

  /** `ONBUILD COPY <sources> <destination>` from the child build's context. */
  public static copy(sources: string[], destination: string, chown?: string): OnBuildTrigger {
    return new OnBuildTrigger(new CopyInstruction('COPY', [...sources], destination, { chown }));
  }

  /** `ONBUILD ENV name="value"`. */
  public static env(name: string, value: string): OnBuildTrigger {
    return new OnBuildTrigger(new EnvInstruction(name, value, {}));
  }

  /** `ONBUILD WORKDIR <path>`. */
  public static workdir(path: string): OnBuildTrigger {
    return new OnBuildTrigger(new WorkdirInstruction(path, false));
  }

  /** @internal */
  public readonly _instruction: Instruction;

  private constructor(instruction: Instruction) {
    this._instruction = instruction;
  }
}
