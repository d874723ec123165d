#!/usr/bin/env bash
# The whole test suite: unit and property tests of every crate, integration tests against real
# PostgreSQL and Redis (each test clones its own database from a migrated template), part of them
# again on a Citus cluster, and the end-to-end browser tests of the pages.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash infra/dev/services.sh
bash infra/dev/tools.sh
# Citus from its source release, for the scale-out test (tests/it/citus.rs); once per machine.
bash infra/citus/build.sh
export JINBAO_ADMIN_DATABASE_URL="${JINBAO_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/}"

# The `jinbao` binary itself: some integration tests run it as a separate process (clean exits,
# a server killed or stopped under load).
cargo build -p jinbao
# The previous release's binary, for the upgrade test (built once per release).
bash infra/dev/previous-release.sh
cargo test --workspace --no-fail-fast -- --test-threads "${JINBAO_TEST_THREADS:-4}"

# The integration tests that touch the database in ways Citus treats differently, again on a
# Citus cluster of their own (docs/scaling.md).
bash infra/citus/test.sh

# The pages in a real browser (headless Chromium).
bash infra/dev/e2e.sh
