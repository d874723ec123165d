#!/usr/bin/env bash
# The programs some tests drive, from Debian packages when missing: pgBackRest (the backup and
# restore drill), nginx (the production install), promtool (the alert rules; package prometheus),
# curl. A package's service is not needed: the tests start what they use themselves.
set -euo pipefail
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
need=()
command -v pgbackrest >/dev/null || need+=(pgbackrest)
command -v nginx >/dev/null || need+=(nginx)
command -v promtool >/dev/null || need+=(prometheus)
command -v curl >/dev/null || need+=(curl)
[ ${#need[@]} -eq 0 ] && exit 0
printf '[tools] installing %s (Debian packages)\n' "${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
