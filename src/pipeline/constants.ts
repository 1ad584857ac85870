/**
 * The constants of the pipeline description, each defined here once: the registry images are
 * published to, the tag pattern that publishes releases, the manifest's schema version and path.
 * @internal
 */

/** The registry every image is pushed to. @internal */
export const GHCR_REGISTRY = 'ghcr.io';

/** The tag pattern semver release tags match (a GitHub filter glob, also a deployment/ruleset pattern). @internal */
export const SEMVER_TAG_PATTERN = 'v*.*.*';

/** The schema version of the pipeline manifest this library writes and reads. @internal */
export const MANIFEST_SCHEMA_VERSION = 2;

/** Where projen writes the manifest, relative to the repository root. @internal */
export const DEFAULT_MANIFEST_PATH = '.github/dockyard-pipeline.json';
