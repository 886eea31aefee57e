#!/usr/bin/env bash
# pactumd_smoke_test.sh PACTUMD: runs the real binary and checks, over real sockets:
#   1. plain start on a free port, GET /healthz (bash /dev/tcp), SIGTERM, exit 0, access log;
#   2. a config file plus PACTUM_* overrides (env beats file, --listen beats env), the body limit
#      from the environment answered 413 in the JSON error shape, the start line's config summary;
#   3. GET /metrics parsed by an independent Prometheus parser (python3-prometheus-client);
#   4. TLS from the environment: curl --cacert over https, and plain HTTP to the TLS port refused
#      with a 400 JSON error;
#   5. an invalid configuration: exit 2 naming the problem;
#   6. a data directory made by `pactum init`: database_url and base_url from the file, the
#      environment and the options (options win), shown in the start line with the database
#      password masked; bad values and overrides without a data directory refused;
#   6b. `pactum keys rotate --retire` while pactumd runs: the running server still logs people in;
#   7. (restarted on the re-sealed CA/TSA keys) /metrics behind metrics_token (401/403 JSON
#      errors, then 200), log-ins counted by result, server signatures (time-stamp, OCSP
#      response, CRL made once, served twice) and errors by code, all through the Prometheus
#      parser; HTTP 411 and Expect: 100-continue with curl.
set -euo pipefail

pactumd="${1:?usage: pactumd_smoke_test.sh PATH_TO_PACTUMD PATH_TO_PACTUM}"
pactum="${2:?usage: pactumd_smoke_test.sh PATH_TO_PACTUMD PATH_TO_PACTUM}"
# shellcheck source=../support/pactumd.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/pactumd.sh"
pactumd_setup "$pactumd" "$pactum"
work="$PACTUMD_WORK"
PACTUMD_LOG="$work/stderr"  # the checks below read pactumd's log there
trap pactumd_cleanup EXIT

fail() {
  echo "pactumd_smoke_test: $*" >&2
  echo "--- pactumd stderr ---" >&2
  cat "$work/stderr" >&2 || true
  exit 1
}

# start ARGS...: starts pactumd in the background and sets port and scheme from its first stdout
# line, "pactumd listening on http(s)://127.0.0.1:PORT".
start() {
  pactumd_start "$@" || fail "pactumd did not start"
  [[ "$PACTUMD_URL" =~ ^https?://127\.0\.0\.1: ]] || fail "unexpected address: $PACTUMD_URL"
  scheme="$PACTUMD_SCHEME"
  port="$PACTUMD_PORT"
}

# stop: SIGTERM, expect exit 0.
stop() {
  pactumd_stop || fail "pactumd did not stop cleanly after SIGTERM"
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
# (Outside /api/ an unknown path is the web app's client-side route, served its index.html.)
status="$(curl -s -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$port/api/v1/nowhere")"
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
status=0
PACTUM_DATABASE_URL=mysql://db PACTUM_BASE_URL=ftp://x "$pactumd" --data "$work/data" \
  >/dev/null 2>"$work/stderr" || status=$?
[[ "$status" -eq 2 ]] || fail "bad database_url/base_url: expected exit 2, got $status"
grep -q 'database_url must be sqlite:PATH or postgresql://' "$work/stderr" ||
  fail "bad database_url not explained"
grep -q 'base_url must start with http:// or https://' "$work/stderr" ||
  fail "bad base_url not explained"
status=0
"$pactumd" --data "$work/data" --listen 127.0.0.1:0 --base-url http://x.example \
  >/dev/null 2>"$work/stderr" || status=$?
[[ "$status" -eq 1 ]] || fail "base_url without a data directory: expected exit 1, got $status"
grep -q 'apply to a data directory made by `pactum init`' "$work/stderr" ||
  fail "base_url without a data directory not explained"

# --- 6. database and base URL of a data directory
"$pactum" init "$work/made" --base-url http://init.example --demo >/dev/null ||
  fail "pactum init failed"
cat >"$work/urls.json" <<JSON
{"data_dir": "$work/made", "base_url": "http://file.example", "database_url": "sqlite:file.db"}
JSON
PACTUM_BASE_URL=http://env.example:8443/pactum start --config "$work/urls.json" \
  --listen 127.0.0.1:0
stop
start_line="$(grep '"event":"start"' "$work/stderr")"
[[ "$start_line" == *'"pki":"http://env.example:8443/pactum"'* ]] ||
  fail "PACTUM_BASE_URL did not reach the PKI: $start_line"
[[ "$start_line" == *"\"database\":\"sqlite:$work/made/file.db\""* ]] ||
  fail "database_url from the file not used: $start_line"
[[ -f "$work/made/file.db" ]] || fail "the configured SQLite database was not created"
PACTUM_BASE_URL=http://env.example start --config "$work/urls.json" --listen 127.0.0.1:0 \
  --base-url https://option.example --database sqlite:pactum.db
stop
start_line="$(grep '"event":"start"' "$work/stderr")"
[[ "$start_line" == *'"pki":"https://option.example"'* ]] || fail "--base-url did not win"
[[ "$start_line" == *"\"database\":\"sqlite:$work/made/pactum.db\""* ]] ||
  fail "--database did not win: $start_line"
# A PostgreSQL URL's password never reaches the log (the server need not be reachable: the
# start fails, and the failure names no password either).
status=0
PACTUM_DATABASE_URL='postgresql://pactum:s3cret-pw@127.0.0.1:1/pactum' \
  "$pactumd" --data "$work/made" --listen 127.0.0.1:0 >/dev/null 2>"$work/stderr" || status=$?
[[ "$status" -eq 1 ]] || fail "unreachable PostgreSQL: expected exit 1, got $status"
if grep -q 's3cret-pw' "$work/stderr"; then
  fail "the database password was logged"
fi

# --- 6b. master-key rotation while pactumd runs: logins keep working without a restart
start --data "$work/made" --listen 127.0.0.1:0
url="http://127.0.0.1:$port"
login_status() {  # login_status LOGIN PASSWORD -> HTTP status
  curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"$2\"}" "$url/api/v1/auth/login"
}
[[ "$(login_status +8613800138000 demo-admin-pass)" == 200 ]] || fail "log-in before rotation"
"$pactum" keys status "$work/made" >"$work/keys-before" || fail "pactum keys status failed"
[[ "$(wc -l <"$work/keys-before")" -eq 1 ]] || fail "one master key expected: $(cat "$work/keys-before")"
"$pactum" keys rotate "$work/made" --batch 2 --retire >"$work/rotate.out" ||
  fail "pactum keys rotate --retire failed: $(cat "$work/rotate.out")"
grep -q 'resealed 5 users, 1 API apps' "$work/rotate.out" || fail "unexpected: $(cat "$work/rotate.out")"
grep -q '3 CA/TSA keys' "$work/rotate.out" || fail "CA/TSA keys not resealed: $(cat "$work/rotate.out")"
grep -q 'retired 1 old master key' "$work/rotate.out" || fail "old key not retired"
"$pactum" keys status "$work/made" >"$work/keys-after"
[[ "$(wc -l <"$work/keys-after")" -eq 1 ]] && grep -q ' current ' "$work/keys-after" &&
  ! grep -q "$(cut -d' ' -f1 "$work/keys-before")" "$work/keys-after" ||
  fail "after rotation: $(cat "$work/keys-after")"
[[ "$(login_status +8613800138000 demo-admin-pass)" == 200 ]] ||
  fail "log-in after rotation, same pactumd process"
[[ "$(login_status demo.sub@pactum.test demo-sub-pass)" == 200 ]] || fail "e-mail log-in after rotation"
stop

# --- 7. metrics behind a token, the counters, 411 and 100-continue
token=smoke-metrics-token-0123456789
PACTUM_METRICS_TOKEN=$token start --data "$work/made" --listen 127.0.0.1:0
url="http://127.0.0.1:$port"
status="$(curl -s -o "$work/body" -w '%{http_code}' "$url/metrics")"
[[ "$status" == 401 ]] || fail "/metrics without the token: expected 401, got $status"
grep -q '"code":"unauthorized"' "$work/body" || fail "unexpected 401 body: $(cat "$work/body")"
status="$(curl -s -o "$work/body" -w '%{http_code}' -H 'Authorization: Bearer wrong-token-0123456789' \
  "$url/metrics")"
[[ "$status" == 403 ]] || fail "/metrics with a wrong token: expected 403, got $status"
grep -q '"code":"forbidden"' "$work/body" || fail "unexpected 403 body: $(cat "$work/body")"

login() {  # login LOGIN PASSWORD -> HTTP status
  curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"$2\"}" "$url/api/v1/auth/login"
}
[[ "$(login demo.owner@pactum.test demo-owner-pass)" == 200 ]] || fail "demo log-in failed"
for _ in 1 2 3 4 5; do
  [[ "$(login demo.member@pactum.test wrong-password)" == 401 ]] || fail "wrong password not 401"
done
status="$(login demo.member@pactum.test demo-member-pass)"
[[ "$status" == 4* && "$status" != 401 ]] || fail "locked account: expected a refusal, got $status"
for i in $(seq 1 15); do login "nobody$i@pactum.test" wrong-password >/dev/null; done
status="$(login demo.owner@pactum.test demo-owner-pass)"
[[ "$status" == 429 ]] || fail "throttled address: expected 429, got $status"

printf 'contract' >"$work/doc.txt"
openssl ts -query -data "$work/doc.txt" -sha256 -cert -out "$work/q.tsq" 2>/dev/null
curl -sf -H 'Content-Type: application/timestamp-query' --data-binary @"$work/q.tsq" \
  -o "$work/r.tsr" "$url/tsa" || fail "POST /tsa failed"
curl -sf -o "$work/issuing.cer" "$url/pki/issuing-ca.cer" || fail "no issuing CA certificate"
openssl x509 -inform DER -in "$work/issuing.cer" -out "$work/issuing.pem"
openssl ocsp -issuer "$work/issuing.pem" -serial 0x1 -reqout "$work/ocsp.req" -no_nonce 2>/dev/null
curl -sf -H 'Content-Type: application/ocsp-request' --data-binary @"$work/ocsp.req" \
  -o /dev/null "$url/pki/ocsp" || fail "POST /pki/ocsp failed"
curl -sf -o /dev/null "$url/pki/crl" && curl -sf -o /dev/null "$url/pki/crl" ||
  fail "GET /pki/crl failed"

# 411: a POST without a length; curl -X POST without data sends no Content-Length.
status="$(curl -s -o "$work/body" -w '%{http_code}' -X POST "$url/tsa")"
[[ "$status" == 411 ]] || fail "POST without Content-Length: expected 411, got $status"
grep -q '"code":"length_required"' "$work/body" || fail "unexpected 411 body"
# Expect: 100-continue: the interim 100 comes before the body is sent, then the answer.
curl -s -v -H 'Expect: 100-continue' -H 'Content-Type: application/timestamp-query' \
  --data-binary @"$work/q.tsq" -o /dev/null "$url/tsa" 2>"$work/continue.log" ||
  fail "POST /tsa with Expect: 100-continue failed"
grep -q '^< HTTP/1.1 100 Continue' "$work/continue.log" || fail "no 100 Continue: $(cat "$work/continue.log")"
grep -q '^< HTTP/1.1 200 OK' "$work/continue.log" || fail "no 200 after 100 Continue"
# Over the body limit (1 MiB): 413 at once, no 100, the body never sent.
head -c 2000000 /dev/zero >"$work/big.bin"
curl -s -v -H 'Expect: 100-continue' -H 'Content-Type: application/timestamp-query' \
  --data-binary @"$work/big.bin" -o "$work/body" "$url/tsa" 2>"$work/big.log" || true
grep -q '^< HTTP/1.1 413' "$work/big.log" || fail "oversized body: no 413: $(cat "$work/big.log")"
if grep -q '^< HTTP/1.1 100' "$work/big.log"; then
  fail "100 Continue sent for a body over the limit"
fi

curl -sf -H "Authorization: Bearer $token" "$url/metrics" >"$work/metrics" ||
  fail "GET /metrics with the token failed"
/usr/bin/python3 - "$work/metrics" <<'PY' || fail "metrics did not parse or lack a sample"
import sys
from prometheus_client.parser import text_string_to_metric_families
samples = {}
for family in text_string_to_metric_families(open(sys.argv[1]).read()):
    for sample in family.samples:
        samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
def value(name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))))
assert value("pactum_logins_total", result="success") == 1, samples
assert value("pactum_logins_total", result="wrong_password") >= 5
assert value("pactum_logins_total", result="locked") == 1
assert value("pactum_logins_total", result="throttled") == 1
assert value("pactum_logins_total", result="error") == 0
assert value("pactum_signatures_total", kind="timestamp") == 2, samples  # plain and 100-continue
assert value("pactum_signatures_total", kind="ocsp_response") == 1
assert value("pactum_signatures_total", kind="crl") == 1  # made once, served twice
assert value("pactum_http_errors_total", code="unauthorized") >= 2  # 401 scrape, wrong passwords
assert value("pactum_http_errors_total", code="forbidden") == 1
assert value("pactum_http_errors_total", code="length_required") == 1
assert value("pactum_http_errors_total", code="body_too_large") == 1
assert value("pactum_http_errors_total", code="rate_limited") == 2  # locked and throttled
assert value("pactum_http_errors_total", code="internal") == 0
PY
stop
echo "pactumd_smoke_test: ok"
