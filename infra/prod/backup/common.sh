# Shared by the backup scripts: PostgreSQL binaries, running a command as `postgres`, pgBackRest
# installed from Debian when missing.

PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
STANZA="${STANZA:-jinbao}"
PGBACKREST_CONFIG="${PGBACKREST_CONFIG:-/etc/pgbackrest/pgbackrest.conf}"

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { log "$*"; exit 1; }

# Runs "$@" as the postgres user (the owner of the clusters and of the backup repository).
as_pg() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres -- "$@"
  fi
}

ensure_pgbackrest() {
  command -v pgbackrest >/dev/null && return
  log "installing pgbackrest (Debian package)"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq pgbackrest >/dev/null
  command -v pgbackrest >/dev/null || die "pgbackrest could not be installed"
}

pgbr() { as_pg env ${PGBACKREST_REPO1_CIPHER_PASS:+PGBACKREST_REPO1_CIPHER_PASS="$PGBACKREST_REPO1_CIPHER_PASS"} pgbackrest --config="$PGBACKREST_CONFIG" --stanza="$STANZA" "$@"; }
