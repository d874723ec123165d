#!/usr/bin/env bash
# Builds and installs the Citus extension into the local PostgreSQL from the source release
# (default ../shared/vendor/citus-13.2.2.tar.gz, or CITUS_TARBALL). Citus is not packaged by
# Debian; its source is never copied into this repository. Does nothing when this version is
# already installed. Needs root (or sudo) for the build dependencies and `make install`.
#   build.sh            build and install when missing; prints the installed version
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
VERSION=13.2.2
# The source release: CITUS_TARBALL, or the vendor folder beside the checkout (a clone elsewhere,
# e.g. CI's, finds the one beside the main checkout).
TARBALL="${CITUS_TARBALL:-}"
if [ -z "$TARBALL" ]; then
  for c in "$root/../shared/vendor" /work/shared/vendor; do
    [ -f "$c/citus-$VERSION.tar.gz" ] && { TARBALL="$c/citus-$VERSION.tar.gz"; break; }
  done
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
log() { printf '[citus-build] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

PG_CONFIG="${PG_CONFIG:-$(ls /usr/lib/postgresql/*/bin/pg_config 2>/dev/null | sort -V | tail -n 1)}"
[ -x "${PG_CONFIG:-}" ] || PG_CONFIG="$(command -v pg_config || true)"
major=""
[ -n "$PG_CONFIG" ] && major="$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')"
if [ -z "$major" ]; then
  major="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
fi
[ -n "$major" ] || die "PostgreSQL is not installed (infra/dev/services.sh installs it)"
case "$major" in 15|16|17) ;; *) die "Citus $VERSION supports PostgreSQL 15–17, found $major";; esac

installed() {
  local lib share
  lib="$(/usr/lib/postgresql/$major/bin/pg_config --pkglibdir 2>/dev/null || true)"
  share="$(/usr/lib/postgresql/$major/bin/pg_config --sharedir 2>/dev/null || true)"
  [ -n "$lib" ] && [ -f "$lib/citus.so" ] && [ -f "$share/extension/citus.control" ] \
    && grep -q "default_version = '$(echo $VERSION | cut -d. -f1-2)" "$share/extension/citus.control" \
    && [ "$(cat "$lib/citus.build-version" 2>/dev/null)" = "$VERSION" ]
}
if installed; then log "Citus $VERSION is installed for PostgreSQL $major"; exit 0; fi

[ -n "$TARBALL" ] && [ -f "$TARBALL" ] || die "source release citus-$VERSION.tar.gz not found beside the checkout (../shared/vendor): set CITUS_TARBALL"
need=()
for p in "postgresql-server-dev-$major" liblz4-dev libzstd-dev libcurl4-openssl-dev libkrb5-dev \
         libssl-dev libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev make gcc autoconf; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || true
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config"

work="$(mktemp -d /tmp/citus-build.XXXXXX)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$TARBALL" -C "$work"
src="$(ls -d "$work"/citus-* | head -n 1)"
# PostgreSQL 15.19+ exports have_createdb_privilege(); Citus keeps a static copy of its own in
# pg_version_compat.h ("static declaration follows non-static declaration"). Rename Citus's copy
# and its uses.
grep -rl 'have_createdb_privilege' "$src/src" | xargs -r sed -i 's/\bhave_createdb_privilege\b/citus_have_createdb_privilege/g'
log "building Citus $VERSION for PostgreSQL $major (a few minutes)"
( cd "$src" && ./configure PG_CONFIG="$PG_CONFIG" >"$work/configure.log" 2>&1 ) || { tail -n 30 "$work/configure.log" >&2; die "configure failed"; }
( cd "$src" && make -j"$(nproc)" >"$work/make.log" 2>&1 ) || { tail -n 40 "$work/make.log" >&2; die "make failed"; }
( cd "$src" && $SUDO make install >"$work/install.log" 2>&1 ) || { tail -n 20 "$work/install.log" >&2; die "make install failed"; }
echo "$VERSION" | $SUDO tee "$("$PG_CONFIG" --pkglibdir)/citus.build-version" >/dev/null
installed || die "Citus was built but is not where PostgreSQL $major looks for it"
log "Citus $VERSION installed for PostgreSQL $major"
