/**
 * The OCI names a pipeline writes: image references (distribution/reference, what `docker pull`
 * accepts), image repository paths, tags and platforms. One definition each.
 * @internal
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG_BODY = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH})(?::(${TAG_BODY}))?(?:@(${DIGEST}))?$`);

/** One component of a repository path. @internal */
export const IMAGE_PATH_COMPONENT = new RegExp(`^${PATH_COMPONENT}$`);
/** A registry host with an optional port (`ghcr.io`, `127.0.0.1:5000`, `[::1]:5000`). @internal */
export const REGISTRY_HOST = new RegExp(`^${DOMAIN}$`);
/** A repository path without registry: lowercase components separated by `/`. @internal */
export const IMAGE_PATH = new RegExp(`^${PATH}$`);
/** An image tag. @internal */
export const IMAGE_TAG = new RegExp(`^${TAG_BODY}$`);
/** A platform `os/arch[/variant]`, e.g. `linux/arm64/v8`. @internal */
export const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

/**
 * Whether the first component of `first/rest` names a registry host rather than a path component: it has a
 * dot or a port, is `localhost`, or is an IPv6 literal (distribution/reference's rule, what `docker pull` does).
 * @internal
 */
export function looksLikeRegistryHost(first: string): boolean {
  return /[.:]/.test(first) || first === 'localhost' || first.startsWith('[');
}

/** The parts of a parsed image reference. @internal */
export interface ParsedImageReference {
  readonly domain?: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses an image reference, or returns a message saying why it is not one. @internal */
export function parseImageReference(reference: string): ParsedImageReference | string {
  const m = REFERENCE.exec(reference);
  if (!m) {
    return `"${reference}" is not a valid image reference ([registry[:port]/]path[:tag][@digest], lowercase path, e.g. "python:3.11-slim-bookworm" or "ghcr.io/acme/app:1.2.0@sha256:<64 hex>")`;
  }
  let domain: string | undefined = m[1];
  let path = m[2];
  // "a/b": "a" is a registry only when it looks like a host
  if (domain && !looksLikeRegistryHost(domain)) {
    if (/[A-Z]/.test(domain)) {
      return `"${reference}" has an uppercase repository name "${domain}"; image names must be lowercase`;
    }
    path = `${domain}/${path}`;
    domain = undefined;
  }
  if (path.length > 255) {
    return `"${reference}" has a repository name longer than 255 characters`;
  }
  return { domain, path, tag: m[3], digest: m[4] };
}

/** A platform such as `linux/arm64/v8`; the message names the value and the form. @internal */
export function platformProblem(platform: string, what: string): string | undefined {
  return PLATFORM.test(platform) ? undefined : `${what} ${JSON.stringify(platform)} is not of the form os/arch[/variant]; use e.g. "linux/amd64" or "linux/arm64"`;
}
