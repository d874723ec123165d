#!/usr/bin/env bash
# End-to-end tests of the pages in headless Chromium: a fresh database, the real `jinbao serve`,
# and playwright-core driving Debian's chromium. Screenshots go to test-artifacts/ (ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_install() { export DEBIAN_FRONTEND=noninteractive; $SUDO apt-get update -qq || true; $SUDO apt-get install -y -qq "$@" >/dev/null; }
command -v chromium >/dev/null || { echo "[e2e] installing chromium" >&2; apt_install chromium; }
command -v node >/dev/null || { echo "[e2e] installing nodejs" >&2; apt_install nodejs npm; }
command -v psql >/dev/null || apt_install postgresql-client
# Chinese glyphs in screenshots need a CJK font (browsers on clerks' machines have one).
fc-list 2>/dev/null | grep -qi "cjk" || { echo "[e2e] installing fonts-noto-cjk" >&2; apt_install fonts-noto-cjk; }

mkdir -p test-artifacts/screenshots
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
cargo build -q -p jinbao
JINBAO="$PWD/target/debug/jinbao"

ADMIN="${JINBAO_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DB=jinbao_e2e
PORT="${JINBAO_E2E_PORT:-18080}"
psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
export JINBAO_ADMIN_DATABASE_URL="$ADMIN"
"$JINBAO" db bootstrap --database "$DB" >/dev/null
export JINBAO_OWNER_DATABASE_URL="postgres://jinbao_owner@127.0.0.1:5432/$DB"
export DATABASE_URL="postgres://jinbao_app@127.0.0.1:5432/$DB"
export JINBAO_JWT_KEY_FILE="$PWD/test-artifacts/e2e-jwt-keys"
export JINBAO_REDIS_PREFIX="e2e-$$"
export JINBAO_BIND="127.0.0.1:$PORT"
rm -f "$JINBAO_JWT_KEY_FILE"
"$JINBAO" migrate >/dev/null
"$JINBAO" tenants sync >/dev/null

PASSWORD="E2e-pass-2026"
for spec in "411000 clerk411000 clerk" "411000 reviewer411000 reviewer" "411000 admin411000 city_admin" "411600 clerk411600 clerk" "410000 supervisor province_supervisor" "410000 ops platform_admin"; do
  set -- $spec
  printf '%s\n' "$PASSWORD" | "$JINBAO" users create --tenant "$1" --username "$2" --role "$3" --display-name "测试$3" >/dev/null
done

"$JINBAO" serve > test-artifacts/e2e-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "[e2e] server did not start:" >&2; tail -20 test-artifacts/e2e-server.log >&2; exit 1; }

cd tests/e2e
JINBAO_E2E_URL="http://127.0.0.1:$PORT" JINBAO_E2E_PASSWORD="$PASSWORD" JINBAO_E2E_ARTIFACTS="$PWD/../../test-artifacts" npm test
