#!/usr/bin/env bash
# A throwaway PostgreSQL cluster with PostGIS, for the postgres tests and
# benchmarks:
#
#	eval "$(bash scripts/pg.sh start)"   # exports GEOTAG_TEST_POSTGRES and GEOTAG_PG_DIR
#	bash scripts/pg.sh stop "$GEOTAG_PG_DIR"
#
# start runs initdb in a new temporary directory as an unprivileged user (the
# postgres user when run as root, else the caller), starts the server
# listening on a unix socket in that directory only (no TCP port), creates
# the database geotag with the postgis and pg_trgm extensions and prints the
# export lines. stop stops the server and deletes the directory. Fails when
# PostgreSQL 15 or PostGIS is missing (scripts/test.sh installs them).
set -euo pipefail

bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
cmd="${1:-start}"

run_as() { # run_as USER CMD...: as USER (su from root), or as the caller
  local user="$1"
  shift
  if [ "$(id -u)" -eq 0 ]; then
    su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

case "$cmd" in
start)
  for tool in initdb pg_ctl postgres psql; do
    [ -x "$bin/$tool" ] || command -v "$tool" >/dev/null 2>&1 ||
      { echo "pg.sh: $bin/$tool is missing (apt-get install postgresql-15)" >&2; exit 1; }
  done
  [ -f /usr/share/postgresql/15/extension/postgis.control ] ||
    { echo "pg.sh: PostGIS is missing (apt-get install postgresql-15-postgis-3)" >&2; exit 1; }
  psql="$bin/psql"
  [ -x "$psql" ] || psql="$(command -v psql)"
  user="$(id -un)"
  [ "$(id -u)" -eq 0 ] && user=postgres
  dir="$(mktemp -d /tmp/geotag-pg.XXXXXX)"
  chmod 0755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$user" "$dir"
  # C.UTF-8: lower() and the trigram index know non-ASCII letters.
  run_as "$user" "$bin/initdb" -D "$dir/data" -U geotag --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  run_as "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  run_as "$user" "$psql" -h "$dir" -U geotag -d postgres -qAt -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE geotag" >/dev/null
  run_as "$user" "$psql" -h "$dir" -U geotag -d geotag -qAt -v ON_ERROR_STOP=1 \
    -c "CREATE EXTENSION postgis" -c "CREATE EXTENSION pg_trgm" >/dev/null
  echo "export GEOTAG_PG_DIR='$dir'"
  echo "export GEOTAG_TEST_POSTGRES='postgres://geotag@/geotag?host=$dir&sslmode=disable'"
  ;;
stop)
  dir="${2:-${GEOTAG_PG_DIR:-}}"
  [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "pg.sh: stop needs the cluster directory" >&2; exit 1; }
  user="$(stat -c %U "$dir/data")"
  run_as "$user" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg.sh start | stop DIR" >&2
  exit 2
  ;;
esac
