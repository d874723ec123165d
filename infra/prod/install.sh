#!/usr/bin/env bash
# Installs Jinbao on a Debian 12 host: packages (PostgreSQL 15, Redis, nginx, pgBackRest), the
# `jinbao` system user, the binary and its files, the database roles and schema, tenants/, a
# JWT key, the environment file, TLS (a self-signed certificate unless one is given), nginx as the
# HTTPS proxy, pgBackRest with WAL archiving, and the systemd units (server, backups, restore
# drill). Ends by checking /readyz and the login page through nginx over HTTPS. Idempotent.
#
#   sudo infra/prod/install.sh                      # the host itself, as docs/operations.md says
#
# Settings (environment):
#   JINBAO_BIN        the binary to install (default target/release/jinbao, built if missing)
#   SERVER_NAME       the site's name (default: the host name)
#   TLS_CERT/TLS_KEY  a certificate and key to use instead of a self-signed one
#   HTTPS_PORT/HTTP_PORT  443 / 80;  APP_PORT  8080 (the server on loopback)
#   PG_URL            superuser connection (default postgres://postgres@127.0.0.1:5432/postgres)
#   DB_NAME           jinbao;  REDIS_URL  redis://127.0.0.1:6379/;  REDIS_PREFIX  jinbao
#   ROOT              install under this directory instead of / (the test suite's private
#                     install: no systemd, a private nginx, nothing outside ROOT but the database
#                     and the system user); ARCHIVE=0 skips WAL archiving (a shared cluster)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
ROOT="${ROOT:-}"
ROOT="${ROOT%/}"
SERVER_NAME="${SERVER_NAME:-$(hostname -f 2>/dev/null || hostname)}"
HTTPS_PORT="${HTTPS_PORT:-443}"; HTTP_PORT="${HTTP_PORT:-80}"; APP_PORT="${APP_PORT:-8080}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DB_NAME="${DB_NAME:-jinbao}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/}"; REDIS_PREFIX="${REDIS_PREFIX:-jinbao}"
ARCHIVE="${ARCHIVE:-1}"

PREFIX="$ROOT/opt/jinbao"; ETC="$ROOT/etc/jinbao"; STATE="$ROOT/var/lib/jinbao"
NGINX_ETC="$ROOT/etc/nginx"; UNITS="$ROOT/etc/systemd/system"; LOGS="$ROOT/var/log"
log() { printf '[install] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root"

# --- packages -------------------------------------------------------------------------------
need=()
command -v psql >/dev/null || need+=(postgresql postgresql-client)
command -v redis-server >/dev/null || need+=(redis-server)
command -v nginx >/dev/null || need+=(nginx)
command -v pgbackrest >/dev/null || need+=(pgbackrest)
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
systemd=0; [ -z "$ROOT" ] && [ -d /run/systemd/system ] && systemd=1
# A private install shares this host's PostgreSQL and Redis; make sure they answer.
bash "$repo/infra/dev/services.sh" >/dev/null

# --- user, files ----------------------------------------------------------------------------
id jinbao >/dev/null 2>&1 || useradd --system --home-dir /var/lib/jinbao --no-create-home --shell /usr/sbin/nologin jinbao
JINBAO_BIN="${JINBAO_BIN:-$repo/target/release/jinbao}"
if [ ! -x "$JINBAO_BIN" ]; then log "building the release binary"; (cd "$repo" && cargo build -q --release -p jinbao); fi
install -d -m 0755 "$PREFIX/bin" "$PREFIX/share" "$NGINX_ETC/sites-available" "$NGINX_ETC/sites-enabled" "$NGINX_ETC/snippets" "$UNITS" "$LOGS/nginx"
install -d -m 0750 -o root -g jinbao "$ETC"
install -d -m 0700 -o jinbao -g jinbao "$STATE"
install -m 0755 "$JINBAO_BIN" "$PREFIX/bin/jinbao"
rm -rf "$PREFIX/share/frontend" "$PREFIX/share/tenants" "$PREFIX/share/infra" "$PREFIX/share/docs"
cp -r "$repo/frontend" "$repo/tenants" "$repo/docs" "$PREFIX/share/"
mkdir -p "$PREFIX/share/infra" && cp -r "$repo/infra/prod" "$PREFIX/share/infra/"
chmod -R a+rX "$PREFIX"

# --- database -------------------------------------------------------------------------------
pwfile="$ETC/db.password"
[ -s "$pwfile" ] || { od -An -N18 -tx1 /dev/urandom | tr -d ' \n' > "$pwfile"; chmod 0600 "$pwfile"; }
dbpw="$(cat "$pwfile")"
hostport="${PG_URL#*@}"; hostport="${hostport%%/*}"
app_url="postgres://jinbao_app:$dbpw@$hostport/$DB_NAME"
owner_url="postgres://jinbao_owner:$dbpw@$hostport/$DB_NAME"
analytics_url="postgres://jinbao_analytics:$dbpw@$hostport/$DB_NAME"
J="$PREFIX/bin/jinbao"
JINBAO_LOG=warn "$J" db bootstrap --admin-url "$PG_URL" --database "$DB_NAME" --password "$dbpw" >/dev/null
JINBAO_LOG=warn JINBAO_OWNER_DATABASE_URL="$owner_url" "$J" migrate
(cd "$PREFIX/share" && JINBAO_LOG=warn JINBAO_OWNER_DATABASE_URL="$owner_url" DATABASE_URL="$app_url" "$J" tenants sync >/dev/null)

# --- configuration --------------------------------------------------------------------------
keys="$ETC/jwt-keys"
[ -s "$keys" ] || { "$J" keys generate > "$keys"; }
chown root:jinbao "$keys"; chmod 0640 "$keys"
metrics_token_file="$ETC/metrics.token"
[ -s "$metrics_token_file" ] || { od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$metrics_token_file"; chmod 0600 "$metrics_token_file"; }
cat > "$ETC/jinbao.env" <<ENV
# Jinbao server configuration (docs/operations.md). Mode 0640, root:jinbao.
DATABASE_URL=$app_url
JINBAO_ANALYTICS_DATABASE_URL=$analytics_url
JINBAO_DB_POOL_SIZE=16
REDIS_URL=$REDIS_URL
JINBAO_REDIS_PREFIX=$REDIS_PREFIX
JINBAO_JWT_KEY_FILE=$keys
JINBAO_BIND=127.0.0.1:$APP_PORT
JINBAO_FRONTEND_DIR=$PREFIX/share/frontend
JINBAO_COOKIE_SECURE=1
JINBAO_TRUSTED_PROXIES=127.0.0.1/32,::1/128
JINBAO_METRICS_TOKEN=$(cat "$metrics_token_file")
JINBAO_LOG=info
ENV
chown root:jinbao "$ETC/jinbao.env"; chmod 0640 "$ETC/jinbao.env"

# --- TLS ------------------------------------------------------------------------------------
tls="$ETC/tls"; install -d -m 0750 "$tls"
if [ -n "${TLS_CERT:-}" ]; then
  install -m 0644 "$TLS_CERT" "$tls/jinbao.crt"; install -m 0600 "$TLS_KEY" "$tls/jinbao.key"
elif [ ! -s "$tls/jinbao.crt" ]; then
  log "creating a self-signed certificate for $SERVER_NAME (replace it with the province's)"
  openssl req -x509 -newkey rsa:2048 -sha256 -days 825 -nodes -subj "/CN=$SERVER_NAME" \
    -addext "subjectAltName=DNS:$SERVER_NAME,DNS:localhost,IP:127.0.0.1" \
    -keyout "$tls/jinbao.key" -out "$tls/jinbao.crt" 2>/dev/null
  chmod 0600 "$tls/jinbao.key"
fi

# --- nginx ----------------------------------------------------------------------------------
https_suffix=""; [ "$HTTPS_PORT" = 443 ] || https_suffix=":$HTTPS_PORT"
sed -e "s|@APP@|127.0.0.1:$APP_PORT|" -e "s|@HTTP_LISTEN@|$HTTP_PORT|" -e "s|@HTTPS_LISTEN@|$HTTPS_PORT|" \
    -e "s|@HTTPS_SUFFIX@|$https_suffix|" -e "s|@SERVER_NAME@|$SERVER_NAME|g" -e "s|@CERT@|$tls/jinbao.crt|" \
    -e "s|@KEY@|$tls/jinbao.key|" -e "s|@STATIC@|$PREFIX/share/frontend/static|" -e "s|@SNIPPETS@|$NGINX_ETC/snippets|g" \
    -e "s|/var/log/nginx/|$LOGS/nginx/|" \
    "$repo/infra/prod/nginx/jinbao.conf" > "$NGINX_ETC/sites-available/jinbao.conf"
cp "$repo/infra/prod/nginx/jinbao-proxy.conf" "$NGINX_ETC/snippets/jinbao-proxy.conf"
ln -sf "$NGINX_ETC/sites-available/jinbao.conf" "$NGINX_ETC/sites-enabled/jinbao.conf"
if [ -n "$ROOT" ]; then
  # A private nginx for a private install.
  install -d "$ROOT/var/lib/nginx" "$ROOT/run"
  cat > "$NGINX_ETC/nginx.conf" <<CONF
worker_processes 1;
pid $ROOT/run/nginx.pid;
error_log $LOGS/nginx/error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    server_tokens off;
    client_body_temp_path $ROOT/var/lib/nginx/body;
    proxy_temp_path $ROOT/var/lib/nginx/proxy;
    fastcgi_temp_path $ROOT/var/lib/nginx/fastcgi;
    uwsgi_temp_path $ROOT/var/lib/nginx/uwsgi;
    scgi_temp_path $ROOT/var/lib/nginx/scgi;
    access_log $LOGS/nginx/access.log;
    include $NGINX_ETC/sites-enabled/*.conf;
}
CONF
  nginx -t -q -c "$NGINX_ETC/nginx.conf"
  if [ -s "$ROOT/run/nginx.pid" ] && kill -0 "$(cat "$ROOT/run/nginx.pid")" 2>/dev/null; then
    nginx -c "$NGINX_ETC/nginx.conf" -s reload
  else
    nginx -c "$NGINX_ETC/nginx.conf"
  fi
else
  rm -f /etc/nginx/sites-enabled/default
  nginx -t -q
  if [ "$systemd" = 1 ]; then systemctl enable -q nginx; systemctl reload-or-restart nginx; else nginx -s reload 2>/dev/null || nginx; fi
fi

# --- backups (pgBackRest, WAL archiving) ----------------------------------------------------
if [ -z "$ROOT" ] && [ "$ARCHIVE" = 1 ]; then
  install -d -m 0750 -o postgres -g postgres /var/lib/pgbackrest /etc/pgbackrest/conf.d
  pgver=$(ls /etc/postgresql | sort -V | tail -n 1)
  sed -e "s|/var/lib/postgresql/15/main|/var/lib/postgresql/$pgver/main|" "$repo/infra/prod/backup/pgbackrest.conf" > /etc/pgbackrest/pgbackrest.conf
  if [ ! -s /etc/pgbackrest/conf.d/cipher.conf ]; then
    printf '[global]\nrepo1-cipher-pass=%s\n' "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" > /etc/pgbackrest/conf.d/cipher.conf
    chown postgres:postgres /etc/pgbackrest/conf.d/cipher.conf; chmod 0600 /etc/pgbackrest/conf.d/cipher.conf
    log "backup passphrase created in /etc/pgbackrest/conf.d/cipher.conf: copy it to the key escrow now"
  fi
  conf_d="/etc/postgresql/$pgver/main/conf.d"; install -d "$conf_d"
  if ! cmp -s "$repo/infra/prod/backup/postgresql-archive.conf" "$conf_d/20-archive.conf"; then
    cp "$repo/infra/prod/backup/postgresql-archive.conf" "$conf_d/20-archive.conf"
    cp "$repo/infra/prod/postgresql/jinbao.conf" "$conf_d/10-jinbao.conf"
    log "restarting PostgreSQL for WAL archiving and the settings of docs/operations.md"
    if [ "$systemd" = 1 ]; then systemctl restart "postgresql@$pgver-main"; else pg_ctlcluster --skip-systemctl-redirect "$pgver" main restart; fi
  fi
  PGBACKREST_CONFIG=/etc/pgbackrest/pgbackrest.conf bash "$PREFIX/share/infra/prod/backup/backup.sh" --check-only
  psql "${PG_URL%/*}/$DB_NAME" -XAtqc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
fi

# --- services -------------------------------------------------------------------------------
for u in "$repo"/infra/prod/systemd/*; do
  sed -e "s|/opt/jinbao|$PREFIX|g" -e "s|/etc/jinbao|$ETC|g" -e "s|/var/lib/jinbao|$STATE|g" "$u" > "$UNITS/$(basename "$u")"
done
if command -v systemd-analyze >/dev/null; then
  (cd "$UNITS" && SYSTEMD_LOG_LEVEL=err systemd-analyze verify --man=no ./jinbao.service ./jinbao-backup@full.service \
     ./jinbao-backup-full.timer ./jinbao-backup-incr.timer ./jinbao-restore-drill.timer) || die "systemd units do not verify"
fi
if [ "$systemd" = 1 ]; then
  systemctl daemon-reload
  systemctl enable -q --now jinbao.service jinbao-backup-full.timer jinbao-backup-incr.timer jinbao-restore-drill.timer
  systemctl restart jinbao.service
else
  # No systemd (a container, the test suite): the same command, user and environment, detached.
  pidfile="$ROOT/run/jinbao.pid"; install -d "$ROOT/run"
  start-stop-daemon --stop --quiet --pidfile "$pidfile" --retry TERM/20/KILL/5 --remove-pidfile 2>/dev/null || true
  start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$pidfile" --chuid jinbao:jinbao \
    --chdir "$PREFIX/share" --output "$LOGS/jinbao.log" \
    --exec /usr/bin/env -- JINBAO_CONFIG_FILE="$ETC/jinbao.env" "$PREFIX/bin/jinbao" serve
fi

# --- check ----------------------------------------------------------------------------------
base="https://127.0.0.1:$HTTPS_PORT"
for _ in $(seq 1 60); do
  curl -skf --resolve "$SERVER_NAME:$HTTPS_PORT:127.0.0.1" "https://$SERVER_NAME:$HTTPS_PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
ready=$(curl -sk --resolve "$SERVER_NAME:$HTTPS_PORT:127.0.0.1" "https://$SERVER_NAME:$HTTPS_PORT/readyz" || true)
echo "$ready" | grep -q '"status":"ready"' || die "not ready through nginx: $ready (see $LOGS/jinbao.log)"
log "Jinbao is up at https://$SERVER_NAME${https_suffix}/ ($base through nginx); create the first administrator with"
log "  JINBAO_CONFIG_FILE=$ETC/jinbao.env $J users create --tenant 410000 --username admin --role platform_admin --display-name 管理员"
