#!/usr/bin/env bash
## The build and publish jobs' "Image name and cache scopes" step (rendered without these ## lines).
## In:  IMAGE, EVENT_NAME, REF_NAME, REF_TYPE, BASE_REF, DEFAULT_BRANCH, MERGE_BASE_REF (merge queue only),
##      PLATFORM (matrix legs only: each platform gets its own cache).
## Out: name, cache-from (multi-line), cache-to, in GITHUB_OUTPUT.
# lowercase: registries reject uppercase owner or repository names
name="${IMAGE,,}"
# cache keys hold only [A-Za-z0-9._-]: every other character becomes "-"
key="${name//[^a-z0-9._-]/-}"
if [ -n "${PLATFORM:-}" ]; then
  key="${key}-${PLATFORM//[^a-z0-9._-]/-}"
fi
case "${EVENT_NAME}" in
  pull_request) branch="${BASE_REF}" ;;
  merge_group) branch="${MERGE_BASE_REF#refs/heads/}" ;;
  *) branch="${REF_NAME}" ;;
esac
branch="${branch//[^A-Za-z0-9._-]/-}"
fallback="${DEFAULT_BRANCH//[^A-Za-z0-9._-]/-}"
{
  echo "name=${name}"
  echo "cache-from<<CACHE_FROM_EOF"
  echo "type=gha,scope=${key}-${branch}"
  # fall back to the default branch's cache
  if [ -n "${fallback}" ] && [ "${fallback}" != "${branch}" ]; then
    echo "type=gha,scope=${key}-${fallback}"
  fi
  echo "CACHE_FROM_EOF"
  # write the cache only from branch pushes and manual runs, never from pull requests or merge groups
  case "${EVENT_NAME}/${REF_TYPE}" in
    push/branch | workflow_dispatch/branch) echo "cache-to=type=gha,scope=${key}-${branch},mode=max" ;;
    *) echo "cache-to=" ;;
  esac
} >> "${GITHUB_OUTPUT}"
