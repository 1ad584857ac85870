#!/usr/bin/env bash
## The merge job's step (rendered without these ## lines): one tagged, multi-platform index from the digests
## the legs pushed (each a manifest, or a one-entry index when it carries provenance or an SBOM: both merge).
## Nothing moves a tag before every leg of the image has succeeded (the job needs the publish legs).
## In:  IMAGE (lowercased), METADATA_JSON (docker/metadata-action's "json" output: tags, annotations),
##      DIGEST_DIR (a directory of empty files named by digest hex).
## Out: digest (the index's digest).
shopt -s nullglob
tags=()
while IFS= read -r tag; do
  tags+=(--tag "${tag}")
done < <(jq -r '.tags[]' <<< "${METADATA_JSON}")
annotations=()
while IFS= read -r annotation; do
  annotations+=(--annotation "${annotation}")
done < <(jq -r '(.annotations // [])[]' <<< "${METADATA_JSON}")
sources=()
for file in "${DIGEST_DIR}"/*; do
  sources+=("${IMAGE}@sha256:$(basename "${file}")")
done
if [ "${#tags[@]}" -eq 0 ] || [ "${#sources[@]}" -eq 0 ]; then
  echo "::error::nothing to merge: $((${#tags[@]} / 2)) tag(s), ${#sources[@]} digest(s)"
  exit 1
fi
docker buildx imagetools create "${annotations[@]}" "${tags[@]}" "${sources[@]}"
# ({{.Manifest.Digest}} prints buildx's whole text output; the JSON form holds the digest)
digest="$(docker buildx imagetools inspect --format '{{json .Manifest}}' "${tags[1]}" | jq -r '.digest')"
echo "digest=${digest}" >> "${GITHUB_OUTPUT}"
