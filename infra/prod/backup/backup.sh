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
pgbr info
