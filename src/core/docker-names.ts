/**
 * Dockerfile names shared by the Dockerfile model and the workflow that builds it.
 * @internal
 */

/** A build stage name (`FROM ... AS <name>`): lowercase, starting with a letter (BuildKit StageNameCasing). @internal */
export const STAGE_NAME = /^[a-z][a-z0-9._-]*$/;

/** An ARG/ENV variable name: letters, digits and underscores, not starting with a digit. @internal */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
