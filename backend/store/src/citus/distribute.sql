-- `jinbao db distribute`: the schema distributed on Citus (docs/scaling.md). Runs as the schema
-- owner in one transaction; a second run changes nothing. Global tables become reference tables
-- (a copy on every node); every table with a tenant_id is distributed by it, all co-located, so
-- one tenant's rows of every table live on the same node and a tenant's transaction is routed to
-- one worker.
DO $$
DECLARE
    r record;
    fks text[] := '{}';
    global_tables text[] := ARRAY['tenant', 'permission', 'role', 'role_permission', 'medical_catalogue_version', 'medical_catalogue_item'];
    first_table text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'the citus extension is not installed in this database';
    END IF;
    -- Foreign keys to reference tables are added in the same transaction as the distributed
    -- tables: Citus needs one connection per node for that.
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
    -- Foreign keys to global tables, kept and dropped: converting a table that local tables
    -- reference into a reference table would turn the whole foreign-key graph into Citus local
    -- tables. They come back once every table has its kind.
    FOR r IN
        SELECT k.conrelid::regclass AS tbl, k.conname, pg_get_constraintdef(k.oid) AS def
        FROM pg_constraint k
        WHERE k.contype = 'f' AND k.confrelid::regclass::text = ANY (global_tables)
          AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = k.conrelid)
    LOOP
        fks := fks || format('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.conname, r.def);
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
    END LOOP;
    FOREACH first_table IN ARRAY global_tables LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = first_table::regclass) THEN
            PERFORM create_reference_table(first_table);
        END IF;
    END LOOP;
    first_table := NULL;
    -- The SQL functions queries use on the shards (the tenant policy, the audit hash, rounding),
    -- created on every worker.
    FOR r IN SELECT p.oid::regprocedure::text AS f FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace
               AND p.proname IN ('app_tenant', 'app_account', 'app_employer', 'app_person', 'app_employs', 'app_sees_person', 'app_worked_at', 'audit_hash', 'audit_genesis', 'round_div', 'clamp_base')
               AND NOT EXISTS (SELECT 1 FROM pg_dist_object o WHERE o.classid = 'pg_proc'::regclass AND o.objid = p.oid)
    LOOP
        PERFORM create_distributed_function(r.f);
    END LOOP;
    FOR r IN
        WITH RECURSIVE t AS (
            SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)),
        d AS (
            SELECT t.oid, 0 AS depth FROM t
            UNION ALL
            SELECT k.conrelid, d.depth + 1 FROM d JOIN pg_constraint k ON k.confrelid = d.oid AND k.contype = 'f'
            JOIN t ON t.oid = k.conrelid WHERE k.conrelid <> d.oid AND d.depth < 50)
        SELECT d.oid::regclass::text AS tbl, max(d.depth) AS depth FROM d GROUP BY d.oid ORDER BY 2, 1
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = r.tbl::regclass) THEN
            -- Citus plans no subqueries in policies: the function itself (STABLE, so an index
            -- condition still evaluates it once per scan).
            IF EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = r.tbl AND p.policyname = 'tenant_isolation') THEN
                EXECUTE format('ALTER POLICY tenant_isolation ON %I USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant())', r.tbl);
            END IF;
            -- The rows already there are copied to the shards with COPY, which row-level security
            -- refuses; the owner is exempt while the table does not force it.
            EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', r.tbl);
            PERFORM create_distributed_table(r.tbl, 'tenant_id', colocate_with => coalesce(first_table, 'default'));
            EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', r.tbl);
        END IF;
        first_table := coalesce(first_table, r.tbl);
    END LOOP;
    -- The local copies of the rows now in shards (left on disk by create_distributed_table).
    FOR r IN SELECT p.logicalrelid::text AS tbl FROM pg_dist_partition p WHERE p.partmethod = 'h' LOOP
        PERFORM truncate_local_data_after_distributing_table(r.tbl);
    END LOOP;
    FOREACH first_table IN ARRAY fks LOOP
        EXECUTE first_table;
    END LOOP;
    -- Column-level grants (the app may insert only some columns of some tables) do not reach
    -- the shards by create_distributed_table; granted again, they do. The coordinator also
    -- evaluates column defaults (identity values, now()) and sends them to the shard as explicit
    -- columns, so a role that may insert some columns needs the defaulted ones too.
    FOR r IN
        SELECT c.oid::regclass AS tbl, x.grantee::regrole AS grantee, x.privilege_type AS priv,
               string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS cols
        FROM pg_dist_partition p
        JOIN pg_class c ON c.oid = p.logicalrelid
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
        CROSS JOIN LATERAL aclexplode(a.attacl) x
        WHERE x.grantee <> c.relowner
        GROUP BY 1, 2, 3
    LOOP
        EXECUTE format('GRANT %s (%s) ON %s TO %s', r.priv, r.cols, r.tbl, r.grantee);
        IF r.priv = 'INSERT' THEN
            EXECUTE (SELECT format('GRANT INSERT (%s) ON %s TO %s', string_agg(quote_ident(a.attname), ', '), r.tbl, r.grantee)
                     FROM pg_attribute a
                     WHERE a.attrelid = r.tbl AND a.attnum > 0 AND NOT a.attisdropped
                       AND (a.attidentity <> '' OR a.atthasdef)
                     HAVING count(*) > 0);
        END IF;
    END LOOP;
END $$;
