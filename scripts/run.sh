#!/usr/bin/env bash
# run.sh BUILD_DIR DATA_DIR HOST:PORT: starts pactumd from BUILD_DIR with its data in DATA_DIR.
# Called by `make run`.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 BUILD_DIR DATA_DIR HOST:PORT" >&2
  exit 2
fi
build_dir="$1"
data_dir="$2"
listen="$3"

binary="$build_dir/apps/pactumd/pactumd"
if [[ ! -x "$binary" ]]; then
  echo "run.sh: $binary not found; build first (make build)" >&2
  exit 1
fi

cli="$build_dir/apps/pactum/pactum"
# The first run makes the data directory (database, master key, CA and TSA) with demo tenants;
# later runs reuse it, so the demo logins stay the same (they are in $data_dir/demo.json, apart
# from the phone login, which is only printed on the first run).
if [[ ! -f "$data_dir/pactum.json" ]]; then
  "$cli" init "$data_dir" --demo --base-url "http://$listen"
fi
echo "Pactum: http://$listen  (data in $data_dir; Ctrl-C stops it)"
echo "  API: http://$listen/api/v1/openapi.json; log in with POST /api/v1/auth/login"
if [[ -f "$data_dir/demo.json" ]]; then
  echo "  demo logins (password after the login):"
  python3 -c 'import json,sys; [print("   ", l["login"], l["password"], "-", l["role"]) for l in json.load(open(sys.argv[1]))["logins"]]' "$data_dir/demo.json"
  echo "    +8613800138000 demo-admin-pass - admin of Demo Group (phone login)"
fi
exec "$binary" --data "$data_dir" --listen "$listen"
