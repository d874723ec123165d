#!/usr/bin/env bash
# The restore drill: restores the latest backup, or the state at a chosen moment (point-in-time
# recovery from the backup and the archived WAL), into a scratch cluster on this host, starts it,
# and proves it whole: the per-tenant manifest of every tenant table (row counts and checksums,
# manifest.sh) and `jinbao audit verify --tenant all` on the restored copy. With --expect, the
# manifest must equal the one given (taken from the primary at that moment). Prints the restore
# and recovery times (the RTO of this host). The scratch cluster never archives into the
# repository and listens on loopback only; it is stopped and removed at the end unless --keep.
#
#   infra/prod/restore-drill.sh [--target '2026-12-07 10:15:00+08'] [--expect manifest.txt]
#       [--scratch /var/tmp/jinbao-drill] [--port 5599] [--keep]
# Environment: PGBACKREST_CONFIG, STANZA (jinbao), PGBACKREST_REPO1_CIPHER_PASS, JINBAO (the
# binary, default `jinbao` on PATH).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/backup/common.sh"

target=""; expect=""; scratch="/var/tmp/jinbao-drill"; port=5599; keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2;;
    --expect) expect="$2"; shift 2;;
    --scratch) scratch="$2"; shift 2;;
    --port) port="$2"; shift 2;;
    --keep) keep=1; shift;;
    *) die "unknown option $1";;
  esac
done
JINBAO="${JINBAO:-jinbao}"
ensure_pgbackrest
[ -x "$PGBIN/pg_ctl" ] || die "PostgreSQL binaries not found (PGBIN)"

data="$scratch/data"
stop() { [ -f "$data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true; }
cleanup() { stop; [ "$keep" = 1 ] || rm -rf "$scratch"; }
trap cleanup EXIT
stop
rm -rf "$scratch"
mkdir -p "$data"
chown -R postgres:postgres "$scratch" 2>/dev/null || true
chmod 700 "$data"

started=$(date +%s.%N)
if [ -n "$target" ]; then
  log "restoring the state at $target into $data"
  pgbr --pg1-path="$data" --type=time --target="$target" --target-action=promote restore
else
  log "restoring the latest backup and all archived WAL into $data"
  pgbr --pg1-path="$data" restore
fi
restored=$(date +%s.%N)

# A scratch cluster: its own port and socket, loopback only, trust for local connections, and
# never archiving into the production repository.
[ -f "$data/postgresql.conf" ] || as_pg touch "$data/postgresql.conf"
as_pg tee -a "$data/postgresql.auto.conf" >/dev/null <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$scratch'
archive_mode = off
hba_file = '$scratch/pg_hba.conf'
ident_file = '$scratch/pg_ident.conf'
CONF
as_pg tee "$scratch/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
as_pg touch "$scratch/pg_ident.conf"
as_pg "$PGBIN/pg_ctl" -D "$data" -l "$scratch/postgres.log" -w -t 600 start >/dev/null
for _ in $(seq 1 600); do
  [ "$(psql -h 127.0.0.1 -p "$port" -U postgres -XAtc 'SELECT pg_is_in_recovery()' postgres 2>/dev/null)" = "f" ] && break
  sleep 0.5
done
[ "$(psql -h 127.0.0.1 -p "$port" -U postgres -XAtc 'SELECT pg_is_in_recovery()' postgres)" = "f" ] || die "recovery did not finish"
recovered=$(date +%s.%N)

url="postgres://postgres@127.0.0.1:$port/jinbao"
bash "$here/backup/manifest.sh" "$url" > "$scratch/manifest.txt"
log "manifest: $(wc -l < "$scratch/manifest.txt") table×tenant lines"
DATABASE_URL="postgres://jinbao_app@127.0.0.1:$port/jinbao" "$JINBAO" audit verify --tenant all
if [ -n "$expect" ]; then
  if ! diff -u "$expect" "$scratch/manifest.txt" >&2; then die "the restored copy differs from the expected manifest"; fi
  log "the restored copy equals the expected manifest"
fi
awk -v s="$started" -v r="$restored" -v v="$recovered" 'BEGIN { printf "restore %.1f s, recovery %.1f s, total %.1f s\n", r - s, v - r, v - s }'
