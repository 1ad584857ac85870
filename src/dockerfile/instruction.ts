import type { DockerfileStage } from './stage';

/**
 * What an instruction can see while it is validated: the stage it belongs to
 * and the variables in scope at its position.
 * @internal
 */
export interface ValidationContext {
  readonly stage: DockerfileStage;
  /** Names of ARG/ENV variables declared so far in this stage (and ENV inherited from a stage base). */
  readonly variables: Set<string>;
  /** Whether a WORKDIR is in effect. */
  readonly hasWorkdir: boolean;
  /** Record a problem. */
  problem(message: string): void;
  /** Record a reference to another stage, which must be an earlier stage of the same file. */
  reference(stage: DockerfileStage, how: string): void;
}

/**
 * One rendered Dockerfile instruction.
 * @internal
 */
export interface Instruction {
  /** The keyword (RUN, COPY, ...), or '#' for a comment. */
  readonly keyword: string;
  /** BuildKit check names this instruction deliberately opts out of (rendered into `# check=skip=`). */
  readonly skipChecks?: string[];
  validate(ctx: ValidationContext): void;
  render(): string;
}
