#!/usr/bin/env bash
# A throwaway primary with WAL archived to its own encrypted pgBackRest repository, for the
# backup tests and for trying the drill on a workstation. Everything lives under DIR; the cluster
# listens on 127.0.0.1:PORT with trust authentication (tests only).
#   test-cluster.sh start DIR PORT     prints the pgBackRest config path
#   test-cluster.sh standby DIR PRIMARY_PORT PORT
#                                      a hot standby of that primary, streaming (pg_basebackup -R)
#   test-cluster.sh stop DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/common.sh"

cmd="${1:?start|stop}"; dir="${2:?DIR}"
case "$cmd" in
  stop)
    [ -f "$dir/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    exit 0;;
  start) port="${3:?PORT}";;
  standby)
    primary="${3:?PRIMARY_PORT}"; port="${4:?PORT}"
    mkdir -p "$dir"; chown postgres:postgres "$dir" 2>/dev/null || true
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/data" -R -X stream -c fast
    as_pg tee -a "$dir/data/postgresql.auto.conf" >/dev/null <<CONF
port = $port
unix_socket_directories = '$dir'
archive_mode = off
hot_standby = on
hot_standby_feedback = on
CONF
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w start >/dev/null
    exit 0;;
  *) die "start, standby or stop";;
esac
ensure_pgbackrest
mkdir -p "$dir"
chown postgres:postgres "$dir" 2>/dev/null || true
as_pg mkdir -p "$dir/repo" "$dir/lock" "$dir/log" "$dir/spool"
as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
conf="$dir/pgbackrest.conf"
as_pg tee "$conf" >/dev/null <<CONF
[global]
repo1-path=$dir/repo
repo1-cipher-type=aes-256-cbc
repo1-cipher-pass=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
repo1-retention-full=2
compress-type=zst
start-fast=y
lock-path=$dir/lock
log-path=$dir/log
spool-path=$dir/spool
log-level-console=warn

[$STANZA]
pg1-path=$dir/data
pg1-port=$port
pg1-socket-path=$dir
CONF
as_pg chmod 600 "$conf"
as_pg tee -a "$dir/data/postgresql.auto.conf" >/dev/null <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
wal_level = replica
archive_mode = on
archive_command = 'pgbackrest --config=$conf --stanza=$STANZA archive-push %p'
archive_timeout = 60
CONF
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w start >/dev/null
echo "$conf"
