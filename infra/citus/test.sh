#!/usr/bin/env bash
# The integration tests that touch the database in ways Citus treats differently, against a Citus
# cluster of their own (a coordinator and two workers under $TMPDIR/jinbao-citus-test, started
# here and stopped at the end). Each test gets its own database made on every node and
# distributed (tests/support/lib.rs). Without arguments: the tests named below. With arguments:
# those test filters instead,
# e.g. `bash infra/citus/test.sh import::` (docs/scaling.md lists what does not work yet).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/dev/services.sh      # Redis (and the build's PostgreSQL packages)
dir="${TMPDIR:-/tmp}/jinbao-citus-test"
port="${JINBAO_CITUS_TEST_PORT:-9740}"
bash infra/citus/cluster.sh stop "$dir"
rm -rf "$dir"
bash infra/citus/cluster.sh start "$dir" "$port" >/dev/null
trap 'bash infra/citus/cluster.sh stop "$dir"' EXIT
export JINBAO_TEST_CITUS_DIR="$dir"
export JINBAO_ADMIN_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/}"
# What works on Citus: isolation, registration, enrolment, declarations, the monthly assessment and
# back payments (checked against the domain rules), collections, imports of every kind, the
# duplicate search, benefits and their payment batches, work-injury cases and medical settlements, reconciliation, the province's aggregates
# against a recount, the audit chain. Not there yet (docs/scaling.md says why): transfers, and the
# approval of a benefit's new amount or account (the tests skipped below); name them to see it.
filters=(isolation:: registry:: insurance:: assessment_equivalence:: import:: import_records:: duplicates:: province::
         audit_chain::the_chain schema::a_tenant_table_added_later benefits:: benefit_rules:: unemployment_rules:: payment_safety:: reconciliation::
         work_injury:: medical::
         --skip benefit_rules::published_figures_revise_running_pensions_through_a_second_person
         --skip benefits::batches_pay_each_month_once_whatever_is_regenerated_or_reimported_and_feed_the_ledger
         --skip payment_safety::one_clerk_cannot_redirect_a_benefit
         --skip payment_safety::the_database_refuses_a_one_person_change)
[ $# -gt 0 ] && filters=("$@")
cargo test -p jinbao-tests --test it -- --test-threads "${JINBAO_TEST_THREADS:-4}" "${filters[@]}"
