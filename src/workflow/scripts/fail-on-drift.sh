#!/usr/bin/env bash
## The synth-drift job's last step (rendered without these ## lines): fails when synthesis changed a
## committed file or wrote an untracked one. __SYNTH_COMMANDS__ is replaced by the commands that synthesize.
if ! git diff --exit-code; then
  echo "::error::Generated files differ from the commit: run __SYNTH_COMMANDS__ and commit the result."
  exit 1
fi
untracked="$(git ls-files --others --exclude-standard)"
if [ -n "${untracked}" ]; then
  echo "::error::Synthesis wrote files that are not committed: commit them (run __SYNTH_COMMANDS__) or ignore them."
  printf '%s\n' "${untracked}"
  exit 1
fi
