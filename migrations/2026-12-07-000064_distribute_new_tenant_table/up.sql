-- A tenant table that a migration adds once the schema is distributed on Citus: a local table
-- cannot have a foreign key to a distributed one, so such a migration creates the table without
-- foreign keys, turns row-level security on, calls this function, and only then adds its foreign
-- keys and grants (docs/architecture.md, "Adding a tenant table"). On one PostgreSQL, and on a
-- Citus database not distributed yet (`jinbao db distribute` takes the table with the others),
-- it does nothing.
CREATE FUNCTION distribute_new_tenant_table(t regclass) RETURNS void
    LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    distributed boolean;
    tbl name := (SELECT relname FROM pg_class WHERE oid = t);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RETURN;
    END IF;
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = ''person''::regclass)' INTO distributed;
    IF NOT distributed THEN
        RETURN;
    END IF;
    -- The foreign keys to reference tables the migration adds next, in this transaction.
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
    -- As `jinbao db distribute` does: Citus plans no sub-select in a policy.
    IF EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = tbl AND p.policyname = 'tenant_isolation') THEN
        EXECUTE format('ALTER POLICY tenant_isolation ON %s USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', t);
    END IF;
    EXECUTE format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('SELECT create_distributed_table(%L, %L, colocate_with => %L)', t::text, 'tenant_id', 'person');
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', t);
END $$;
REVOKE ALL ON FUNCTION distribute_new_tenant_table(regclass) FROM PUBLIC;
