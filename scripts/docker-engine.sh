#!/usr/bin/env bash
# Local Docker 28 engine + buildx for offline Debian 12 (bookworm) machines, run as root.
#
# Method (see docs on "docker-offline"): bookworm's runc + busybox-static come from apt; sid's
# docker.io, docker-cli, docker-buildx and containerd .debs are downloaded with a private apt
# state dir and unpacked with `dpkg-deb -x` (never installed: that would upgrade glibc).
# Docker Hub is unreachable, so base images are built locally and `docker import`ed.
#
# Usage: scripts/docker-engine.sh <install|start|stop|status|env|base-images|all>
#   eval "$(scripts/docker-engine.sh env)"   # use the engine's own client (it has buildx)
#
# Environment:
#   DOCKYARD_ENGINE_DIR    state dir (default /var/tmp/cdk-dockyard-engine)
#   DOCKYARD_ENGINE_SUITE  Debian suite the engine .debs come from (default sid)
#   DOCKYARD_REBUILD=1     rebuild base images even if the tags exist (reuses the rootfs cache)
#
# Never use /usr/local/bin/docker: it is a Docker 28 client without buildx.
set -euo pipefail

STATE=${DOCKYARD_ENGINE_DIR:-/var/tmp/cdk-dockyard-engine}
SUITE=${DOCKYARD_ENGINE_SUITE:-sid}
MIRROR=http://deb.debian.org/debian
X=$STATE/x                       # unpacked .debs
CFG=$STATE/cfg                   # DOCKER_CONFIG (holds cli-plugins/docker-buildx)
SOCK=$STATE/docker.sock
PIDFILE=$STATE/dockerd.pid
LOG=$STATE/dockerd.log
CACHE=$STATE/cache
ENGINE_DEBS=(docker.io docker-cli docker-buildx containerd)
APT_PKGS=(runc busybox-static debootstrap shellcheck ca-certificates docker-registry openssl git jq)
START_TIMEOUT=60
STOP_TIMEOUT=15
PY_TAGS=(python:3.11-slim-bookworm python:3.11-slim python:3.11-bookworm python:3.11-alpine)
PY_INCLUDE=python3,python3-pip,python3-venv,python3-setuptools,python3-wheel
PY_ROOTFS_TAR=$CACHE/python-3.11-bookworm-minbase-rootfs.tar
BB_TAGS=(busybox:1.36 local/busybox:1.36)

LOG_PREFIX=docker-engine
# shellcheck source=scripts/lib/engine-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/engine-common.sh"

# alive PID: process exists and is not a zombie.
alive() {
  local pid=$1 stat
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# Pid of our dockerd, if it is running (checks the pidfile and the process name).
dockerd_pid() {
  local pid comm
  [[ -s $PIDFILE ]] || return 1
  pid=$(<"$PIDFILE")
  alive "$pid" || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [[ $comm == dockerd ]] || return 1
  printf '%s\n' "$pid"
}

engine_ok() {
  [[ -x $X/usr/bin/docker && -x $X/usr/sbin/dockerd && -x $X/usr/bin/containerd &&
    -x $CFG/cli-plugins/docker-buildx ]] || return 1
  "$X/usr/bin/docker" --version >/dev/null 2>&1 &&
    "$X/usr/sbin/dockerd" --version >/dev/null 2>&1 &&
    "$X/usr/bin/containerd" --version >/dev/null 2>&1 &&
    DOCKER_CONFIG=$CFG "$X/usr/bin/docker" buildx version >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------- install

apt_host_packages() {
  local missing=() p
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    log "apt: ${APT_PKGS[*]} already installed"
    return 0
  fi
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${APT_PKGS[@]}" >/dev/null
}

have_engine_debs() {
  local p
  for p in "${ENGINE_DEBS[@]}"; do
    compgen -G "$STATE/debs/${p}_*.deb" >/dev/null || return 1
  done
}

download_engine_debs() {
  local a=$STATE/apt
  rm -rf "$STATE/debs.tmp"
  mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/empty.d" "$STATE/debs.tmp"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" >"$a/sources.list"
  : >"$a/status"
  local opts=(-o "Dir::Etc::SourceList=$a/sources.list" -o "Dir::Etc::SourceParts=$a/empty.d"
    -o "Dir::Etc::PreferencesParts=$a/empty.d" -o "Dir::State=$a" -o "Dir::State::Lists=$a/lists"
    -o "Dir::State::status=$a/status" -o "Dir::Cache=$a/cache" -o APT::Sandbox::User=root)
  log "downloading ${ENGINE_DEBS[*]} from $SUITE"
  apt-get "${opts[@]}" update -qq
  (cd "$STATE/debs.tmp" && apt-get "${opts[@]}" download -qq "${ENGINE_DEBS[@]}")
  rm -rf "$STATE/debs"
  mv "$STATE/debs.tmp" "$STATE/debs"
}

unpack_engine_debs() {
  local f
  rm -rf "$X.tmp"
  mkdir -p "$X.tmp"
  for f in "$STATE"/debs/*.deb; do
    dpkg-deb -x "$f" "$X.tmp"
  done
  rm -rf "$X"
  mv "$X.tmp" "$X"
  mkdir -p "$CFG/cli-plugins"
  cp "$X/usr/libexec/docker/cli-plugins/docker-buildx" "$CFG/cli-plugins/docker-buildx"
  for f in "$STATE"/debs/*.deb; do
    printf '%s %s\n' "$(dpkg-deb -f "$f" Package)" "$(dpkg-deb -f "$f" Version)"
  done >"$STATE/versions.txt"
}

cmd_install() {
  timed apt apt_host_packages
  if engine_ok; then
    log "engine already unpacked in $X ($(tr '\n' ' ' <"$STATE/versions.txt" 2>/dev/null))"
  else
    if ! have_engine_debs; then
      timed download download_engine_debs
    fi
    timed unpack unpack_engine_debs
    engine_ok || die "unpacked engine does not run (a newer $SUITE package may need a newer glibc" \
      "than bookworm's; pin working versions or set DOCKYARD_ENGINE_SUITE=trixie). See $STATE/versions.txt"
    log "engine: $(tr '\n' ' ' <"$STATE/versions.txt")"
  fi
  write_env_file
}

# ------------------------------------------------------------------------------------ start/stop

cmd_start() {
  engine_ok || die "engine not installed in $X: run '$0 install' first"
  use_engine_env
  local pid
  if pid=$(dockerd_pid) && docker_cmd version >/dev/null 2>&1; then
    log "dockerd already running (pid $pid, $DOCKER_HOST)"
    write_env_file
    return 0
  fi
  if [[ -z ${pid:-} ]]; then
    rm -f "$PIDFILE"
    [[ -s $STATE/daemon.json ]] || echo '{}' >"$STATE/daemon.json"
    [[ -f $LOG ]] && mv -f "$LOG" "$LOG.1"
    # dockerd finds containerd, containerd-shim-runc-v2 (unpacked) and runc (bookworm) in PATH;
    # /usr/local is left out on purpose. fd 9 (our lock) must not leak into the daemon.
    PATH="$X/usr/bin:$X/usr/sbin:/usr/sbin:/usr/bin:/sbin:/bin" setsid "$X/usr/sbin/dockerd" \
      -H "$DOCKER_HOST" --data-root "$STATE/data" --exec-root "$STATE/exec" --pidfile "$PIDFILE" \
      --config-file "$STATE/daemon.json" --bridge=none --iptables=false --ip6tables=false \
      --ip-forward=false --ip-masq=false --userland-proxy=false \
      >"$LOG" 2>&1 </dev/null 9>&- &
    pid=$!
    log "dockerd launched (pid $pid), waiting up to ${START_TIMEOUT}s"
  else
    log "dockerd pid $pid exists but does not answer yet, waiting up to ${START_TIMEOUT}s"
  fi
  local deadline=$(($(now_us) + START_TIMEOUT * 1000000))
  until docker_cmd version >/dev/null 2>&1; do
    if ! alive "$pid" && ! dockerd_pid >/dev/null; then
      log "dockerd exited; last lines of $LOG:"
      tail -n 30 "$LOG" >&2 || true
      die "dockerd did not start"
    fi
    if (($(now_us) > deadline)); then
      log "dockerd not answering after ${START_TIMEOUT}s; last lines of $LOG:"
      tail -n 30 "$LOG" >&2 || true
      die "dockerd did not come up (still running as pid $(dockerd_pid || echo '?'); '$0 stop' to kill it)"
    fi
    sleep 0.2
  done
  log "dockerd up: server $(docker_cmd version -f '{{.Server.Version}}'), $DOCKER_HOST"
  write_env_file
}

cmd_stop() {
  local pid i
  if ! pid=$(dockerd_pid); then
    log "dockerd not running"
    return 0
  fi
  kill -TERM "$pid"
  for ((i = 0; i < STOP_TIMEOUT * 5; i++)); do
    alive "$pid" || break
    sleep 0.2
  done
  if alive "$pid"; then
    log "dockerd (pid $pid) still alive after ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" || true
    die "dockerd had to be killed; see $LOG"
  fi
  log "dockerd (pid $pid) stopped"
}

cmd_status() {
  local pid
  if pid=$(dockerd_pid); then
    use_engine_env
    log "dockerd running (pid $pid), server $(docker_cmd version -f '{{.Server.Version}}' 2>/dev/null || echo 'not answering')"
  else
    log "dockerd not running"
    return 1
  fi
}

# -------------------------------------------------------------------------------------------- env

env_lines() {
  # $PATH stays literal so it expands in the caller's shell.
  printf "export PATH=\"%s:\$PATH\"\n" "$X/usr/bin"
  printf 'export DOCKER_HOST="%s"\n' "unix://$SOCK"
  printf 'export DOCKER_CONFIG="%s"\n' "$CFG"
}

write_env_file() {
  mkdir -p "$STATE"
  env_lines >"$STATE/env.sh.tmp"
  mv -f "$STATE/env.sh.tmp" "$STATE/env.sh"
}

cmd_env() {
  write_env_file
  env_lines
}

# ------------------------------------------------------------------------------------ base images


# Unmount anything left mounted below $1 (debootstrap mounts proc/sys), then delete it.
remove_rootfs() {
  local dir=$1 m
  [[ -n $dir && -d $dir ]] || return 0
  while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  if awk -v d="$dir/" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    die "mounts remain below $dir; not deleting it"
  fi
  rm -rf --one-file-system "$dir"
}

TMP_ROOTS=()
cleanup() {
  local d
  for d in "${TMP_ROOTS[@]}"; do remove_rootfs "$d" || true; done
  rm -f "$PY_ROOTFS_TAR.tmp"
}
trap cleanup EXIT

build_busybox() {
  if [[ -z ${DOCKYARD_REBUILD:-} ]] && have_image "${BB_TAGS[0]}"; then
    tag_all "${BB_TAGS[0]}" "${BB_TAGS[@]}"
    log "busybox: ${BB_TAGS[*]} already present"
    return 0
  fi
  local root
  root=$(mktemp -d "$STATE/tmp.busybox.XXXXXX")
  TMP_ROOTS+=("$root")
  busybox_rootfs /bin/busybox "$root"
  tar --numeric-owner -C "$root" -cf - . |
    docker_cmd import --change "ENV PATH=$IMAGE_PATH" --change 'CMD ["sh"]' \
      --message "busybox-static $(dpkg-query -W -f='${Version}' busybox-static) (local)" - "${BB_TAGS[0]}" >/dev/null
  tag_all "${BB_TAGS[0]}" "${BB_TAGS[@]}"
  remove_rootfs "$root"
  log "busybox: built ${BB_TAGS[*]}"
}

python_rootfs_tar() {
  local root
  root=$(mktemp -d "$STATE/tmp.python.XXXXXX")
  TMP_ROOTS+=("$root")
  log "python: debootstrap bookworm minbase (log: $STATE/debootstrap.log)"
  if ! debootstrap --variant=minbase --include="$PY_INCLUDE" \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
    bookworm "$root" "$MIRROR" >"$STATE/debootstrap.log" 2>&1; then
    tail -n 30 "$STATE/debootstrap.log" >&2 || true
    die "debootstrap failed"
  fi
  # Slim it: no apt lists/caches, logs or man pages (apt-get update works again in a build).
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
    "$root"/var/log/apt/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/debootstrap
  rm -f "$root"/var/log/*.log
  mkdir -p "$root/var/lib/apt/lists/partial" "$root/var/cache/apt/archives/partial"
  : >"$root/etc/hostname"
  # Like the official image: `python` is python3.
  ln -sf /usr/bin/python3 "$root/usr/local/bin/python"
  mkdir -p "$CACHE"
  tar --numeric-owner -C "$root" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
    -cf "$PY_ROOTFS_TAR.tmp" .
  mv -f "$PY_ROOTFS_TAR.tmp" "$PY_ROOTFS_TAR"
  remove_rootfs "$root"
}

build_python() {
  if [[ -z ${DOCKYARD_REBUILD:-} ]] && have_image "${PY_TAGS[0]}"; then
    tag_all "${PY_TAGS[0]}" "${PY_TAGS[@]}"
    log "python: ${PY_TAGS[*]} already present"
    return 0
  fi
  if [[ -s $PY_ROOTFS_TAR ]]; then
    log "python: using cached rootfs $PY_ROOTFS_TAR"
  else
    timed debootstrap python_rootfs_tar
  fi
  docker_cmd import --change "ENV PATH=$IMAGE_PATH" --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' \
    --message "debian bookworm minbase + python3 (local)" "$PY_ROOTFS_TAR" "${PY_TAGS[0]}" >/dev/null
  # python:3.11-alpine is NOT Alpine: it only lets `docker build --check` resolve that FROM.
  tag_all "${PY_TAGS[0]}" "${PY_TAGS[@]}"
  log "python: built ${PY_TAGS[*]}"
}

cmd_base_images() {
  use_engine_env
  docker_cmd version >/dev/null 2>&1 || die "dockerd not answering on $DOCKER_HOST: run '$0 start' first"
  command -v debootstrap >/dev/null || die "debootstrap missing: run '$0 install' first"
  [[ -x /bin/busybox ]] || die "busybox-static missing: run '$0 install' first"
  timed busybox build_busybox
  timed python build_python
}

# ------------------------------------------------------------------------------------------- main

usage() {
  echo "usage: $0 <install|start|stop|status|env|base-images|all>" >&2
  exit 2
}

main() {
  (($# == 1)) || usage
  [[ $1 == env ]] && { cmd_env; return; }
  ((EUID == 0)) || die "must run as root"
  mkdir -p "$STATE"
  # One invocation at a time per state dir.
  exec 9>"$STATE/.lock"
  flock -w 900 9 || die "another $0 holds $STATE/.lock"
  case $1 in
  install) timed install cmd_install ;;
  start) timed start cmd_start ;;
  stop) timed stop cmd_stop ;;
  status) cmd_status ;;
  base-images) timed base-images cmd_base_images ;;
  all)
    timed install cmd_install
    timed start cmd_start
    timed base-images cmd_base_images
    log "ready: eval \"\$($0 env)\"  (or: . $STATE/env.sh)"
    ;;
  *) usage ;;
  esac
}

main "$@"
