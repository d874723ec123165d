#!/usr/bin/env bash
# Stops a private install made with ROOT=… infra/prod/install.sh (the test suite's): the server and
# the private nginx, then removes ROOT. The database DB_NAME is dropped when given.
set -euo pipefail
ROOT="${ROOT:?ROOT of the private install}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
start-stop-daemon --stop --quiet --pidfile "$ROOT/run/jinbao.pid" --retry TERM/20/KILL/5 2>/dev/null || true
[ -f "$ROOT/etc/nginx/nginx.conf" ] && nginx -c "$ROOT/etc/nginx/nginx.conf" -s stop 2>/dev/null || true
if [ -n "${DB_NAME:-}" ]; then psql "$PG_URL" -XAtqc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" || true; fi
rm -rf "$ROOT"
