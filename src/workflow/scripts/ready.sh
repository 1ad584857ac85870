#!/usr/bin/env bash
## The aggregate job's step, the required check (rendered without these ## lines): fails when a job it needs
## failed or was cancelled. Jobs skipped by their condition (nothing changed, not a publishing event) pass,
## so the check's name never changes as images and platforms come and go.
## In: RESULTS (needs.*.result, space-separated).
read -r -a outcomes <<< "${RESULTS}"
for result in "${outcomes[@]}"; do
  case "${result}" in
    failure | cancelled)
      echo "::error::a job this check needs ended with \"${result}\""
      exit 1
      ;;
  esac
done
echo "every job succeeded or was skipped (${RESULTS})"
