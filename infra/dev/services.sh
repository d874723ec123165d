#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 (5432, 6379). Starts the local services when
# installed but stopped; installs them from Debian packages when missing. A freshly installed
# PostgreSQL is opened to local TCP connections with trust authentication (development only).
set -euo pipefail

PGPORT="${PGPORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

log() { printf '[services] %s\n' "$*" >&2; }

apt_install() {
  log "installing $* (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || true
  $SUDO apt-get install -y -qq "$@" >/dev/null
}

pg_up() { pg_isready -h 127.0.0.1 -p "$PGPORT" -q 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

ensure_postgres() {
  command -v pg_isready >/dev/null || apt_install postgresql-client
  if pg_up; then log "PostgreSQL is up on 127.0.0.1:$PGPORT"; return; fi
  local fresh=0
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fresh=1; fi
  local ver; ver=$(ls /etc/postgresql | sort -V | tail -n 1)
  if [ "$fresh" = 1 ]; then
    local hba="/etc/postgresql/$ver/main/pg_hba.conf"
    log "allowing trust authentication on 127.0.0.1 in $hba (development cluster)"
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  log "starting PostgreSQL $ver"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { log "PostgreSQL did not come up on 127.0.0.1:$PGPORT"; exit 1; }
}

ensure_redis() {
  command -v redis-server >/dev/null || apt_install redis-server redis-tools
  if redis_up; then log "Redis is up on 127.0.0.1:$REDIS_PORT"; return; fi
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
  for _ in $(seq 1 20); do redis_up && break; sleep 0.5; done
  redis_up || { log "Redis did not come up on 127.0.0.1:$REDIS_PORT"; exit 1; }
}

ensure_postgres
ensure_redis
