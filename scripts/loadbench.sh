#!/usr/bin/env bash
# Load benchmark of one pactumd node against its HTTP floor, in one run on this machine:
#   ./scripts/loadbench.sh BUILD_DIR        (called by scripts/bench.sh, i.e. `make bench`)
# Rows: nginx serving a small static file (the floor, on loopback, started here with a temporary
# configuration), pactumd GET /healthz, and, once the API is built (`pactum init` and
# `pactum bench sign-requests` exist), an authenticated read and an audited write with API-app
# HMAC signatures on SQLite and on PostgreSQL (a throwaway server from scripts/test-postgres.sh).
# wrk, the servers and the database share this machine's cores; every row runs with the same
# wrk settings. Tunables (environment): LOADBENCH_DURATION (10s), LOADBENCH_CONNECTIONS (32),
# LOADBENCH_WRK_THREADS (2), LOADBENCH_SERVER_THREADS (2: pactumd threads and nginx workers).
# Prints one table row per measurement ("| row | req/s | p50 | p99 | non-2xx | ratio to nginx |").
set -euo pipefail

build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
pactumd="$build/apps/pactumd/pactumd"
pactum="$build/apps/pactum/pactum"
duration=${LOADBENCH_DURATION:-10s}
connections=${LOADBENCH_CONNECTIONS:-32}
wrk_threads=${LOADBENCH_WRK_THREADS:-2}
server_threads=${LOADBENCH_SERVER_THREADS:-2}

for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "loadbench: $tool missing (scripts/install-deps.sh)" >&2; exit 1; }
done
nginx_bin=$(command -v nginx)

work=$(mktemp -d)
pids=()
pg_state=""
cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "$pg_state" ]]; then
    "$here/test-postgres.sh" stop "$pg_state" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

floor_rps=""
# pactumd runs on LOADBENCH_SERVER_THREADS threads, except on PostgreSQL, where it picks its own
# count (one per pooled connection: its handlers wait on libpq) unless the variable is set.
pactumd_threads=(--threads "$server_threads")

# measure NAME URL [wrk args...]: runs wrk and prints a table row; the nginx row sets the floor.
measure() {
  local name=$1 url=$2
  shift 2
  local out="$work/wrk.out"
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "$@" "$url" >"$out" 2>&1 ||
    { cat "$out" >&2; echo "loadbench: wrk failed for $name" >&2; return 1; }
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  non2xx=${non2xx:-0}
  if [[ "$name" == *floor* && "$non2xx" != 0 ]]; then
    echo "loadbench: the floor answered $non2xx errors; see $work/nginx/error.log" >&2
    return 1
  fi
  local errors
  errors=$(awk '/Socket errors:/ {print}' "$out")
  if [[ -z "$floor_rps" ]]; then
    floor_rps=$rps
  fi
  local ratio
  ratio=$(awk -v a="$rps" -v b="$floor_rps" 'BEGIN {printf "%.2f", a / b}')
  printf '| %s | %.0f | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" "$non2xx" "$ratio"
  if [[ -n "$errors" ]]; then
    echo "   ($name: $errors)"
  fi
}

# start_pactumd DATA_DIR [VAR=VALUE...]: starts pactumd on a free port with the given
# environment and sets pactumd_url. Its logs go to $work/pactumd-N.log.
start_pactumd() {
  local data=$1
  shift
  local fifo="$work/pactumd.stdout.$RANDOM"
  mkfifo "$fifo"
  env "$@" "$pactumd" --data "$data" --listen 127.0.0.1:0 "${pactumd_threads[@]}" \
    >"$fifo" 2>>"$work/pactumd.log" &
  pids+=($!)
  local line
  exec 5<"$fifo"
  read -r -t 30 line <&5 || { cat "$work/pactumd.log" >&2; echo "loadbench: pactumd did not start" >&2; exit 1; }
  exec 5<&-
  pactumd_url=${line#pactumd listening on }
  pactumd_pid=${pids[-1]}
}

stop_last() {
  local pid=${pids[-1]}
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset 'pids[-1]'
}

echo "== HTTP load: wrk -t$wrk_threads -c$connections -d$duration; servers on $server_threads threads (pactumd on PostgreSQL: its own count unless LOADBENCH_SERVER_THREADS is set); $(nproc) cores shared with wrk"
echo "| row | requests/s | p50 | p99 | non-2xx | ratio to nginx |"
echo "|---|---|---|---|---|---|"

# The floor: nginx serving a 15-byte static file, logging every request like pactumd does.
nginx_port=$(free_port)
mkdir -p "$work/nginx/www" "$work/nginx/tmp"
printf '{"status":"ok"}' >"$work/nginx/www/healthz"
# nginx's workers drop root for an unprivileged user, who must be able to read the file.
chmod a+rx "$work" "$work/nginx" "$work/nginx/www"
chmod a+r "$work/nginx/www/healthz"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes $server_threads;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/www;
    location = /healthz { default_type application/json; }
  }
}
CONF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pids+=($!)
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$nginx_port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
measure "nginx static file (floor)" "http://127.0.0.1:$nginx_port/healthz"
stop_last

# pactumd without the API: the server core alone (router, access log, metrics).
start_pactumd "$work/plain-data"
measure "pactumd GET /healthz" "$pactumd_url/healthz"
stop_last

# The API rows need `pactum init --demo` and pre-signed requests (the api layer); until those
# exist, say so instead of failing the whole bench.
if ! "$pactum" bench sign-requests --help >/dev/null 2>&1 || ! "$pactum" init --help >/dev/null 2>&1; then
  echo "(authenticated read / audited write rows skipped: pactum init and pactum bench sign-requests are not built)"
  exit 0
fi

seconds=${duration%s}
# More pre-signed requests than any row can send: a nonce is accepted once, and each wrk thread
# replays only its own share, so every share must cover the whole run at up to 100k requests/s
# (wrk's threads are not balanced: on an idle machine one thread sent 60% of a run's requests,
# ran out of its share and the server rightly answered the replays 401).
request_count=$((seconds * 100000 * wrk_threads))

# api_rows LABEL [pactum init options...]: a demo data directory on that database, pactumd on it,
# then the authenticated read (GET the enterprise) and the audited write (POST a department,
# each one a new row plus its audit record) with pre-signed API-app requests.
api_rows() {
  local label=$1
  shift
  local data="$work/data-$label"
  "$pactum" init "$data" --demo "$@" >/dev/null
  local app_id secret group
  read -r app_id secret group < <(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["app_id"], d["app_secret"], d["group_id"])' "$data/demo.json")
  start_pactumd "$data" PACTUM_ACCESS_LOG=true
  "$pactum" bench sign-requests --app-id "$app_id" --secret "$secret" \
    --path "/api/v1/enterprises/$group" -n "$request_count" --out "$work/read.tsv" >/dev/null
  SIGNED_REQUESTS="$work/read.tsv" WRK_THREADS=$wrk_threads \
    measure "authenticated read, $label (GET /api/v1/enterprises/{id})" "$pactumd_url" \
    -s "$here/signed-requests.lua"
  "$pactum" bench sign-requests --app-id "$app_id" --secret "$secret" --method POST \
    --path "/api/v1/enterprises/$group/departments" --body '{"name":"bench-{n}"}' \
    -n "$request_count" --out "$work/write.tsv" >/dev/null
  SIGNED_REQUESTS="$work/write.tsv" WRK_THREADS=$wrk_threads \
    measure "audited write, $label (POST .../departments)" "$pactumd_url" \
    -s "$here/signed-requests.lua"
  stop_last
}

# postgres_peer_row URL: PostgreSQL's own client, pgbench, asking what one authenticated read
# asks of the database (the nonce upsert with its asynchronous commit, then the enterprise row),
# each statement its own transaction as in pactumd, prepared, with as many clients as wrk has
# connections. A peer for the database side, not a floor: 32 backends on 2 cores contend more
# than pactumd's pool of 8 connections, which can therefore do better.
postgres_peer_row() {
  local url=$1 data="$work/data-postgresql"
  local pgbench
  pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -n1)
  if [[ ! -x "$pgbench" ]]; then
    echo "(PostgreSQL floor row skipped: pgbench not found)"
    return 0
  fi
  local app_id group
  read -r app_id group < <(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["app_id"], d["group_id"])' "$data/demo.json")
  cat >"$work/read.pgbench" <<SQL
\set n random(1, 2000000000)
WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting) INSERT INTO api_nonces (app_id, nonce, expires_at) SELECT CAST('$app_id' AS TEXT), 'pgbench-' || :client_id || '-' || :n, CAST(4102444800 AS BIGINT) FROM async_commit ON CONFLICT (app_id, nonce) DO UPDATE SET expires_at = excluded.expires_at WHERE api_nonces.expires_at < CAST(0 AS BIGINT);
SELECT id, parent_id, name FROM enterprises WHERE id = '$group';
SQL
  "$pgbench" -n -M prepared -c "$connections" -j "$wrk_threads" -T "${duration%s}" \
    -f "$work/read.pgbench" "$url" >"$work/pgbench.out" 2>&1 ||
    { cat "$work/pgbench.out" >&2; echo "loadbench: pgbench failed" >&2; return 1; }
  local tps
  tps=$(awk '/^tps = / {print $3; exit}' "$work/pgbench.out")
  printf '| %s | %.0f | | | 0 | %s |\n' \
    "pgbench sending the read's two statements ($connections clients; a peer, not a floor)" "$tps" \
    "$(awk -v a="$tps" -v b="$floor_rps" 'BEGIN {printf "%.2f", a / b}')"
}

api_rows sqlite
if pg_state="$work/pg" && mkdir -p "$pg_state" && "$here/test-postgres.sh" start "$pg_state" >/dev/null 2>&1; then
  if [[ -z "${LOADBENCH_SERVER_THREADS:-}" ]]; then
    pactumd_threads=()
  fi
  api_rows postgresql --database "$(cat "$pg_state/postgres.url")"
  postgres_peer_row "$(cat "$pg_state/postgres.url")"
else
  echo "(PostgreSQL rows skipped: scripts/test-postgres.sh could not start a server)"
fi
