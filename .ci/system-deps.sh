#!/usr/bin/env bash
# Installs the system binaries weft runs against (nats-server, redis-server, docker-registry for the OCI tests; chromium for the dashboard test, tmux for weft top's) through apt when they are missing.
# Run by `npm install`/`npm ci` (postinstall) and by .ci/run. Never fails the install: it warns instead.
set -u
[ "${WEFT_SKIP_SYSTEM_DEPS:-}" = 1 ] && exit 0
missing=()
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || missing+=(nats-server)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v tmux >/dev/null 2>&1 || [ -x /usr/bin/tmux ] || missing+=(tmux) # weft top's pseudo-terminal test
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "weft: please install ${missing[*]} (no apt-get here)" >&2; exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo"; else
  echo "weft: please run: sudo apt-get install -y ${missing[*]}" >&2; exit 0
fi
echo "weft: installing ${missing[*]} with apt-get" >&2
$SUDO apt-get update -qq >/dev/null 2>&1
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
  || echo "weft: apt-get install ${missing[*]} failed; install them by hand" >&2
exit 0
