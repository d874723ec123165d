#!/usr/bin/env bash
# One command from a fresh machine to a running platform on http://127.0.0.1:8080:
# services, build, roles and database, migrations, tenants/, demo users of the pilot cities, serve.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash infra/dev/services.sh
mkdir -p .local

echo "[up] building jinbao" >&2
cargo build -q -p jinbao
JINBAO=target/debug/jinbao

export JINBAO_ADMIN_DATABASE_URL="${JINBAO_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export JINBAO_OWNER_DATABASE_URL="${JINBAO_OWNER_DATABASE_URL:-postgres://jinbao_owner@127.0.0.1:5432/jinbao}"
export DATABASE_URL="${DATABASE_URL:-postgres://jinbao_app@127.0.0.1:5432/jinbao}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/}"
export JINBAO_JWT_KEY_FILE="${JINBAO_JWT_KEY_FILE:-.local/jwt-keys}"
export JINBAO_BIND="${JINBAO_BIND:-127.0.0.1:8080}"

$JINBAO db bootstrap
$JINBAO migrate
$JINBAO tenants sync

# A demo clerk and reviewer in each pilot city, Xuchang's city administrator and finance viewer, the
# provincial finance viewer, a province supervisor and a platform administrator;
# credentials are kept in .local/demo-users.txt.
creds=.local/demo-users.txt
touch "$creds"
for spec in "411000 clerk" "411000 reviewer" "411600 clerk" "411600 reviewer" "410600 clerk" "410600 reviewer" \
            "411000 city_admin" "411000 finance_viewer" "410000 finance_viewer" \
            "410000 province_supervisor" "410000 platform_admin"; do
  set -- $spec
  city=$1; role=$2
  {
    user="${role}${city}"
    grep -q "^$city $user " "$creds" && continue
    pw="Demo$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')9"
    case $role in clerk) label=经办员;; reviewer) label=审核员;; city_admin) label=城市管理员;; finance_viewer) label=财政查看;;
      province_supervisor) label=省级监管;; *) label=平台管理员;; esac
    if printf '%s\n' "$pw" | $JINBAO users create --tenant "$city" --username "$user" --role "$role" --display-name "演示$label" >/dev/null 2>.local/users-create.err; then
      echo "$city $user $pw" >> "$creds"
    else
      grep -q "already exists" .local/users-create.err || { cat .local/users-create.err >&2; exit 1; }
    fi
  }
done

echo
echo "Demo users (tenant username password):"
cat "$creds"
echo
echo "Open http://$JINBAO_BIND and log in, e.g. 许昌市 (411000) / clerk411000."
exec $JINBAO serve
