-- A staged import field holding an ISO date (the importer stages every date as YYYY-MM-DD) as a
-- date, with an immutable expression: the text-to-date cast is only stable (it reads DateStyle),
-- and Citus refuses stable functions of columns in the import's UPDATE … FROM statements, which
-- join the session's staging table with a city's tables (docs/scaling.md).
CREATE FUNCTION iso_date(d text) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT make_date(substr(d, 1, 4)::int, substr(d, 6, 2)::int, substr(d, 9, 2)::int) $$;
GRANT EXECUTE ON FUNCTION iso_date(text) TO jinbao_app;
