import { isGithubOwnedAction } from '../core/github-names';
import type { PipelineManifest } from '../pipeline/pipeline-manifest';

/**
 * Facts derived from the pipeline manifest for the repository settings: every
 * value here is computed from the manifest, never typed a second time.
 * @internal
 */

/** The required status checks: the manifest's check names, de-duplicated, in order. */
export function requiredChecksOf(manifest: PipelineManifest): string[] {
  return unique(manifest.requiredChecks ?? []);
}

/**
 * The `patterns_allowed` of the actions policy: one pattern per third-party
 * action of every generated workflow, sorted. GitHub-owned actions (`actions/*`,
 * `github/*`) are covered by `github_owned_allowed`. A pattern is
 * `owner/repo@*` (any ref; `sha_pinning_required` makes that ref a full SHA),
 * or `owner/repo@<sha>` when `pinned`.
 */
export function allowedActionPatternsOf(manifest: PipelineManifest, pinned: boolean): string[] {
  const patterns = (manifest.actions ?? [])
    .filter(use => typeof use.action === 'string' && !use.action.startsWith('./') && !isGithubOwnedAction(use.action))
    .map(use => `${use.action}@${pinned ? use.ref : '*'}`);
  return unique(patterns).sort();
}

/** A deployment environment and the branch patterns (and tag pattern) that may deploy to it. */
export interface EnvironmentPolicies {
  readonly name: string;
  readonly branches: string[];
  readonly tagPattern?: string;
}

/**
 * The environments the workflows deploy to, each with the branches that may
 * deploy to it (and the release tag pattern for the tag environment), in
 * manifest order. Environment names compare case-insensitively, as on GitHub.
 */
export function environmentPoliciesOf(manifest: PipelineManifest, tagPattern: string): EnvironmentPolicies[] {
  const byKey = new Map<string, { name: string; branches: string[]; tagPattern?: string }>();
  const entry = (name: string) => {
    const key = name.toLowerCase();
    let e = byKey.get(key);
    if (!e) {
      e = { name, branches: [] };
      byKey.set(key, e);
    }
    return e;
  };
  for (const d of manifest.deployments ?? []) {
    const e = entry(d.environment);
    if (!e.branches.includes(d.branch)) {
      e.branches.push(d.branch);
    }
  }
  if (manifest.tagEnvironment !== undefined) {
    entry(manifest.tagEnvironment).tagPattern = tagPattern;
  }
  return [...byKey.values()];
}

/** A GHCR package of the repository: its name (the image path after the owner) and the image's owner namespace. */
export interface PackageFacts {
  /** The owner namespace of a fixed image name; undefined when derived from the repository (always the owner's). */
  readonly namespace?: string;
  /** The package name: the image path after the owner. */
  readonly name: string;
  /** The image, as the message names it. */
  readonly image: string;
}

/** The GHCR package of every image of the manifest, in manifest order. */
export function packagesOf(manifest: PipelineManifest, repository: string): PackageFacts[] {
  return (manifest.images ?? []).map(image => {
    if (image.imageName === undefined) {
      const name = `${repository.toLowerCase()}${image.name ? `/${image.name}` : ''}`;
      return { name, image: `ghcr.io/<owner>/${name}` };
    }
    const [namespace, ...rest] = image.imageName.split('/');
    return { namespace, name: rest.join('/'), image: `ghcr.io/${image.imageName}` };
  });
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
