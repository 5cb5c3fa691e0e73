#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests and local runs: trust auth on 127.0.0.1, a free
# port, data under $OPENESC_PG_DIR (default: a fresh temp dir). As root the server runs as the
# `postgres` OS user (initdb refuses root). Prints the URL on the last line, e.g.
#   export OPENESC_TEST_POSTGRES_URL="$(bash scripts/postgres-start.sh | tail -n 1)"
# and records it (with the directory) in $OPENESC_PG_STATE (default /tmp/openesc-pg.state) for
# scripts/postgres-stop.sh. Installing PostgreSQL is not this script's job (see .ci/run).
set -euo pipefail

STATE="${OPENESC_PG_STATE:-${TMPDIR:-/tmp}/openesc-pg.state}"

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir="$(pg_config --bindir)"
fi
if [ -z "$bindir" ]; then
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then bindir="$d"; break; fi
  done
fi
if [ -z "$bindir" ]; then
  echo "postgres-start: PostgreSQL server binaries not found (initdb, pg_ctl, postgres)" >&2
  exit 1
fi

if [ -f "$STATE" ]; then
  echo "postgres-start: $STATE exists; run scripts/postgres-stop.sh first" >&2
  exit 1
fi

dir="${OPENESC_PG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/openesc-pg-XXXXXX")}"
mkdir -p "$dir"
run=()
if [ "$(id -u)" = "0" ]; then
  chown postgres:postgres "$dir"
  run=(runuser -u postgres --)
fi

port="${OPENESC_PG_PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"

"${run[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -h 127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }

url="postgres://postgres@127.0.0.1:$port/postgres"
printf 'dir=%s\nbindir=%s\nurl=%s\n' "$dir" "$bindir" "$url" >"$STATE"
echo "postgres-start: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') in $dir" >&2
echo "$url"
