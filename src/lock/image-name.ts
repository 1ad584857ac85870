import { IMAGE_PATH_COMPONENT, IMAGE_TAG, looksLikeRegistryHost, REGISTRY_HOST } from '../core/image-names';
import { DockyardValidationError } from '../core/problems';

/**
 * An image reference split into the parts the OCI distribution API needs.
 * `python:3.11-alpine` becomes registry `registry-1.docker.io`, repository `library/python`, tag `3.11-alpine`.
 */
export interface ImageName {
  /** The reference as written. */
  readonly reference: string;
  /** `host[:port]` of the registry API to contact (Docker Hub is `registry-1.docker.io`). */
  readonly registry: string;
  /** Repository path inside the registry, e.g. `library/python`. */
  readonly repository: string;
  /** The tag (`latest` when the reference names none). */
  readonly tag: string;
}

/** Docker Hub's API host; `docker.io`, `index.docker.io` and names without a registry all mean it. */
export const DOCKER_HUB_REGISTRY = 'registry-1.docker.io';

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', DOCKER_HUB_REGISTRY]);
const MAX_NAME_LENGTH = 255;

function invalid(reference: string, rule: string, fix: string): DockyardValidationError {
  return new DockyardValidationError([`image reference ${JSON.stringify(reference)}: ${rule}. ${fix}`]);
}

/**
 * Splits an image reference (`[registry/]repository[:tag]`) the way Docker does: the first path
 * component is a registry when it contains `.` or `:`, is `localhost`, or has upper-case letters.
 * A reference that already carries a digest (`@sha256:…`) is rejected: the lock pins tags.
 */
export function parseImageName(reference: string): ImageName {
  if (typeof reference !== 'string' || reference.trim() === '') {
    throw invalid(String(reference), 'is empty', 'Write a reference such as "python:3.11-alpine" or "ghcr.io/owner/image:1.0".');
  }
  if (reference !== reference.trim() || /\s/.test(reference)) {
    throw invalid(reference, 'contains white space', 'Remove the spaces.');
  }
  if (reference.includes('@')) {
    throw invalid(reference, 'already carries a digest', 'Write the reference with its tag only (e.g. "python:3.11-alpine"); the lock file records the digest.');
  }
  let rest = reference;
  let registry = DOCKER_HUB_REGISTRY;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    // upper case too, as Docker does (distribution/reference: a path component is never upper case)
    if (looksLikeRegistryHost(first) || first !== first.toLowerCase()) {
      if (!REGISTRY_HOST.test(first)) {
        throw invalid(reference, `registry ${JSON.stringify(first)} is not a host name with an optional port`, 'Write it as host[:port], e.g. "ghcr.io" or "127.0.0.1:5000".');
      }
      registry = DOCKER_HUB_ALIASES.has(first.toLowerCase()) ? DOCKER_HUB_REGISTRY : first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag = 'latest';
  const colon = rest.lastIndexOf(':');
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!IMAGE_TAG.test(tag)) {
      throw invalid(reference, `tag ${JSON.stringify(tag)} is not valid (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")`, 'Fix the tag.');
    }
  }
  const components = rest.split('/');
  for (const component of components) {
    if (!IMAGE_PATH_COMPONENT.test(component)) {
      throw invalid(reference, `repository component ${JSON.stringify(component)} is not valid (lower-case letters and digits, separated by ".", "_", "__" or "-")`,
        'Use the repository name exactly as the registry spells it, in lower case.');
    }
  }
  if (rest.length > MAX_NAME_LENGTH) {
    throw invalid(reference, `repository name is ${rest.length} characters long; the limit is ${MAX_NAME_LENGTH}`, 'Use a shorter name.');
  }
  const repository = registry === DOCKER_HUB_REGISTRY && components.length === 1 ? `library/${rest}` : rest;
  return { reference, registry, repository, tag };
}

/** Whether `registry` (`host[:port]`) is on the loopback interface: only these are contacted over plain http. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : registry.replace(/:[0-9]+$/, '');
  return host === 'localhost' || host === '[::1]' || /^127\.(?:[0-9]{1,3}\.){2}[0-9]{1,3}$/.test(host);
}

/** Base URL of the registry API: https, except plain http for loopback registries. */
export function registryBaseUrl(registry: string): string {
  return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}`;
}

