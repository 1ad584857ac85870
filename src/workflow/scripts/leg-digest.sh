#!/usr/bin/env bash
## A publish leg's step (rendered without these ## lines): records the digest the leg pushed, as an empty
## file named by the digest's hex, for the merge job. In: DIGEST (the build step's output), DIGEST_DIR (a directory).
if [ -z "${DIGEST}" ]; then
  echo "::error::the build step reported no digest"
  exit 1
fi
mkdir -p "${DIGEST_DIR}"
touch "${DIGEST_DIR}/${DIGEST#sha256:}"
