#!/usr/bin/env bash
# A streaming replica (hot standby) for the province's figures. Two steps, as root:
#   on the primary:  infra/prod/replica.sh primary REPLICA_ADDRESS
#       a replication role (jinbao_replicator, password in /etc/jinbao/replicator.password), a
#       pg_hba line for the replica's address only (scram-sha-256 over TLS), a reload
#   on the replica:  REPLICATOR_PASSWORD=… infra/prod/replica.sh standby PRIMARY_ADDRESS
#       the local cluster replaced by a base backup of the primary (pg_basebackup -R, a
#       replication slot so the primary keeps the WAL the replica still needs), started as a
#       hot standby
# Then point the servers at it: JINBAO_ANALYTICS_DATABASE_URL=postgres://jinbao_analytics:…@REPLICA/jinbao
# in /etc/jinbao/jinbao.env (docs/operations.md "A replica for the province").
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/backup/common.sh"
[ "$(id -u)" -eq 0 ] || die "run as root"
ver=$(ls /etc/postgresql | sort -V | tail -n 1)
case "${1:-}" in
  primary)
    replica="${2:?the replica's address}"
    pwfile=/etc/jinbao/replicator.password
    install -d -m 0750 /etc/jinbao
    [ -s "$pwfile" ] || { od -An -N18 -tx1 /dev/urandom | tr -d ' \n' > "$pwfile"; chmod 0600 "$pwfile"; }
    pw=$(cat "$pwfile")
    as_pg psql -XAtq -v ON_ERROR_STOP=1 -v pw="$pw" <<'SQL'
SELECT format('CREATE ROLE jinbao_replicator WITH REPLICATION LOGIN PASSWORD %L', :'pw')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jinbao_replicator') \gexec
SELECT format('ALTER ROLE jinbao_replicator WITH PASSWORD %L', :'pw') \gexec
SQL
    hba="/etc/postgresql/$ver/main/pg_hba.conf"
    line="hostssl replication jinbao_replicator $replica/32 scram-sha-256"
    grep -qxF "$line" "$hba" || echo "$line" >> "$hba"
    as_pg psql -XAtqc "SELECT pg_reload_conf()" >/dev/null
    log "primary ready for a replica at $replica; give it the password in $pwfile"
    ;;
  standby)
    primary="${2:?the primary's address}"
    : "${REPLICATOR_PASSWORD:?the password from /etc/jinbao/replicator.password on the primary}"
    data="/var/lib/postgresql/$ver/main"
    if [ -d /run/systemd/system ]; then systemctl stop "postgresql@$ver-main"; else pg_ctlcluster --skip-systemctl-redirect "$ver" main stop || true; fi
    [ -d "$data" ] && mv "$data" "$data.before-replica.$(date +%s)"
    as_pg env PGPASSWORD="$REPLICATOR_PASSWORD" PGSSLMODE=require "$PGBIN/pg_basebackup" -h "$primary" -U jinbao_replicator \
      -D "$data" -R -X stream -C -S jinbao_province -c fast -P
    cat > "/etc/postgresql/$ver/main/conf.d/30-standby.conf" <<CONF
hot_standby = on
hot_standby_feedback = on
# Province reports may read for minutes; replaying WAL waits for them up to this long.
max_standby_streaming_delay = 5min
archive_mode = off
CONF
    if [ -d /run/systemd/system ]; then systemctl start "postgresql@$ver-main"; else pg_ctlcluster --skip-systemctl-redirect "$ver" main start; fi
    log "hot standby of $primary running; lag: SELECT now() - pg_last_xact_replay_timestamp()"
    ;;
  *) die "usage: replica.sh primary REPLICA_ADDRESS | standby PRIMARY_ADDRESS";;
esac
