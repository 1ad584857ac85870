import type { Project } from 'projen';
import { DockyardValidationError } from '../../src/core/problems';

/** Synthesizes `project`, expecting it to fail validation; returns the error with every problem. */
export function synthFailure(project: Project): DockyardValidationError {
  let error: unknown;
  try {
    project.synth();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DockyardValidationError);
  return error as DockyardValidationError;
}
