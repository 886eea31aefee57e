#!/usr/bin/env bash
# data_dir_lock_test.sh PACTUMD PACTUM: one data directory is served by one pactumd. On a SQLite
# data directory made by `pactum init`, a second pactumd exits 3 with a clear message while the
# first keeps serving; once the first has stopped, a new one starts. (The in-memory nonce store
# that makes signed reads cheap relies on this: domain/README.md.)
set -euo pipefail

pactumd="${1:?usage: data_dir_lock_test.sh PACTUMD PACTUM}"
pactum="${2:?usage: data_dir_lock_test.sh PACTUMD PACTUM}"
work="$(mktemp -d "${TMPDIR:-/tmp}/pactum-lock-$$-XXXXXX")"
first_pid=""
cleanup() {
  if [[ -n "$first_pid" ]] && kill -0 "$first_pid" 2>/dev/null; then
    kill -KILL "$first_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "data_dir_lock_test: $*" >&2
  cat "$work"/*.err >&2 2>/dev/null || true
  exit 1
}

# start NAME: starts pactumd on the data directory in the background; sets first_pid and port.
start() {
  local name=$1
  rm -f "$work/$name.out"
  mkfifo "$work/$name.out"
  "$pactumd" --data "$work/data" --listen 127.0.0.1:0 --threads 1 \
    >"$work/$name.out" 2>"$work/$name.err" &
  first_pid=$!
  local line
  exec 3<"$work/$name.out"
  read -r -t 30 line <&3 || fail "$name: no start line within 30 s"
  exec 3<&-
  [[ "$line" =~ ^pactumd\ listening\ on\ http://127\.0\.0\.1:([0-9]+)$ ]] ||
    fail "$name: unexpected start line: $line"
  port="${BASH_REMATCH[1]}"
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

kill -TERM "$first_pid"
wait "$first_pid" || fail "first pactumd did not stop cleanly"
first_pid=""

# The lock died with its holder: the directory can be served again.
start third
healthz
kill -TERM "$first_pid"
wait "$first_pid" || fail "third pactumd did not stop cleanly"
first_pid=""
echo "data_dir_lock_test: ok"
