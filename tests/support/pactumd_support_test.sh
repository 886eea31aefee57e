#!/usr/bin/env bash
# pactumd_support_test.sh PACTUMD PACTUM: the shell helper other HTTP tests build on
# (tests/support/pactumd.sh), against a real pactumd on a fresh `pactum init --demo` directory:
# start on a free port, a session (log-in, GET /me, a CSRF-guarded POST with and without the
# token), API-app calls signed by the helper's own implementation of the documented rule (a read,
# a query string the server canonicalises, a write with a body), refusals of a wrong secret and
# of a replayed nonce's window, a failed log-in reported, and a clean stop.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=pactumd.sh
source "$here/pactumd.sh"
pactumd_setup "${1:?usage: pactumd_support_test.sh PACTUMD PACTUM}" \
  "${2:?usage: pactumd_support_test.sh PACTUMD PACTUM}"
trap pactumd_cleanup EXIT

fail() {
  echo "pactumd_support_test: $*" >&2
  head -c 4000 "$PACTUMD_LOG" >&2 || true
  exit 1
}

pactumd_serve || fail "pactumd_serve"
[[ "$PACTUMD_URL" =~ ^http://127\.0\.0\.1:[0-9]+$ && "$PACTUMD_PORT" != 0 ]] ||
  fail "unexpected URL $PACTUMD_URL"
[[ -f "$PACTUMD_DATA/pactum.json" ]] || fail "no fresh data directory at $PACTUMD_DATA"

# A session.
pactumd_login demo.owner@pactum.test demo-owner-pass || fail "log-in"
[[ -n "$PACTUMD_CSRF" ]] || fail "no CSRF token"
pactumd_call GET /api/v1/me
[[ "$PACTUMD_STATUS" == 200 ]] || fail "GET /me: $PACTUMD_STATUS $(cat "$PACTUMD_BODY")"
[[ "$(pactumd_json '["user"]["login"]')" == demo.owner@pactum.test ]] ||
  fail "GET /me answered $(cat "$PACTUMD_BODY")"
group="$(pactumd_demo group_id)"
pactumd_call POST "/api/v1/enterprises/$group/departments" '{"name":"Support-Test"}'
[[ "$PACTUMD_STATUS" == 201 || "$PACTUMD_STATUS" == 200 ]] ||
  fail "session POST: $PACTUMD_STATUS $(cat "$PACTUMD_BODY")"
csrf="$PACTUMD_CSRF"
PACTUMD_CSRF=wrong
pactumd_call POST "/api/v1/enterprises/$group/departments" '{"name":"Without-Token"}'
[[ "$PACTUMD_STATUS" == 403 ]] || fail "POST with a wrong CSRF token: $PACTUMD_STATUS"
PACTUMD_CSRF="$csrf"
if pactumd_login demo.owner@pactum.test not-the-password 2>"$PACTUMD_WORK/login.err"; then
  fail "a wrong password logged in"
fi
grep -q "HTTP 401" "$PACTUMD_WORK/login.err" || fail "failed log-in not reported: $(cat "$PACTUMD_WORK/login.err")"

# The demo API app.
pactumd_demo_app_call GET "/api/v1/enterprises/$group"
[[ "$PACTUMD_STATUS" == 200 ]] || fail "signed GET: $PACTUMD_STATUS $(cat "$PACTUMD_BODY")"
[[ "$(pactumd_json '["id"]')" == "$group" ]] || fail "signed GET answered $(cat "$PACTUMD_BODY")"
pactumd_demo_app_call GET "/api/v1/enterprises/$group/audit?object_id=$group&limit=2&action=a%20b"
[[ "$PACTUMD_STATUS" == 200 ]] || fail "signed GET with a query: $PACTUMD_STATUS $(cat "$PACTUMD_BODY")"
pactumd_demo_app_call POST "/api/v1/enterprises/$group/departments" '{"name":"By-The-App"}'
[[ "$PACTUMD_STATUS" == 201 || "$PACTUMD_STATUS" == 200 ]] ||
  fail "signed POST: $PACTUMD_STATUS $(cat "$PACTUMD_BODY")"
pactumd_app_call "$(pactumd_demo app_id)" not-the-secret GET "/api/v1/enterprises/$group"
[[ "$PACTUMD_STATUS" == 401 ]] || fail "wrong secret: $PACTUMD_STATUS"
PACTUMD_APP_TIME=$(($(date +%s) - 3600)) pactumd_demo_app_call GET "/api/v1/enterprises/$group"
[[ "$PACTUMD_STATUS" == 401 ]] || fail "a timestamp an hour old: $PACTUMD_STATUS"

pactumd_stop || fail "stop"
[[ -z "$PACTUMD_PID" ]] || fail "PACTUMD_PID still set"
grep -q '"event":"stop"' "$PACTUMD_LOG" || fail "no stop line in $PACTUMD_LOG"
echo "pactumd_support_test: ok"
