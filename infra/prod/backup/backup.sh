#!/usr/bin/env bash
# Takes a backup of the Jinbao primary with pgBackRest: `full` (weekly), `incr` (daily, the
# default) or `diff`; creates the stanza on first use and prints the repository's state.
#   PGBACKREST_CONFIG=/etc/pgbackrest/pgbackrest.conf infra/prod/backup/backup.sh [full|diff|incr|--check-only]
set -euo pipefail
. "$(dirname "$0")/common.sh"
type="${1:-incr}"
case "$type" in full|diff|incr|--check-only) ;; *) die "backup type must be full, diff or incr (or --check-only)";; esac
ensure_pgbackrest
# Idempotent: creates the stanza the first time, checks it afterwards.
pgbr stanza-create >/dev/null
# Switches to a new WAL segment and waits until it is in the repository: archiving works, and
# every write acknowledged so far is recoverable.
pgbr check >/dev/null
[ "$type" = "--check-only" ] && { log "archiving works: WAL up to now is in the repository"; exit 0; }
started=$(date +%s)
pgbr backup --type="$type"
log "$type backup done in $(( $(date +%s) - started )) s"
# For Prometheus (node exporter's textfile collector, when installed): when each kind last succeeded.
textfiles="${TEXTFILE_DIR:-/var/lib/prometheus/node-exporter}"
if [ -d "$textfiles" ] && [ -w "$textfiles" ]; then
  prom="$textfiles/jinbao_backup.prom"
  { grep -v "type=\"$type\"" "$prom" 2>/dev/null | grep -v '^#' || true
    echo "jinbao_backup_last_success_timestamp_seconds{type=\"$type\"} $(date +%s)"
  } > "$prom.tmp"
  { echo "# HELP jinbao_backup_last_success_timestamp_seconds When a pgBackRest backup of this type last succeeded."
    echo "# TYPE jinbao_backup_last_success_timestamp_seconds gauge"
    cat "$prom.tmp"; } > "$prom.new" && mv "$prom.new" "$prom" && rm -f "$prom.tmp"
fi
pgbr info
