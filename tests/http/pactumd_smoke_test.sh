#!/usr/bin/env bash
# pactumd_smoke_test.sh PACTUMD: runs the real binary and checks, over real sockets:
#   1. plain start on a free port, GET /healthz (bash /dev/tcp), SIGTERM, exit 0, access log;
#   2. a config file plus PACTUM_* overrides (env beats file, --listen beats env), the body limit
#      from the environment answered 413 in the JSON error shape, the start line's config summary;
#   3. GET /metrics parsed by an independent Prometheus parser (python3-prometheus-client);
#   4. TLS from the environment: curl --cacert over https, and plain HTTP to the TLS port refused
#      with a 400 JSON error;
#   5. an invalid configuration: exit 2 naming the problem.
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

# start ARGS...: starts pactumd in the background and sets port and scheme from its first stdout
# line, "pactumd listening on http(s)://127.0.0.1:PORT".
start() {
  rm -f "$work/stdout"
  mkfifo "$work/stdout"
  "$pactumd" "$@" >"$work/stdout" 2>"$work/stderr" &
  server_pid=$!
  exec 3<"$work/stdout"
  read -r -t 20 first_line <&3 || fail "no start line within 20 s"
  exec 3<&-
  [[ "$first_line" =~ ^pactumd\ listening\ on\ (https?)://127\.0\.0\.1:([0-9]+)$ ]] ||
    fail "unexpected start line: $first_line"
  scheme="${BASH_REMATCH[1]}"
  port="${BASH_REMATCH[2]}"
}

# stop: SIGTERM, expect exit 0.
stop() {
  kill -TERM "$server_pid"
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  [[ "$status" -eq 0 ]] || fail "exit status $status after SIGTERM"
}

# --- 1. plain, from the command line only
start --listen 127.0.0.1:0 --data "$work/data"
[[ "$scheme" == http ]] || fail "expected http, got $scheme"
[[ -d "$work/data" ]] || fail "--data directory was not created"
exec 4<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /healthz HTTP/1.1\r\nHost: smoke\r\nConnection: close\r\n\r\n' >&4
response="$(timeout 10 cat <&4)" || fail "no response to GET /healthz"
exec 4<&-
[[ "$response" == "HTTP/1.1 200 OK"* ]] || fail "unexpected response: $response"
[[ "$response" == *'{"status":"ok"}' ]] || fail "unexpected body: $response"
grep -qi '^X-Request-Id: [0-9a-f]\{16\}' <<<"${response//$'\r'/}" || fail "no X-Request-Id"
stop
grep -q '"target":"/healthz","status":200' "$work/stderr" || fail "no access log line"
grep -q '"level":"info","event":"start"' "$work/stderr" || fail "no start line in the log"
grep -q '"level":"info","event":"stop"' "$work/stderr" || fail "no stop line in the log"

# --- 2. config file + environment + command line
cat >"$work/pactumd.json" <<JSON
{"listen": "127.0.0.1:1", "data_dir": "$work/from-file", "log_level": "warn",
 "limits": {"body_bytes": 1000000}}
JSON
PACTUM_LISTEN=127.0.0.1:2 PACTUM_DATA_DIR="$work/from-env" PACTUM_LOG_LEVEL=info \
  PACTUM_BODY_LIMIT_BYTES=100 start --config "$work/pactumd.json" --listen 127.0.0.1:0
[[ -d "$work/from-env" && ! -d "$work/from-file" ]] || fail "PACTUM_DATA_DIR did not win"
big="$(head -c 200 /dev/zero | tr '\0' a)"
status="$(curl -s -o "$work/body" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data "$big" "http://127.0.0.1:$port/healthz")"
[[ "$status" == 413 ]] || fail "expected 413 for a body over PACTUM_BODY_LIMIT_BYTES, got $status"
grep -q '"error":{"code":"body_too_large","message":"[^"]*","request_id":"[0-9a-f]*"}' \
  "$work/body" || fail "unexpected 413 body: $(cat "$work/body")"
status="$(curl -s -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port/nowhere")"
[[ "$status" == 404 ]] || fail "expected 404, got $status"
grep -q '"code":"not_found"' "$work/body" || fail "unexpected 404 body"

# --- 3. /metrics, parsed by the Prometheus client library's own parser
curl -sf "http://127.0.0.1:$port/metrics" >"$work/metrics" || fail "GET /metrics failed"
/usr/bin/python3 - "$work/metrics" <<'PY' || fail "metrics did not parse or lack a sample"
import sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
samples = {}
for family in text_string_to_metric_families(text):
    for sample in family.samples:
        samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
def value(name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))))
assert value("pactum_http_requests_total", method="POST", route="unrouted", status="413") == 1, samples
assert value("pactum_http_requests_total", method="GET", route="unmatched", status="404") == 1
assert value("pactum_http_request_duration_seconds_count", method="GET", route="unmatched") == 1
assert value("pactum_http_requests_in_flight") == 1  # this very request
PY
stop
start_line="$(grep '"event":"start"' "$work/stderr")"
[[ "$start_line" == *'"log_level":"info"'* ]] || fail "PACTUM_LOG_LEVEL did not beat the file"
[[ "$start_line" == *'"body_limit_bytes":100'* ]] || fail "body limit not from the environment"

# --- 4. TLS
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/tls.key" -out "$work/tls.pem" 2>/dev/null
PACTUM_TLS_CERT="$work/tls.pem" PACTUM_TLS_KEY="$work/tls.key" \
  start --data "$work/data" --listen 127.0.0.1:0
[[ "$scheme" == https ]] || fail "expected https, got $scheme"
body="$(curl -sf --cacert "$work/tls.pem" "https://127.0.0.1:$port/healthz")" ||
  fail "curl --cacert https failed"
[[ "$body" == '{"status":"ok"}' ]] || fail "unexpected https body: $body"
status="$(curl -s -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port/healthz")"
[[ "$status" == 400 ]] || fail "plain HTTP on the TLS port: expected 400, got $status"
grep -q '"code":"bad_request"' "$work/body" || fail "unexpected body: $(cat "$work/body")"
if curl -s --cacert "$work/tls.pem" --tlsv1.1 --tls-max 1.1 "https://127.0.0.1:$port/healthz" \
  >/dev/null 2>&1; then
  fail "TLS 1.1 was accepted"
fi
body="$(curl -sf --cacert "$work/tls.pem" "https://127.0.0.1:$port/healthz")" ||
  fail "the server stopped serving after refused clients"
stop

# --- 5. invalid configuration
status=0
PACTUM_LOG_LEVEL=loud "$pactumd" --data "$work/data" >/dev/null 2>"$work/stderr" || status=$?
[[ "$status" -eq 2 ]] || fail "invalid configuration: expected exit 2, got $status"
grep -q 'log_level must be debug, info, warn or error' "$work/stderr" ||
  fail "invalid configuration not explained"
echo "pactumd_smoke_test: ok"
