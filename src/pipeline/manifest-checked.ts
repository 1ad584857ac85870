import type { PipelineManifest } from './pipeline-manifest';

/**
 * Manifests already checked (read by PipelineManifestFile or written by this library): checked once. Its
 * own small file, so a workflow that writes a manifest does not load the schema checker it never runs.
 * @internal
 */
export const CHECKED_MANIFESTS = new WeakSet<object>();

/** Records that `manifest` has the right shape (it was built by this library). @internal */
export function markChecked(manifest: PipelineManifest): PipelineManifest {
  CHECKED_MANIFESTS.add(manifest);
  return manifest;
}
