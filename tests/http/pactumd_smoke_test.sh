#!/usr/bin/env bash
# pactumd_smoke_test.sh PACTUMD: starts the real binary on a free port, checks GET /healthz over
# a plain TCP connection (bash /dev/tcp, so curl is not needed), sends SIGTERM and expects exit 0.
set -euo pipefail

pactumd="${1:?usage: pactumd_smoke_test.sh PATH_TO_PACTUMD}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "pactumd_smoke_test: $*" >&2
  echo "--- pactumd stderr ---" >&2
  cat "$work/stderr" >&2 || true
  exit 1
}

mkfifo "$work/stdout"
"$pactumd" --listen 127.0.0.1:0 --data "$work/data" >"$work/stdout" 2>"$work/stderr" &
server_pid=$!

# The first stdout line names the real port: "pactumd listening on http://127.0.0.1:PORT".
exec 3<"$work/stdout"
read -r -t 20 first_line <&3 || fail "no start line within 20 s"
[[ "$first_line" =~ ^pactumd\ listening\ on\ http://127\.0\.0\.1:([0-9]+)$ ]] ||
  fail "unexpected start line: $first_line"
port="${BASH_REMATCH[1]}"
[[ -d "$work/data" ]] || fail "--data directory was not created"

exec 4<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /healthz HTTP/1.1\r\nHost: smoke\r\nConnection: close\r\n\r\n' >&4
response="$(timeout 10 cat <&4)" || fail "no response to GET /healthz"
exec 4<&-
[[ "$response" == "HTTP/1.1 200 OK"* ]] || fail "unexpected response: $response"
[[ "$response" == *'{"status":"ok"}' ]] || fail "unexpected body: $response"
grep -qi '^X-Request-Id: [0-9a-f]\{16\}' <<<"${response//$'\r'/}" || fail "no X-Request-Id"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
[[ "$status" -eq 0 ]] || fail "exit status $status after SIGTERM"
grep -q '"target":"/healthz","status":200' "$work/stderr" || fail "no access log line"
echo "pactumd_smoke_test: ok (port $port)"
