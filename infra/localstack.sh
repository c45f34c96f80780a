#!/usr/bin/env bash
# Start or stop a real LocalStack (SQS and CloudFormation only, no Docker) for the tests
# marked `localstack`, following ../shared/LOCALSTACK.md. Best effort: when Python 3.13 or
# the packages cannot be had, it says so and exits non-zero, and those tests skip.
#   infra/localstack.sh start   # installs into .localstack-venv if missing, waits for Ready
#   infra/localstack.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.localstack-venv
PIDFILE=.localstack-fs/localstack.pid
LOG=.localstack-fs/localstack.log
PORT=${LOCALSTACK_PORT:-4566}

install() {
  [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import localstack" 2>/dev/null && return
  # A pyenv shim exists even where the version is not selected, so try each and keep the
  # first interpreter that really runs.
  local py="" candidate
  for candidate in \
    "$(command -v pyenv >/dev/null && echo "$(pyenv root)/versions/$(pyenv versions --bare | grep '^3\.13' | tail -1)/bin/python3.13")" \
    "$(command -v python3.13 || true)"; do
    if [ -n "$candidate" ] && "$candidate" -c "pass" 2>/dev/null; then py=$candidate; break; fi
  done
  [ -n "$py" ] || { echo "localstack: no Python 3.13 here" >&2; return 1; }
  "$py" -m venv "$VENV"
  # Pins from LOCALSTACK.md: releases of these broke LocalStack core 2026.3.0.
  "$VENV/bin/pip" install -q "localstack-core[runtime]==2026.3.0" \
    "cbor2<6" "pyopenssl<26" "cryptography<47" "service-identity<26"
}

start() {
  install
  mkdir -p .localstack-fs
  OVERRIDE_IN_DOCKER=0 FILESYSTEM_ROOT=$PWD/.localstack-fs GATEWAY_LISTEN=127.0.0.1:$PORT \
    DNS_ADDRESS=0 DISABLE_EVENTS=1 SERVICES=sqs,cloudformation \
    nohup "$VENV/bin/python" -m localstack.runtime.main >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 120); do
    grep -q "Ready." "$LOG" 2>/dev/null && { echo "localstack: ready on 127.0.0.1:$PORT"; return; }
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { echo "localstack: exited" >&2; tail -5 "$LOG" >&2; return 1; }
    sleep 0.5
  done
  echo "localstack: not ready after 60 s" >&2
  return 1
}

stop() {
  [ -f "$PIDFILE" ] || return 0
  kill "$(cat "$PIDFILE")" 2>/dev/null || true
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
