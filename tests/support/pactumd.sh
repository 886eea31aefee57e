# tests/support/pactumd.sh: start, call and stop a real pactumd from a shell test. Source it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/../support/pactumd.sh"
#   pactumd_setup "$1" "$2"            # PACTUMD and PACTUM binaries; makes $PACTUMD_WORK
#   trap pactumd_cleanup EXIT          # stops the server (SIGKILL if needed), removes the work dir
#   pactumd_serve                      # `pactum init --demo` a fresh data dir, start on port 0
#   pactumd_login demo.owner@pactum.test demo-owner-pass
#   pactumd_call GET /api/v1/me        # with the session cookie and X-CSRF-Token
#   [[ $PACTUMD_STATUS == 200 ]] && pactumd_json '["user"]["id"]'
#   pactumd_demo_app_call GET "/api/v1/enterprises/$(pactumd_demo group_id)"   # HMAC-signed
#   pactumd_stop                       # SIGTERM; fails unless pactumd exits 0
#
# Every function returns non-zero with one line on stderr when something goes wrong, so
# `cmd || fail ...` works. State lives in global variables (set in the calling shell, so do not
# call the setters inside $(...)):
#   PACTUMD_WORK     the work directory (mktemp -d), removed by pactumd_cleanup
#   PACTUMD_DATA     the data directory of the last pactumd_serve
#   PACTUMD_PID      the running server's pid ("" when none)
#   PACTUMD_URL      its URL, e.g. http://127.0.0.1:41234 (PACTUMD_SCHEME, PACTUMD_PORT)
#   PACTUMD_LOG      its stderr (JSON log lines): $PACTUMD_WORK/pactumd.err
#   PACTUMD_STATUS   the HTTP status of the last call; PACTUMD_BODY the file holding its body
#   PACTUMD_CSRF     the CSRF token of the last log-in (the session cookie is in a cookie jar)

PACTUMD_PID=""
PACTUMD_URL=""
PACTUMD_STATUS=""

# pactumd_setup PACTUMD PACTUM [WORK]: remembers the binaries and makes the work directory (or
# uses WORK, a directory the test already made; pactumd_cleanup removes it either way).
pactumd_setup() {
  PACTUMD="${1:?pactumd_setup: path to pactumd}"
  PACTUM="${2:?pactumd_setup: path to pactum}"
  PACTUMD_WORK="${3:-$(mktemp -d "${TMPDIR:-/tmp}/pactumd-test-$$-XXXXXX")}"
  PACTUMD_OWNER="$BASHPID"
  PACTUMD_LOG="$PACTUMD_WORK/pactumd.err"
  PACTUMD_BODY="$PACTUMD_WORK/body"
  PACTUMD_COOKIES="$PACTUMD_WORK/cookies"
}

# pactumd_kill: kills a still-running server at once (for EXIT traps).
pactumd_kill() {
  if [[ -n "$PACTUMD_PID" ]] && kill -0 "$PACTUMD_PID" 2>/dev/null; then
    kill -KILL "$PACTUMD_PID" 2>/dev/null || true
    wait "$PACTUMD_PID" 2>/dev/null || true
  fi
  PACTUMD_PID=""
}

# pactumd_cleanup: pactumd_kill, then removes the work directory. Only in the shell that called
# pactumd_setup: bash may run an EXIT trap in a $(...) subshell too, which must not stop the
# server or remove the directory under the test.
pactumd_cleanup() {
  [[ "$BASHPID" == "${PACTUMD_OWNER:-}" ]] || return 0
  pactumd_kill
  if [[ -n "${PACTUMD_WORK:-}" ]]; then
    rm -rf "$PACTUMD_WORK"
  fi
}

# pactumd_start ARGS...: starts "$PACTUMD" ARGS in the background (stderr to $PACTUMD_LOG) and
# waits for its first stdout line, "pactumd listening on URL" (PACTUMD_START_TIMEOUT seconds,
# default 30); sets PACTUMD_PID, PACTUMD_URL, PACTUMD_SCHEME and PACTUMD_PORT. The caller gives
# every option, --listen too (127.0.0.1:0 lets the kernel pick a free port).
pactumd_start() {
  local fifo="$PACTUMD_WORK/pactumd.out"
  rm -f "$fifo"
  mkfifo "$fifo"
  "$PACTUMD" "$@" >"$fifo" 2>"$PACTUMD_LOG" &
  PACTUMD_PID=$!
  local line=""
  exec 3<"$fifo"
  if ! read -r -t "${PACTUMD_START_TIMEOUT:-30}" line <&3; then
    exec 3<&-
    echo "pactumd did not start: $(head -c 2000 "$PACTUMD_LOG")" >&2
    pactumd_kill
    return 1
  fi
  exec 3<&-
  if [[ ! "$line" =~ ^pactumd\ listening\ on\ ((https?)://[^:/]+:([0-9]+))$ ]]; then
    echo "unexpected pactumd start line: $line" >&2
    pactumd_kill
    return 1
  fi
  PACTUMD_URL="${BASH_REMATCH[1]}"
  PACTUMD_SCHEME="${BASH_REMATCH[2]}"
  PACTUMD_PORT="${BASH_REMATCH[3]}"
}

# pactumd_init DIR [INIT_OPTIONS...]: `pactum init DIR --demo INIT_OPTIONS...` (its output in
# $PACTUMD_WORK/init.out).
pactumd_init() {
  local dir="${1:?pactumd_init: data directory}"
  shift
  "$PACTUM" init "$dir" --demo "$@" >"$PACTUMD_WORK/init.out" 2>&1 || {
    echo "pactum init $dir failed: $(cat "$PACTUMD_WORK/init.out")" >&2
    return 1
  }
}

# pactumd_serve [DIR [PACTUMD_OPTIONS...]]: serves a data directory on a free port of
# 127.0.0.1. Without DIR (or with ""), a fresh one, $PACTUMD_WORK/data, made by
# `pactum init --demo`; a DIR that does not exist yet is made the same way; an existing DIR is
# served as it is. Sets PACTUMD_DATA and what pactumd_start sets.
pactumd_serve() {
  PACTUMD_DATA="${1:-$PACTUMD_WORK/data}"
  shift || true
  if [[ ! -e "$PACTUMD_DATA" ]]; then
    pactumd_init "$PACTUMD_DATA" || return 1
  fi
  pactumd_start --data "$PACTUMD_DATA" --listen 127.0.0.1:0 "$@"
}

# pactumd_stop: SIGTERM and wait; fails unless pactumd exits 0.
pactumd_stop() {
  [[ -n "$PACTUMD_PID" ]] || { echo "pactumd_stop: no pactumd running" >&2; return 1; }
  kill -TERM "$PACTUMD_PID"
  local status=0
  wait "$PACTUMD_PID" || status=$?
  PACTUMD_PID=""
  [[ "$status" -eq 0 ]] || { echo "pactumd exited $status after SIGTERM" >&2; return 1; }
}

# pactumd_request METHOD PATH [BODY [CURL_OPTIONS...]]: one request to $PACTUMD_URL; a
# non-empty BODY (JSON) is sent with Content-Type: application/json ("" for none, to pass curl
# options). Sets PACTUMD_STATUS; the answer's body is in $PACTUMD_BODY. Fails only when no HTTP
# answer came.
pactumd_request() {
  local method="$1" path="$2" body="${3:-}"
  shift 2
  [[ $# -gt 0 ]] && shift
  local -a data=()
  if [[ -n "$body" ]]; then
    data=(-H 'Content-Type: application/json' --data-binary "$body")
  fi
  local -a tls=()
  [[ "$PACTUMD_SCHEME" == https ]] && tls=(-k)
  PACTUMD_STATUS="$(curl -s "${tls[@]}" -o "$PACTUMD_BODY" -w '%{http_code}' -X "$method" \
    "${data[@]}" "$@" "$PACTUMD_URL$path")" || {
    echo "no answer to $method $path" >&2
    PACTUMD_STATUS=""
    return 1
  }
}

# pactumd_json PYTHON_INDEX [FILE]: prints a value of the last answer's JSON body (or FILE),
# e.g. pactumd_json '["user"]["id"]'; strings bare, anything else as JSON.
pactumd_json() {
  python3 - "$1" "${2:-$PACTUMD_BODY}" <<'PY'
import json, sys
value = eval("doc" + sys.argv[1], {"doc": json.load(open(sys.argv[2]))})
print(value if isinstance(value, str) else json.dumps(value))
PY
}

# pactumd_login LOGIN PASSWORD: POST /api/v1/auth/login; keeps the session cookie in a cookie
# jar and sets PACTUMD_CSRF. Fails unless the answer is 200.
pactumd_login() {
  rm -f "$PACTUMD_COOKIES"
  local body
  body="$(python3 -c 'import json, sys; print(json.dumps({"login": sys.argv[1], "password": sys.argv[2]}))' "$1" "$2")"
  pactumd_request POST /api/v1/auth/login "$body" -c "$PACTUMD_COOKIES" || return 1
  [[ "$PACTUMD_STATUS" == 200 ]] || {
    echo "log-in of $1: HTTP $PACTUMD_STATUS: $(cat "$PACTUMD_BODY")" >&2
    return 1
  }
  PACTUMD_CSRF="$(pactumd_json '["csrf_token"]')"
}

# pactumd_call METHOD PATH [BODY]: a request in the session of the last pactumd_login (cookie
# and X-CSRF-Token). Sets PACTUMD_STATUS and PACTUMD_BODY as pactumd_request.
pactumd_call() {
  pactumd_request "$1" "$2" "${3:-}" -b "$PACTUMD_COOKIES" -H "X-CSRF-Token: ${PACTUMD_CSRF:-}"
}

# pactumd_app_call APP_ID SECRET METHOD TARGET [BODY]: a request of an API app, signed as
# src/pactum/api/README.md says (an implementation of its rule independent of the server's):
# HMAC-SHA256 over PACTUM-HMAC-SHA256, method, path, canonical query, timestamp, nonce and the
# body's SHA-256, with a fresh random nonce. TARGET may carry a ?query. Sets PACTUMD_STATUS and
# PACTUMD_BODY. PACTUMD_APP_TIME (Unix seconds) replaces the current time when set.
pactumd_app_call() {
  local app_id="$1" secret="$2" method="$3" target="$4"
  local body="${5:-}"
  local -a headers
  mapfile -t headers < <(python3 - "$secret" "$method" "$target" "$body" \
    "${PACTUMD_APP_TIME:-}" <<'PY'
import hashlib, hmac, secrets, sys, time
from urllib.parse import parse_qsl, quote
secret, method, target, body, at = sys.argv[1:6]
path, _, raw_query = target.partition("?")
pairs = sorted(parse_qsl(raw_query, keep_blank_values=True))
query = "&".join(quote(n, safe="-._~") + "=" + quote(v, safe="-._~") for n, v in pairs)
timestamp = at or str(int(time.time()))
nonce = secrets.token_hex(16)
text = "\n".join(["PACTUM-HMAC-SHA256", method, path, query, timestamp, nonce,
                  hashlib.sha256(body.encode()).hexdigest()])
print("X-Pactum-Timestamp: " + timestamp)
print("X-Pactum-Nonce: " + nonce)
print("X-Pactum-Signature: " + hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest())
PY
  )
  [[ ${#headers[@]} -eq 3 ]] || { echo "could not sign $method $target" >&2; return 1; }
  local -a args=(-H "X-Pactum-App-Id: $app_id" -H "${headers[0]}" -H "${headers[1]}"
    -H "${headers[2]}")
  pactumd_request "$method" "$target" "$body" "${args[@]}"
}

# pactumd_demo FIELD [DIR]: a field of the demo file `pactum init --demo` wrote in DIR (default
# $PACTUMD_DATA): app_id, app_secret, group_id, subsidiary_id.
pactumd_demo() {
  pactumd_json "[\"$1\"]" "${2:-$PACTUMD_DATA}/demo.json"
}

# pactumd_demo_app_call METHOD TARGET [BODY]: pactumd_app_call as the demo API app of
# $PACTUMD_DATA (scopes enterprise:read, members:write, audit:read on Demo Group).
pactumd_demo_app_call() {
  local app_id secret
  app_id="$(pactumd_demo app_id)" && secret="$(pactumd_demo app_secret)" || return 1
  pactumd_app_call "$app_id" "$secret" "$@"
}
