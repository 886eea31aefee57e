#!/usr/bin/env bash
# data_dir_lock_test.sh PACTUMD PACTUM: one data directory is served by one pactumd. On a SQLite
# data directory made by `pactum init`, a second pactumd exits 3 with a clear message while the
# first keeps serving; once the first has stopped, a new one starts. (The in-memory nonce store
# that makes signed reads cheap relies on this: domain/README.md.)
set -euo pipefail

pactumd="${1:?usage: data_dir_lock_test.sh PACTUMD PACTUM}"
pactum="${2:?usage: data_dir_lock_test.sh PACTUMD PACTUM}"
source "$(dirname "${BASH_SOURCE[0]}")/../support/pactumd.sh"
pactumd_setup "$pactumd" "$pactum"
work="$PACTUMD_WORK"
trap pactumd_cleanup EXIT

fail() {
  echo "data_dir_lock_test: $*" >&2
  cat "$PACTUMD_LOG" "$work"/*.err >&2 2>/dev/null || true
  exit 1
}

# start NAME: starts pactumd on the data directory in the background; sets port.
start() {
  pactumd_serve "$work/data" --threads 1 || fail "$1: pactumd did not start"
  port="$PACTUMD_PORT"
}

healthz() {
  exec 4<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET /healthz HTTP/1.1\r\nHost: lock\r\nConnection: close\r\n\r\n' >&4
  local status
  read -r status <&4
  exec 4<&-
  [[ "$status" == "HTTP/1.1 200"* ]] || fail "healthz answered: $status"
}

"$pactum" init "$work/data" >/dev/null || fail "pactum init failed"
grep -q '"sqlite:' "$work/data/pactum.json" || fail "expected a SQLite data directory"

start first
healthz

# A second pactumd on the same directory: refused at once, before touching the database.
status=0
timeout 30 "$pactumd" --data "$work/data" --listen 127.0.0.1:0 --threads 1 \
  >"$work/second.out" 2>"$work/second.err" || status=$?
[[ "$status" -eq 3 ]] || fail "second pactumd: exit status $status, expected 3"
grep -q "another pactumd already serves" "$work/second.err" ||
  fail "second pactumd did not say why: $(cat "$work/second.err")"
[[ ! -s "$work/second.out" ]] || fail "second pactumd printed a listening line"
healthz  # the first one is unaffected

pactumd_stop || fail "first pactumd did not stop cleanly"

# The lock died with its holder: the directory can be served again.
start third
healthz
pactumd_stop || fail "third pactumd did not stop cleanly"
echo "data_dir_lock_test: ok"
