#!/usr/bin/env bash
## The changes job's step (rendered without these ## lines): which images changed, as the matrices of the
## build, publish and merge jobs. Path filters live here, never in `on:`: a workflow skipped by `on.paths`
## leaves its required check pending forever, a job skipped by `if:` counts as passed.
## In:  EVENT_NAME, REF_TYPE, BASE (the commit to compare with: the pull request's or merge group's base,
##      or the push's "before"), LEGS and IMAGES (every leg and every image, JSON arrays with an "image" key),
##      FILTERS (one line per image with path filters: its name, then its patterns, tab-separated).
## Out: legs, images (JSON matrices {"include": [...]}), any ("true" when something is to be built).
everything=false
if [ "${EVENT_NAME}" = workflow_dispatch ] || [ "${REF_TYPE}" = tag ] || [ -z "${BASE}" ] \
  || [ "${BASE}" = 0000000000000000000000000000000000000000 ] || ! git cat-file -e "${BASE}^{commit}" 2>/dev/null; then
  # a manual run, a tag, a new branch or a base this clone does not have: build everything
  everything=true
fi
changed=()
if [ "${everything}" = false ]; then
  mapfile -t changed < <(git diff --name-only "${BASE}...HEAD")
fi
skipped=()
while IFS=$'\t' read -r -a filter; do
  [ "${#filter[@]}" -gt 0 ] || continue
  hit="${everything}"
  for file in "${changed[@]}"; do
    for pattern in "${filter[@]:1}"; do
      # shellcheck disable=SC2053 # a glob on purpose: "*" matches any characters, "/" included
      if [[ "${file}" == ${pattern} ]]; then
        hit=true
      fi
    done
  done
  if [ "${hit}" = false ]; then
    skipped+=("${filter[0]}")
  fi
done <<< "${FILTERS}"
skip="$(printf '%s\n' "${skipped[@]}" | jq -R 'select(length > 0)' | jq -sc .)"
# shellcheck disable=SC2016 # a jq program: $i and $skip are jq variables
keep='{include: [.[] | select(.image as $i | $skip | index($i) | not)]}'
leg_matrix="$(jq -c --argjson skip "${skip}" "${keep}" <<< "${LEGS}")"
image_matrix="$(jq -c --argjson skip "${skip}" "${keep}" <<< "${IMAGES}")"
{
  echo "legs=${leg_matrix}"
  echo "images=${image_matrix}"
  if [ "$(jq '.include | length' <<< "${image_matrix}")" -gt 0 ]; then
    echo "any=true"
  else
    echo "any=false"
  fi
} >> "${GITHUB_OUTPUT}"
