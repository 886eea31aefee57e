#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests, from Debian's postgresql package.
#
#   scripts/test-postgres.sh start STATE_DIR   initdb + pg_ctl start in a fresh temporary directory,
#                                              listening on 127.0.0.1 at a free port, its unix
#                                              socket in that directory; writes the connection URI
#                                              (superuser "pactum", database "postgres", no
#                                              password: trust on loopback only) to
#                                              STATE_DIR/postgres.url
#   scripts/test-postgres.sh stop STATE_DIR    stops it and deletes the temporary directory
#
# PostgreSQL refuses to run as root: run as root, the server runs as the system user pactum-pg
# (created if missing). CTest runs start and stop as a fixture around the tests that need it.
set -euo pipefail

action=${1:-}
state_dir=${2:-}
if [ -z "$action" ] || [ -z "$state_dir" ]; then
  echo "usage: $0 start|stop STATE_DIR" >&2
  exit 2
fi

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
else
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then bindir=$d; fi
  done
fi
if [ -z "$bindir" ]; then
  echo "test-postgres: initdb not found (install postgresql: scripts/install-deps.sh)" >&2
  exit 1
fi

run_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u pactum-pg -- "$@"
  else
    "$@"
  fi
}

stop() {
  if [ -f "$state_dir/postgres.dir" ]; then
    local dir
    dir=$(cat "$state_dir/postgres.dir")
    case "$dir" in
      /tmp/pactum-pg.*) ;;
      *) echo "test-postgres: refusing to delete $dir" >&2; exit 1 ;;
    esac
    if [ -d "$dir/data" ]; then
      run_as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
  fi
  rm -f "$state_dir/postgres.dir" "$state_dir/postgres.url"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$action" in
  stop)
    stop
    ;;
  start)
    mkdir -p "$state_dir"
    stop  # a server left over from an interrupted run
    if [ "$(id -u)" -eq 0 ] && ! id pactum-pg >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin pactum-pg
    fi
    dir=$(mktemp -d /tmp/pactum-pg.XXXXXX)
    echo "$dir" >"$state_dir/postgres.dir"
    if [ "$(id -u)" -eq 0 ]; then chown pactum-pg "$dir"; fi
    run_as_owner "$bindir/initdb" -D "$dir/data" -U pactum -A trust -E UTF8 --no-sync \
      --locale=C >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # A port can be taken between choosing it and the server binding it: try a few.
    started=0
    for _ in 1 2 3 4 5; do
      port=$(free_port)
      if run_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
          -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off \
              -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
          start >/dev/null 2>&1; then
        started=1
        break
      fi
    done
    if [ "$started" -ne 1 ]; then
      cat "$dir/server.log" >&2 || true
      exit 1
    fi
    echo "postgresql://pactum@127.0.0.1:$port/postgres" >"$state_dir/postgres.url"
    echo "test-postgres: running on 127.0.0.1:$port ($dir)"
    ;;
  *)
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
