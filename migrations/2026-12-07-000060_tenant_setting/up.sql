-- The tenant setting as a `SET LOCAL` statement instead of `set_config(…, true)`. On one
-- PostgreSQL the two are the same. On Citus only `SET LOCAL` reaches the workers (with
-- `citus.propagate_set_commands = 'local'`, set on the roles by `jinbao db distribute`): a
-- `set_config` call stays on the coordinator, and row-level security on the shards then sees no
-- tenant and no rows. PL/pgSQL's EXECUTE sends the statement on its own, with the value quoted
-- as a literal.
CREATE FUNCTION set_tenant(p_tenant smallint) RETURNS void
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    EXECUTE pg_catalog.format('SET LOCAL jinbao.tenant_id = %L', p_tenant);
END $$;
REVOKE ALL ON FUNCTION set_tenant(smallint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION set_tenant(smallint) TO jinbao_app;

CREATE OR REPLACE FUNCTION session_begin(p_tenant smallint, p_user bigint, p_jti uuid, p_epoch integer) RETURNS text
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    EXECUTE pg_catalog.format('SET LOCAL jinbao.tenant_id = %L', p_tenant);
    IF NOT EXISTS (SELECT 1 FROM public.app_user u
                   WHERE u.tenant_id = p_tenant AND u.id = p_user AND u.status = 'active' AND u.token_epoch = p_epoch)
       OR EXISTS (SELECT 1 FROM public.revoked_token r WHERE r.tenant_id = p_tenant AND r.jti = p_jti) THEN
        RETURN 'refused';
    END IF;
    IF EXISTS (SELECT 1 FROM public.tenant t WHERE t.id = p_tenant AND t.status = 'suspended') THEN
        RETURN 'read_only';
    END IF;
    RETURN 'ok';
END $$;
