CREATE OR REPLACE FUNCTION audit_seal(tenant smallint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    head audit_chain_head%ROWTYPE;
    r audit_log;
    n bigint := 0;
BEGIN
    -- Only the tenant of the calling transaction (the server's sealing thread and the CLI open one
    -- per tenant).
    IF app_tenant() IS DISTINCT FROM tenant THEN RAISE EXCEPTION 'audit.wrong_tenant'; END IF;
    INSERT INTO audit_chain_head VALUES (tenant, 0, audit_genesis(tenant)) ON CONFLICT DO NOTHING;
    SELECT * INTO head FROM audit_chain_head WHERE tenant_id = tenant FOR UPDATE;
    FOR r IN SELECT * FROM audit_log WHERE tenant_id = tenant AND chain_seq IS NULL ORDER BY id LOOP
        r.chain_seq := head.last_seq + 1;
        UPDATE audit_log SET chain_seq = r.chain_seq, prev_hash = head.last_hash, hash = audit_row_hash(head.last_hash, r)
        WHERE tenant_id = tenant AND id = r.id
        RETURNING chain_seq, hash INTO head.last_seq, head.last_hash;
        n := n + 1;
    END LOOP;
    IF n > 0 THEN
        UPDATE audit_chain_head SET last_seq = head.last_seq, last_hash = head.last_hash WHERE tenant_id = tenant;
    END IF;
    RETURN n;
END $$;
DROP FUNCTION audit_hash(bytea, smallint, bigint, timestamptz, bigint, integer, text, text, text, text, jsonb, jsonb, text, text);
