import type { Project } from 'projen';
import { github, YamlFile } from 'projen';

/**
 * Adds Dependabot version updates (`github-actions`, `docker`) to the project's
 * `.github/dependabot.yml`: into projen's Dependabot component when the project has
 * one, into an existing object file at that path otherwise, or into a file of our own.
 * @internal
 */

const PATH = '.github/dependabot.yml';

/** One `updates:` entry. @internal */
export interface DependabotUpdate {
  readonly 'package-ecosystem': string;
  readonly 'directory': string;
  readonly 'schedule': { readonly interval: string };
}

const ownFiles = new WeakMap<Project, DependabotUpdate[]>();

function same(a: { 'package-ecosystem'?: unknown; 'directory'?: unknown }, b: DependabotUpdate): boolean {
  return a['package-ecosystem'] === b['package-ecosystem'] && a.directory === b.directory;
}

/** Adds the entries (each ecosystem + directory once). @internal */
export function addDependabotUpdates(project: Project, entries: DependabotUpdate[]): void {
  const projenDependabot = project.components.find((c): c is github.Dependabot => c instanceof github.Dependabot);
  if (projenDependabot) {
    const updates = (projenDependabot.config as { updates: DependabotUpdate[] }).updates;
    for (const e of entries) if (!updates.some(u => same(u, e))) updates.push(e);
    return;
  }
  const own = ownFiles.get(project);
  if (own) {
    for (const e of entries) if (!own.some(u => same(u, e))) own.push(e);
    return;
  }
  const existing = project.tryFindObjectFile(PATH);
  if (existing) {
    existing.addToArray('updates', ...entries);
    return;
  }
  const list = [...entries];
  ownFiles.set(project, list);
  new YamlFile(project, PATH, { obj: () => ({ version: 2, updates: list.map(e => ({ ...e })) }), committed: true });
}
