#!/usr/bin/env bash
# linux/arm64 builds under QEMU for the engine of scripts/docker-engine.sh (Debian 12, root, no systemd).
#
#   install      apt-get install qemu-user-static; mount binfmt_misc; register qemu-aarch64 from
#                /usr/lib/binfmt.d/qemu-aarch64.conf (flags OPF: F keeps it usable inside containers);
#                download busybox-static:arm64 with a PRIVATE apt state (no `dpkg --add-architecture`,
#                the host's apt sources and lists are left alone) and check that it prints aarch64.
#   base-images  needs a running engine and docker-engine.sh's base images. Imports the arm64 busybox
#                rootfs as local/busybox:1.36-arm64 (+ busybox:1.36-arm64) and gives the amd64 busybox
#                its own per-platform tags local/busybox:1.36-amd64 (+ busybox:1.36-amd64).
#   status       what is installed, registered and imported; exit 1 when something is missing.
#   all          install + base-images.
#
# One platform per tag: the engine's classic image store keeps ONE platform per tag, so every base
# exists once per platform under its own tag. A build leg for platform P re-tags the base of P as the
# name its Dockerfile's FROM uses, then builds, e.g. for the arm64 leg:
#     docker tag local/busybox:1.36-arm64 legs/busybox:1.36
#     docker buildx build --network=none --platform linux/arm64 ...
# Legs that share a FROM name therefore run one after another (test/support/legs.ts does this).
# Prefer a FROM name only the legs use: re-tagging busybox:1.36 itself would change the image other
# builds running at the same time on this engine see.
#
# No arm64 Python base: a debootstrap of bookworm minbase + python3 for arm64 (second stage under
# QEMU) was measured at ≈ 5.3 min on a 2-core machine, over the CI budget, so arm64 legs use
# busybox-based images only.
#
# Environment:
#   DOCKYARD_ENGINE_DIR   the engine's state dir (default /var/tmp/cdk-dockyard-engine), as docker-engine.sh
#   DOCKYARD_REBUILD=1    re-import the arm64 base even if its tag exists (reuses the downloaded .deb)
set -euo pipefail

STATE=${DOCKYARD_ENGINE_DIR:-/var/tmp/cdk-dockyard-engine}
X=$STATE/x
CFG=$STATE/cfg
SOCK=$STATE/docker.sock
CACHE=$STATE/cache/arm64
APT_STATE=$STATE/apt-arm64
MIRROR=http://deb.debian.org/debian
BINFMT=/proc/sys/fs/binfmt_misc
QEMU_CONF=/usr/lib/binfmt.d/qemu-aarch64.conf
BB_ROOT=$CACHE/busybox-static           # the unpacked arm64 .deb
BB_AMD64_SRC=local/busybox:1.36         # made by docker-engine.sh base-images
BB_AMD64_TAGS=(local/busybox:1.36-amd64 busybox:1.36-amd64)
BB_ARM64_TAGS=(local/busybox:1.36-arm64 busybox:1.36-arm64)

LOG_PREFIX=arm64
# shellcheck source=scripts/lib/engine-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/engine-common.sh"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# ---------------------------------------------------------------------------------------- install

apt_qemu() {
  if installed qemu-user-static; then
    log "apt: qemu-user-static $(dpkg-query -W -f='${Version}' qemu-user-static) already installed"
  else
    log "apt: installing qemu-user-static"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends qemu-user-static >/dev/null
  fi
  # bookworm's qemu-user-static ships the systemd-binfmt file; binfmt-support is only needed without it.
  [[ -s $QEMU_CONF ]] || die "$QEMU_CONF missing (qemu-user-static without binfmt.d files?)"
}

# The handler's flags, or nothing when it is not registered.
handler_flags() {
  [[ -e $BINFMT/qemu-aarch64 ]] || return 1
  sed -n 's/^flags: //p' "$BINFMT/qemu-aarch64"
}

register_binfmt() {
  if ! mountpoint -q "$BINFMT"; then
    mount -t binfmt_misc binfmt_misc "$BINFMT"
    log "binfmt_misc mounted on $BINFMT"
  fi
  local flags
  if flags=$(handler_flags); then
    if [[ $flags != *F* ]]; then
      # Without F the interpreter is looked up inside each container's root, where it does not exist.
      log "qemu-aarch64 registered without the F flag ($flags): registering it again from $QEMU_CONF"
      echo -1 >"$BINFMT/qemu-aarch64"
    else
      grep -qx enabled "$BINFMT/qemu-aarch64" || { echo 1 >"$BINFMT/qemu-aarch64"; log "qemu-aarch64 enabled"; }
      log "binfmt: qemu-aarch64 already registered (flags $flags)"
      return 0
    fi
  fi
  grep -v '^#' "$QEMU_CONF" | grep . >"$BINFMT/register"
  log "binfmt: qemu-aarch64 registered (flags $(handler_flags))"
}

apt_opts() {
  printf '%s\n' -o "Dir::Etc::SourceList=$APT_STATE/sources.list" -o "Dir::Etc::SourceParts=$APT_STATE/empty.d" \
    -o "Dir::Etc::PreferencesParts=$APT_STATE/empty.d" -o "Dir::State=$APT_STATE" \
    -o "Dir::State::Lists=$APT_STATE/lists" -o "Dir::State::status=$APT_STATE/status" \
    -o "Dir::Cache=$APT_STATE/cache" -o APT::Sandbox::User=root \
    -o APT::Architecture=arm64 -o APT::Architectures::=arm64
}

# busybox-static:arm64 from bookworm, the same version as the host's amd64 busybox-static when the
# mirror still has it. A private apt state: the host's architectures, sources and lists stay as they are.
download_busybox_deb() {
  local opts=() suite version
  mapfile -t opts < <(apt_opts)
  # shellcheck disable=SC1091
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  mkdir -p "$APT_STATE/lists/partial" "$APT_STATE/cache/archives/partial" "$APT_STATE/empty.d" "$CACHE"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $suite main" >"$APT_STATE/sources.list"
  : >"$APT_STATE/status"
  log "downloading busybox-static:arm64 from $suite (private apt state $APT_STATE)"
  apt-get "${opts[@]}" update -qq
  rm -rf "$CACHE/debs.tmp"
  mkdir -p "$CACHE/debs.tmp"
  version=$(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || true)
  (
    cd "$CACHE/debs.tmp"
    if [[ -z $version ]] || ! apt-get "${opts[@]}" download -qq "busybox-static:arm64=$version" 2>/dev/null; then
      apt-get "${opts[@]}" download -qq busybox-static:arm64
    fi
  )
  rm -rf "$CACHE/debs"
  mv "$CACHE/debs.tmp" "$CACHE/debs"
}

unpack_busybox() {
  local deb
  deb=$(compgen -G "$CACHE/debs/busybox-static_*_arm64.deb" | head -n 1)
  rm -rf "$BB_ROOT.tmp"
  dpkg-deb -x "$deb" "$BB_ROOT.tmp"
  dpkg-deb -f "$deb" Version >"$BB_ROOT.tmp/.version"
  rm -rf "$BB_ROOT"
  mv "$BB_ROOT.tmp" "$BB_ROOT"
}

# An aarch64 static binary runs on this amd64 host through the registered handler.
check_qemu() {
  local m
  m=$("$BB_ROOT/bin/busybox" uname -m 2>&1) || die "the aarch64 busybox does not run: $m"
  [[ $m == aarch64 ]] || die "the aarch64 busybox reports '$m' for uname -m, expected aarch64"
  log "check: $BB_ROOT/bin/busybox uname -m -> $m"
}

cmd_install() {
  timed apt apt_qemu
  timed binfmt register_binfmt
  if [[ -x $BB_ROOT/bin/busybox && -s $BB_ROOT/.version ]]; then
    log "busybox-static:arm64 $(<"$BB_ROOT/.version") already unpacked in $BB_ROOT"
  else
    compgen -G "$CACHE/debs/busybox-static_*_arm64.deb" >/dev/null || timed download download_busybox_deb
    timed unpack unpack_busybox
  fi
  check_qemu
}

# ------------------------------------------------------------------------------------ base images


TMP_ROOTS=()
cleanup() {
  local d
  for d in "${TMP_ROOTS[@]}"; do rm -rf --one-file-system "$d"; done
}
trap cleanup EXIT

# The amd64 busybox of docker-engine.sh under per-platform tags, so legs can re-tag it back after an arm64 leg.
tag_amd64_busybox() {
  local arch
  if [[ -z ${DOCKYARD_REBUILD:-} ]] && [[ $(image_arch "${BB_AMD64_TAGS[0]}") == linux/amd64 ]]; then
    tag_all "${BB_AMD64_TAGS[0]}" "${BB_AMD64_TAGS[@]}"
    log "busybox amd64: ${BB_AMD64_TAGS[*]} already present"
    return 0
  fi
  arch=$(image_arch "$BB_AMD64_SRC") || die "$BB_AMD64_SRC missing: run 'scripts/docker-engine.sh base-images' first"
  [[ $arch == linux/amd64 ]] || die "$BB_AMD64_SRC is $arch, not linux/amd64 (re-tagged by a leg?): run 'DOCKYARD_REBUILD=1 scripts/docker-engine.sh base-images'"
  tag_all "$BB_AMD64_SRC" "${BB_AMD64_TAGS[@]}"
  log "busybox amd64: tagged $BB_AMD64_SRC as ${BB_AMD64_TAGS[*]}"
}

# The same root filesystem as docker-engine.sh's build_busybox (busybox_rootfs), from the aarch64 binary.
build_arm64_busybox() {
  if [[ -z ${DOCKYARD_REBUILD:-} ]] && [[ $(image_arch "${BB_ARM64_TAGS[0]}") == linux/arm64 ]]; then
    tag_all "${BB_ARM64_TAGS[0]}" "${BB_ARM64_TAGS[@]}"
    log "busybox arm64: ${BB_ARM64_TAGS[*]} already present"
    return 0
  fi
  local root
  root=$(mktemp -d "$STATE/tmp.busybox-arm64.XXXXXX")
  TMP_ROOTS+=("$root")
  busybox_rootfs "$BB_ROOT/bin/busybox" "$root"
  tar --numeric-owner -C "$root" -cf - . |
    docker_cmd import --platform linux/arm64 --change "ENV PATH=$IMAGE_PATH" --change 'CMD ["sh"]' \
      --message "busybox-static $(<"$BB_ROOT/.version") arm64 (local)" - "${BB_ARM64_TAGS[0]}" >/dev/null
  tag_all "${BB_ARM64_TAGS[0]}" "${BB_ARM64_TAGS[@]}"
  rm -rf --one-file-system "$root"
  log "busybox arm64: built ${BB_ARM64_TAGS[*]} ($(image_arch "${BB_ARM64_TAGS[0]}"))"
}

check_arm64_run() {
  local m
  m=$(docker_cmd run --rm --network=none --platform linux/arm64 "${BB_ARM64_TAGS[0]}" uname -m) ||
    die "docker run --platform linux/arm64 ${BB_ARM64_TAGS[0]} failed"
  [[ $m == aarch64 ]] || die "docker run --platform linux/arm64 ${BB_ARM64_TAGS[0]} uname -m printed '$m'"
  log "check: docker run --platform linux/arm64 ${BB_ARM64_TAGS[0]} uname -m -> $m"
}

cmd_base_images() {
  use_engine_env
  docker_cmd version >/dev/null 2>&1 || die "dockerd not answering on $DOCKER_HOST: run 'scripts/docker-engine.sh start' first"
  [[ $(handler_flags 2>/dev/null) == *F* ]] || die "qemu-aarch64 not registered: run '$0 install' first"
  if [[ ! -x $BB_ROOT/bin/busybox || ! -s $BB_ROOT/.version ]]; then
    compgen -G "$CACHE/debs/busybox-static_*_arm64.deb" >/dev/null || timed download download_busybox_deb
    timed unpack unpack_busybox
  fi
  timed busybox-amd64 tag_amd64_busybox
  timed busybox-arm64 build_arm64_busybox
  timed check check_arm64_run
}

# ------------------------------------------------------------------------------------------- status

cmd_status() {
  local ok=0 flags t arch
  if installed qemu-user-static; then
    log "qemu-user-static $(dpkg-query -W -f='${Version}' qemu-user-static)"
  else
    log "qemu-user-static: not installed"; ok=1
  fi
  if ! mountpoint -q "$BINFMT"; then
    log "binfmt_misc: not mounted"; ok=1
  elif flags=$(handler_flags); then
    log "binfmt: qemu-aarch64 $(head -n 1 "$BINFMT/qemu-aarch64"), flags $flags"
    [[ $flags == *F* ]] || ok=1
  else
    log "binfmt: qemu-aarch64 not registered"; ok=1
  fi
  if [[ -x $BB_ROOT/bin/busybox ]]; then
    log "busybox-static:arm64 $(cat "$BB_ROOT/.version" 2>/dev/null) in $BB_ROOT"
  else
    log "busybox-static:arm64: not downloaded"; ok=1
  fi
  use_engine_env
  if docker_cmd version >/dev/null 2>&1; then
    for t in "${BB_AMD64_TAGS[@]}" "${BB_ARM64_TAGS[@]}"; do
      if arch=$(image_arch "$t"); then
        log "image $t: $arch"
      else
        log "image $t: missing"; ok=1
      fi
    done
  else
    log "dockerd not answering on $DOCKER_HOST (images not checked)"; ok=1
  fi
  return "$ok"
}

# ------------------------------------------------------------------------------------------- main

usage() {
  echo "usage: $0 <install|base-images|status|all>   (DOCKYARD_ENGINE_DIR=${STATE})" >&2
  exit 2
}

main() {
  (($# == 1)) || usage
  case $1 in install | base-images | status | all) ;; *) usage ;; esac
  ((EUID == 0)) || die "must run as root"
  mkdir -p "$STATE"
  # Serialized with docker-engine.sh (same lock file): base images are only changed by one script at a time.
  exec 9>"$STATE/.lock"
  flock -w 900 9 || die "another script holds $STATE/.lock"
  case $1 in
  install) timed install cmd_install ;;
  base-images) timed base-images cmd_base_images ;;
  status) cmd_status ;;
  all)
    timed install cmd_install
    timed base-images cmd_base_images
    ;;
  esac
}

main "$@"
