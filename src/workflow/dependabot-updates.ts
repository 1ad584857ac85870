import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from 'projen';
import { github, YamlFile } from 'projen';

/**
 * The project's `.github/dependabot.yml`, limited to what is not generated. Dependabot cannot keep generated
 * files fresh (its pull requests edit files that `npx projen` rewrites, so the synth-drift job fails them):
 * the generated Dockerfiles and workflows are kept fresh by DockyardLock instead. What remains gets a cooldown:
 * - a `github-actions` entry only when `.github/workflows` holds workflow files that no projen file writes (your
 *   own), with every generated workflow file in `exclude-paths` (Dependabot scans the whole directory);
 * - projen's own entries (`github.addDependabot()`, e.g. npm) keep theirs, plus a cooldown when they have none.
 * No `docker` entry: every Dockerfile of cdk-dockyard is generated.
 * @internal
 */

const PATH = '.github/dependabot.yml';
const WORKFLOWS = '.github/workflows';

/** Days Dependabot waits after a release before proposing it (`cooldown.default-days`, 1-90). @internal */
export const DEPENDABOT_COOLDOWN_DAYS = 7;

/** One `updates:` entry. @internal */
export interface DependabotUpdate {
  readonly 'package-ecosystem': string;
  readonly 'directory': string;
  readonly 'schedule': { readonly interval: string };
  readonly 'exclude-paths'?: string[];
  readonly 'cooldown'?: { readonly 'default-days': number };
}

const ownFiles = new WeakMap<Project, DependabotUpdate[]>();

function same(a: { 'package-ecosystem'?: unknown; 'directory'?: unknown }, b: DependabotUpdate): boolean {
  return a['package-ecosystem'] === b['package-ecosystem'] && a.directory === b.directory;
}

/** Every workflow file (relative to the root project) that a projen file of the tree writes, sorted. @internal */
export function generatedWorkflowFiles(project: Project): string[] {
  const root = project.root;
  const all = [root, ...root.subprojects];
  return [...new Set(all.flatMap(p => p.files.map(f => f.path)).filter(p => p.startsWith(`${WORKFLOWS}/`)))].sort();
}

/**
 * The workflow files on disk in `.github/workflows` of the root project that are yours: written by no projen
 * file of this synthesis, not left over from an earlier one (`.projen/files.json`, projen's marker), sorted.
 * @internal
 */
export function handWrittenWorkflowFiles(project: Project): string[] {
  const root = project.root;
  const dir = join(root.outdir, WORKFLOWS);
  if (!existsSync(dir)) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PROJEN_MARKER } = require('projen/lib/common') as { PROJEN_MARKER: string };
  const generated = new Set(generatedWorkflowFiles(root));
  let previous: string[] = [];
  try {
    const manifest = JSON.parse(readFileSync(join(root.outdir, '.projen', 'files.json'), 'utf8')) as { files?: unknown };
    previous = Array.isArray(manifest.files) ? manifest.files.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    // no earlier synthesis
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isFile() && /\.ya?ml$/.test(e.name))
    .map(e => `${WORKFLOWS}/${e.name}`)
    .filter(f => !generated.has(f) && !previous.includes(f) && !readFileSync(join(root.outdir, f), 'utf8').includes(PROJEN_MARKER))
    .sort();
}

function withCooldown(entry: Record<string, unknown>): void {
  if (entry.cooldown === undefined) entry.cooldown = { 'default-days': DEPENDABOT_COOLDOWN_DAYS };
}

/**
 * Writes the Dependabot entries of what is not generated (see above): into projen's Dependabot component when
 * the project has one, into an existing object file at that path otherwise, or into a file of our own (only
 * when there is something to watch). Every entry gets a cooldown when it has none. Idempotent.
 * @internal
 */
export function addDependabotUpdates(project: Project): void {
  const entries: DependabotUpdate[] = [];
  if (handWrittenWorkflowFiles(project).length > 0) {
    entries.push({
      'package-ecosystem': 'github-actions',
      'directory': '/',
      'schedule': { interval: 'weekly' },
      'exclude-paths': generatedWorkflowFiles(project),
      'cooldown': { 'default-days': DEPENDABOT_COOLDOWN_DAYS },
    });
  }
  const projenDependabot = project.components.find((c): c is github.Dependabot => c instanceof github.Dependabot);
  if (projenDependabot) {
    const updates = (projenDependabot.config as { updates: DependabotUpdate[] }).updates;
    for (const e of entries) if (!updates.some(u => same(u, e))) updates.push(e);
    for (const u of updates) withCooldown(u as unknown as Record<string, unknown>);
    return;
  }
  const own = ownFiles.get(project);
  if (own) {
    for (const e of entries) if (!own.some(u => same(u, e))) own.push(e);
    return;
  }
  const existing = project.tryFindObjectFile(PATH);
  if (existing) {
    if (entries.length > 0) existing.addToArray('updates', ...entries);
    return;
  }
  if (entries.length === 0) return;
  const list = [...entries];
  ownFiles.set(project, list);
  new YamlFile(project, PATH, { obj: () => ({ version: 2, updates: list.map(e => ({ ...e })) }), committed: true });
}
