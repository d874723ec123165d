-- The start of every user's tenant transaction in one round trip: the tenant setting, then the
-- session check (user active, token epoch current, token not revoked) and whether the tenant is
-- suspended, in that order. PL/pgSQL keeps the plans of its statements for the life of the
-- connection, so the check is planned once per connection instead of once per request.
--
-- Answers 'ok', 'read_only' (the tenant is suspended: the caller makes the transaction read-only
-- before any work) or 'refused'. Runs with the caller's rights: row-level security applies to
-- the user and revocation rows exactly as to the application's own queries. Names are
-- schema-qualified instead of a `SET search_path` clause, which would cost a configuration
-- change on every call.
CREATE FUNCTION session_begin(p_tenant smallint, p_user bigint, p_jti uuid, p_epoch integer) RETURNS text
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_catalog.set_config('jinbao.tenant_id', p_tenant::text, true);
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
REVOKE ALL ON FUNCTION session_begin(smallint, bigint, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION session_begin(smallint, bigint, uuid, integer) TO jinbao_app;
