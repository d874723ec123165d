CREATE OR REPLACE FUNCTION session_begin(p_tenant smallint, p_user bigint, p_jti uuid, p_epoch integer) RETURNS text
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
DROP FUNCTION set_tenant(smallint);
