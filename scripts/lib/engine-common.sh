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

# ------------------------------------------------------------------------------------ local base images

# PATH of every local base image (the official images' value).
# shellcheck disable=SC2034 # read by the scripts that source this file
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

have_image() { docker_cmd image inspect "$1" >/dev/null 2>&1; }
image_arch() { docker_cmd image inspect -f '{{.Os}}/{{.Architecture}}' "$1" 2>/dev/null; }

# tag_all SRC TAG...: tag SRC under every TAG.
tag_all() {
  local src=$1 t
  shift
  for t in "$@"; do
    [[ $t == "$src" ]] || docker_cmd tag "$src" "$t"
  done
}

# A busybox root filesystem in $2 from the static binary $1 (the layout of the official busybox image): every
# applet in /bin plus its canonical path (e.g. /usr/bin/env), root and nobody, /tmp sticky. The applet list comes
# from the binary itself (under QEMU for another architecture).
busybox_rootfs() {
  local busybox=$1 root=$2 p name
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,home,tmp,var/www,dev,proc,sys}
  cp "$busybox" "$root/bin/busybox"
  chmod 0755 "$root/bin/busybox"
  while read -r p; do
    name=${p##*/}
    [[ -n $name && $name != busybox ]] || continue
    [[ -e $root/bin/$name ]] || ln -s busybox "$root/bin/$name"
    if [[ $p == */* && ! -e $root/$p && ! -L $root/$p ]]; then
      ln -s /bin/busybox "$root/$p"
    fi
  done < <("$busybox" --list-full 2>/dev/null || "$busybox" --list)
  [[ -L $root/bin/sh ]] || die "busybox has no sh applet"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/home:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nobody:x:65534:' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/root"
}
