#!/usr/bin/env bash
# Stops the cluster scripts/postgres-start.sh started and deletes its directory. Safe to run twice.
set -euo pipefail

STATE="${OPENESC_PG_STATE:-${TMPDIR:-/tmp}/openesc-pg.state}"
if [ ! -f "$STATE" ]; then
  echo "postgres-stop: nothing to stop ($STATE not found)" >&2
  exit 0
fi
dir="$(sed -n 's/^dir=//p' "$STATE")"
bindir="$(sed -n 's/^bindir=//p' "$STATE")"
run=()
if [ "$(id -u)" = "0" ]; then run=(runuser -u postgres --); fi
if [ -d "$dir/data" ]; then
  "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
fi
rm -rf "$dir"
rm -f "$STATE"
echo "postgres-stop: stopped and removed $dir" >&2
