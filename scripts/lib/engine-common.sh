# Shared by scripts/docker-engine.sh and scripts/arm64.sh (sourced; not run on its own).
# Needs LOG_PREFIX, X (unpacked engine), CFG (DOCKER_CONFIG) and SOCK (daemon socket) set by the caller.
# shellcheck shell=bash

log() { printf '[%s] %s\n' "$LOG_PREFIX" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

now_us() { local t=${EPOCHREALTIME//[!0-9]/}; printf '%s' "$((10#$t))"; }

# timed NAME CMD...: run CMD and print "time NAME: N.Ns" to stderr.
timed() {
  local name=$1 t0 dt
  shift
  t0=$(now_us)
  "$@"
  dt=$(($(now_us) - t0))
  printf '[%s] time %s: %d.%01ds\n' "$LOG_PREFIX" "$name" "$((dt / 1000000))" "$((dt / 100000 % 10))" >&2
}

# The engine's own client and socket, whatever the caller's environment.
use_engine_env() {
  export PATH="$X/usr/bin:$PATH" DOCKER_HOST="unix://$SOCK" DOCKER_CONFIG="$CFG"
}

docker_cmd() { "$X/usr/bin/docker" "$@"; }
