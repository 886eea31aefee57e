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

mkdir -p "$data_dir"
echo "Pactum: http://$listen  (data in $data_dir; Ctrl-C stops it)"
echo "Demo logins arrive with the accounts issue; for now the server answers GET /healthz."
exec "$binary" --data "$data_dir" --listen "$listen"
