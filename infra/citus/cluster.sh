#!/usr/bin/env bash
# A local Citus cluster on this machine: one coordinator and two workers, each its own
# PostgreSQL cluster under DIR, listening on 127.0.0.1 (coordinator PORT, workers PORT+1 and
# PORT+2) with trust authentication — for development, the tests and the benchmark, not for
# production (docs/scaling.md). Builds the extension first when missing (build.sh).
#   cluster.sh start DIR PORT    prints "coordinator PORT"; a second start of a running cluster does nothing
#   cluster.sh stop DIR
#   cluster.sh status DIR        the nodes the coordinator knows
#   cluster.sh database DIR NAME after `jinbao db bootstrap` made the roles (propagated to the
#                                workers) and the database on the coordinator: the same database,
#                                owned by jinbao_owner, on the workers, the extension in it on
#                                every node, the workers registered in it
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
log() { printf '[citus-cluster] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
as_pg() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres -- "$@"
  fi
}
nodes() { echo coordinator worker1 worker2; }

cmd="${1:?start|stop|status}"; dir="${2:?DIR}"
case "$cmd" in
  stop)
    for n in $(nodes); do
      [ -f "$dir/$n/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/$n/data" -m fast -w stop >/dev/null 2>&1 || true
    done
    exit 0;;
  status)
    port="$(cat "$dir/port")"
    as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XAtc \
      "SELECT nodename || ':' || nodeport || ' group ' || groupid || CASE WHEN isactive THEN ' active' ELSE ' inactive' END FROM pg_dist_node ORDER BY groupid"
    exit 0;;
  database)
    name="${3:?NAME}"; port="$(cat "$dir/port")"
    case "$name" in *[!a-z0-9_]*) die "database name: letters, digits and _";; esac
    for w in 0 1 2; do
      p=$((port + w))
      q() { as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$p" -U postgres -d "$1" -XqAt -v ON_ERROR_STOP=1 -c "$2"; }
      q postgres "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
        || q postgres "CREATE DATABASE $name OWNER jinbao_owner ENCODING 'UTF8' TEMPLATE template0"
      q "$name" "CREATE EXTENSION IF NOT EXISTS citus"
    done
    q() { as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d "$name" -XqAt -v ON_ERROR_STOP=1 -c "$1"; }
    q "SELECT citus_set_coordinator_host('127.0.0.1', $port)" >/dev/null
    for w in 1 2; do
      q "SELECT 1 FROM pg_dist_node WHERE nodename = '127.0.0.1' AND nodeport = $((port + w))" | grep -q 1 \
        || q "SELECT citus_add_node('127.0.0.1', $((port + w)))" >/dev/null
    done
    log "database $name on the coordinator and both workers"
    exit 0;;
  start) port="${3:?PORT}";;
  *) die "start, stop, status or database";;
esac

bash "$here/build.sh"
mkdir -p "$dir"; chown postgres:postgres "$dir" 2>/dev/null || true
echo "$port" > "$dir/port"
i=0
for n in $(nodes); do
  p=$((port + i)); i=$((i + 1))
  d="$dir/$n"
  if [ ! -f "$d/data/PG_VERSION" ]; then
    as_pg mkdir -p "$d"
    as_pg "$PGBIN/initdb" -D "$d/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # wal_level=logical and citus in output_plugin_libraries: shard moves and tenant isolation use
    # logical replication (PostgreSQL ≥ 15.19 checks the output plugin's library).
    as_pg tee -a "$d/data/postgresql.auto.conf" >/dev/null <<CONF
port = $p
listen_addresses = '127.0.0.1'
unix_socket_directories = '$d'
shared_preload_libraries = 'citus'
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
max_connections = 200
citus.enable_statistics_collection = off
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    if as_pg "$PGBIN/postgres" --describe-config 2>/dev/null | grep "^output_plugin_libraries" >/dev/null; then
      echo "output_plugin_libraries = 'citus,pgoutput'" | as_pg tee -a "$d/data/postgresql.auto.conf" >/dev/null
    fi
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$d/data" status >/dev/null 2>&1; then
    as_pg "$PGBIN/pg_ctl" -D "$d/data" -l "$d/postgres.log" -w start >/dev/null || { tail -n 20 "$d/postgres.log" >&2; die "$n did not start"; }
  fi
  # The extension in the maintenance database, where roles are created (and so propagated to
  # the workers). CREATE EXTENSION turns ssl on with a self-signed certificate; the nodes then
  # talk to each other over TLS (citus.node_conninfo 'sslmode=require').
  as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$p" -U postgres -d postgres -XqAt -v ON_ERROR_STOP=1 \
    -c "CREATE EXTENSION IF NOT EXISTS citus" -c "SELECT pg_reload_conf()" >/dev/null
done
psql_c() { as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d "${2:-postgres}" -XqAt -v ON_ERROR_STOP=1 -c "$1"; }
psql_c "SELECT citus_set_coordinator_host('127.0.0.1', $port)" >/dev/null
for w in 1 2; do
  psql_c "SELECT 1 FROM pg_dist_node WHERE nodename = '127.0.0.1' AND nodeport = $((port + w))" | grep -q 1 \
    || psql_c "SELECT citus_add_node('127.0.0.1', $((port + w)))" >/dev/null
done
log "coordinator 127.0.0.1:$port, workers :$((port + 1)) :$((port + 2))"
echo "coordinator $port"
