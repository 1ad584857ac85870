import { readFileSync } from 'fs';
import { DEFAULT_MANIFEST_PATH } from './constants';
import { manifestShapeProblems } from './manifest-check';
import type { PipelineManifest } from './pipeline-manifest';
import { DockyardValidationError } from '../core/problems';

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
  public static readonly DEFAULT_PATH = DEFAULT_MANIFEST_PATH;

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
