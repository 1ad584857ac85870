import { readFileSync } from 'fs';
import { DockyardValidationError } from '../core/problems';
import type { PipelineManifest } from '../pipeline/pipeline-manifest';

/** The manifest schema versions this library reads. */
const SUPPORTED_SCHEMA_VERSION = 1;

/**
 * Reads the pipeline manifest (`.github/dockyard-pipeline.json`) that projen
 * writes next to the generated workflows, for a cdktf `main.ts`.
 *
 * The `.projenrc.ts` and the cdktf app are separate programs: projen writes
 * the facts of the workflows it generated (check names, actions used,
 * branches and environments) into this file, and the cdktf app reads them,
 * so no fact is typed twice. Commit the file; the synth-drift job keeps it
 * current.
 */
export class PipelineManifestFile {
  /** Where projen writes the manifest, relative to the repository root. */
  public static readonly DEFAULT_PATH = '.github/dockyard-pipeline.json';

  /**
   * Reads and checks the manifest at `path`.
   * @param path the manifest file, relative to the working directory
   * @default PipelineManifestFile.DEFAULT_PATH
   * @throws DockyardValidationError when the file is missing, is not JSON, or does not have the manifest's shape
   */
  public static read(path: string = PipelineManifestFile.DEFAULT_PATH): PipelineManifest {
    let text: string;
    try {
      text = readFileSync(path, 'utf-8');
    } catch (e) {
      throw new DockyardValidationError([
        `[${path}] cannot read the pipeline manifest (${(e as Error).message}): run "npx projen" in the repository root so the `
        + 'publish workflow writes it, or pass the path of the manifest (cdktf runs main.ts from the cdktf.json directory)',
      ]);
    }
    return PipelineManifestFile.parse(text, path);
  }

  /**
   * Parses and checks a manifest given as JSON text.
   * @param json the manifest's JSON text
   * @param source a name for the text in error messages
   * @throws DockyardValidationError listing every problem of the manifest's shape
   */
  public static parse(json: string, source: string = 'pipeline manifest'): PipelineManifest {
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch (e) {
      throw new DockyardValidationError([`[${source}] is not valid JSON (${(e as Error).message}): run "npx projen" to rewrite it`]);
    }
    const problems = manifestShapeProblems(data).map(p => `[${source}] ${p}`);
    if (problems.length > 0) {
      throw new DockyardValidationError(problems);
    }
    return data as PipelineManifest;
  }

  private constructor() {}
}

/**
 * Checks that a value has the manifest's shape (types of every field); the
 * values themselves are checked by the construct that uses them.
 * @internal
 */
export function manifestShapeProblems(data: unknown): string[] {
  const problems: string[] = [];
  const fix = 'run "npx projen" to rewrite the manifest';
  if (!isObject(data)) {
    return [`the manifest is not a JSON object: ${fix}`];
  }
  const expect = (ok: boolean, field: string, type: string) => {
    if (!ok) {
      problems.push(`field "${field}" must be ${type}, found ${JSON.stringify(data[field.split(/[.[]/)[0]]) ?? 'nothing'}: ${fix}`);
    }
  };
  if (typeof data.schemaVersion === 'number' && data.schemaVersion > SUPPORTED_SCHEMA_VERSION) {
    problems.push(`schemaVersion ${data.schemaVersion} was written by a newer cdk-dockyard than this one (reads ${SUPPORTED_SCHEMA_VERSION}): `
      + 'use the same cdk-dockyard version in the projen and cdktf programs');
  } else {
    expect(data.schemaVersion === SUPPORTED_SCHEMA_VERSION, 'schemaVersion', `${SUPPORTED_SCHEMA_VERSION}`);
  }
  expect(data.imageName === undefined || typeof data.imageName === 'string', 'imageName', 'a string or absent');
  expect(typeof data.registry === 'string', 'registry', 'a string');
  expect(isObject(data.dockerfile) && ['path', 'target', 'context'].every(k => typeof (data.dockerfile as any)[k] === 'string'),
    'dockerfile', 'an object with string path, target and context');
  expect(Array.isArray(data.deployments) && data.deployments.every(d =>
    isObject(d) && typeof d.branch === 'string' && typeof d.environment === 'string'),
  'deployments', 'an array of { branch, environment } strings');
  expect(data.tagEnvironment === undefined || typeof data.tagEnvironment === 'string', 'tagEnvironment', 'a string or absent');
  expect(data.tagPattern === undefined || typeof data.tagPattern === 'string', 'tagPattern', 'a string or absent');
  expect(data.mergeQueue === undefined || typeof data.mergeQueue === 'boolean', 'mergeQueue', 'a boolean or absent');
  expect(isStringArray(data.requiredChecks), 'requiredChecks', 'an array of strings');
  expect(Array.isArray(data.actions) && data.actions.every(a =>
    isObject(a) && typeof a.action === 'string' && typeof a.ref === 'string'
    && (a.version === undefined || typeof a.version === 'string') && isStringArray(a.workflows)),
  'actions', 'an array of { action, ref, version?, workflows[] }');
  expect(typeof data.shaPinned === 'boolean', 'shaPinned', 'a boolean');
  expect(isStringArray(data.workflows), 'workflows', 'an array of strings');
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string');
}
