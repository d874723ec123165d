#!/usr/bin/env bash
# Prints what a database holds, per tenant: for every table with a tenant_id, the row count and a
# checksum of the rows (md5 over each row's text, in a fixed order). Two databases with the same
# manifest hold the same tenant data. Run as a superuser (row-level security does not hide rows
# from it).
#   manifest.sh postgres://postgres@127.0.0.1:5432/jinbao > manifest.txt
set -euo pipefail
url="${1:?database URL}"
tables=$(psql "$url" -XAt -v ON_ERROR_STOP=1 -c "
  SELECT c.table_name FROM information_schema.columns c
  JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
  WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
  ORDER BY 1")
for t in $tables; do
  psql "$url" -XAt -F ' ' -v ON_ERROR_STOP=1 -c "
    SELECT '$t', tenant_id, count(*), md5(string_agg(md5(x::text), '' ORDER BY md5(x::text)))
    FROM public.\"$t\" x GROUP BY tenant_id ORDER BY tenant_id"
done
