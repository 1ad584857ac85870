import { existsSync, readFileSync } from 'fs';
import { dirname, isAbsolute, join, relative, resolve } from 'path';
import { DEFAULT_MANIFEST_PATH } from './constants';
import { manifestShapeProblems } from './manifest-check';
import type { PipelineManifest } from './pipeline-manifest';
import { codeOwnersLocations } from '../core/github-names';
import { DockyardValidationError } from '../core/problems';

/** What the file system says about the repository a manifest was read from. */
interface RepositoryFacts {
  /** The repository root (absolute). */
  readonly root: string;
  /** The CODEOWNERS file GitHub would use, relative to the root; undefined when there is none. */
  readonly codeOwners?: string;
}

/** The repository of each manifest read from a file, when it could be told. */
const repositories = new WeakMap<object, RepositoryFacts>();

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
   * Reads and checks the manifest.
   *
   * Without `path`, it is found from the cdktf app wherever the app lives:
   * `.github/dockyard-pipeline.json` in the working directory (where cdktf runs
   * `main.ts`: the directory of `cdktf.json`) or the nearest ancestor that has
   * one, up to the repository root (the directory holding `.git`).
   *
   * @param path the manifest file, relative to the working directory or absolute
   * @default - the nearest `.github/dockyard-pipeline.json` from the working directory up to the repository root
   * @throws DockyardValidationError when no manifest is found, the file cannot be read, is not JSON, or does not have the manifest's shape
   */
  public static read(path?: string): PipelineManifest {
    const file = path ?? PipelineManifestFile.find(process.cwd());
    const shown = isAbsolute(file) ? relative(process.cwd(), file) || file : file;
    let text: string;
    try {
      text = readFileSync(resolve(process.cwd(), file), 'utf-8');
    } catch (e) {
      throw new DockyardValidationError([
        `[${shown}] cannot read the pipeline manifest (${(e as Error).message}): run "npx projen" in the repository root so the `
        + 'publish workflow writes it, or pass the path of the manifest, relative to the directory cdktf runs main.ts in (the one holding cdktf.json)',
      ]);
    }
    const manifest = PipelineManifestFile.parse(text, shown);
    const root = repositoryRootOf(resolve(process.cwd(), file));
    if (root !== undefined) {
      repositories.set(manifest, { root, codeOwners: codeOwnersLocations().find(l => existsSync(join(root, l))) });
    }
    return manifest;
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

  /**
   * The repository a manifest was read from by `read()`, and its CODEOWNERS file (relative to the root),
   * or undefined when the manifest was not read from a file or its repository root is unknown.
   * @internal
   */
  public static _repositoryOf(manifest: PipelineManifest): { readonly root: string; readonly codeOwners?: string } | undefined {
    return repositories.get(manifest);
  }

  /** The nearest manifest from `start` up to the repository root, or an error naming every place looked. */
  private static find(start: string): string {
    const looked: string[] = [];
    let stop = 'the filesystem root';
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, DEFAULT_MANIFEST_PATH);
      looked.push(candidate);
      if (existsSync(candidate)) return candidate;
      if (existsSync(join(dir, '.git'))) {
        stop = `the repository root ${dir}, which holds .git`;
        break;
      }
      if (dirname(dir) === dir) break;
    }
    throw new DockyardValidationError([
      `[PipelineManifestFile.read()] no pipeline manifest found: looked for ${looked.join(', ')} (from the working directory up to ${stop}): `
      + `run "npx projen" in the repository root so the publish workflow (GhcrPublishWorkflow) writes ${DEFAULT_MANIFEST_PATH}, `
      + 'or pass the manifest\'s path to PipelineManifestFile.read(path), relative to the directory cdktf runs main.ts in (the one holding cdktf.json)',
    ]);
  }

  private constructor() {}
}

/**
 * The root of the repository a manifest file belongs to: the directory that holds `.github/` for a manifest
 * at the default place, else the nearest ancestor holding `.git`; undefined when there is none.
 */
function repositoryRootOf(file: string): string | undefined {
  const parent = dirname(file);
  if (join(dirname(parent), DEFAULT_MANIFEST_PATH) === file) return dirname(parent);
  for (let dir = parent; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
