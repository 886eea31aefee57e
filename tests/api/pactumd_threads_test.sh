#!/usr/bin/env bash
# pactumd_threads_test.sh PACTUMD PACTUM: how many worker threads pactumd runs when the
# configuration leaves it to pactumd (threads 0). On SQLite, one per hardware thread. On
# PostgreSQL, where handlers wait on libpq, at least one per pooled connection (8), so that every
# connection stays busy (docs/BENCHMARKS.md). An explicit --threads always wins.
# Needs PACTUM_TEST_POSTGRES_URL_FILE (the CTest fixture `postgres`).
set -euo pipefail

pactumd="${1:?usage: pactumd_threads_test.sh PACTUMD PACTUM}"
pactum="${2:?usage: pactumd_threads_test.sh PACTUMD PACTUM}"
url_file="${PACTUM_TEST_POSTGRES_URL_FILE:?set by the postgres fixture}"
admin_url="$(cat "$url_file")"
source "$(dirname "${BASH_SOURCE[0]}")/../support/pactumd.sh"
pactumd_setup "$pactumd" "$pactum"
work="$PACTUMD_WORK"
database="pactumd_threads_$$"
cleanup() {
  pactumd_kill
  psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  pactumd_cleanup
}
trap cleanup EXIT

fail() {
  echo "pactumd_threads_test: $*" >&2
  exit 1
}

# threads_of DATA [OPTIONS...]: starts pactumd on DATA, sets got to the worker threads of its
# start log line, stops it. (Not in $(...): the server must be this shell's child.)
threads_of() {
  pactumd_serve "$@" || fail "pactumd did not start"
  pactumd_stop || fail "pactumd did not stop cleanly"
  got=$(python3 -c 'import json, sys
for line in open(sys.argv[1]):
    entry = json.loads(line)
    if entry.get("event") == "start":
        print(entry["threads"])
        break' "$PACTUMD_LOG")
}

cores=$(nproc)
"$pactum" init "$work/sqlite" >/dev/null || fail "pactum init (SQLite) failed"
threads_of "$work/sqlite"
[[ "$got" == "$cores" ]] || fail "SQLite: $got worker threads, expected one per core ($cores)"

psql -q "$admin_url" -c "CREATE DATABASE $database" >/dev/null || fail "cannot create $database"
pg_url="${admin_url%/*}/$database"
"$pactum" init "$work/pg" --database "$pg_url" >/dev/null || fail "pactum init (PostgreSQL) failed"
expected=$((cores > 8 ? cores : 8))
threads_of "$work/pg"
[[ "$got" == "$expected" ]] || fail "PostgreSQL: $got worker threads, expected $expected"
threads_of "$work/pg" --threads 3
[[ "$got" == 3 ]] || fail "PostgreSQL with --threads 3: $got worker threads"
echo "pactumd_threads_test: ok (SQLite $cores, PostgreSQL $expected, explicit 3)"
