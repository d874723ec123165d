-- The audit hash from the row's columns instead of the row itself. A function of `audit_log` (the
-- row type) cannot run where the row is a shard's (`audit_log_102027` on a Citus worker), so the
-- chain check could not run on Citus (docs/scaling.md). `audit_hash` builds the same text as
-- `audit_row_text` — the tests verify every chain written by `audit_seal` with it — and is
-- what both the seal and `jinbao audit verify` now use.
CREATE FUNCTION audit_hash(prev bytea, tenant_id smallint, chain_seq bigint, at timestamptz, user_id bigint, office_id integer,
                           actor text, action text, entity text, entity_id text, before jsonb, after jsonb, reason text,
                           request_id text) RETURNS bytea
    LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(prev || convert_to(concat_ws(E'\x1f', tenant_id::text, chain_seq::text,
                                               (extract(epoch FROM at) * 1000000)::bigint::text,
                                               coalesce(user_id::text, ''), coalesce(office_id::text, ''), actor, action, entity, entity_id,
                                               coalesce(before::text, ''), coalesce(after::text, ''), coalesce(reason, ''),
                                               coalesce(request_id, '')), 'UTF8'))
$$;
REVOKE ALL ON FUNCTION audit_hash(bytea, smallint, bigint, timestamptz, bigint, integer, text, text, text, text, jsonb, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_hash(bytea, smallint, bigint, timestamptz, bigint, integer, text, text, text, text, jsonb, jsonb, text, text) TO jinbao_app;

-- As before, with the hash computed into a variable first (on Citus the UPDATE runs on a worker,
-- where only values travel).
CREATE OR REPLACE FUNCTION audit_seal(tenant smallint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    head audit_chain_head%ROWTYPE;
    r audit_log;
    h bytea;
    n bigint := 0;
BEGIN
    IF app_tenant() IS DISTINCT FROM tenant THEN RAISE EXCEPTION 'audit.wrong_tenant'; END IF;
    INSERT INTO audit_chain_head VALUES (tenant, 0, audit_genesis(tenant)) ON CONFLICT DO NOTHING;
    SELECT * INTO head FROM audit_chain_head WHERE tenant_id = tenant FOR UPDATE;
    FOR r IN SELECT * FROM audit_log WHERE tenant_id = tenant AND chain_seq IS NULL ORDER BY id LOOP
        r.chain_seq := head.last_seq + 1;
        h := audit_hash(head.last_hash, r.tenant_id, r.chain_seq, r.at, r.user_id, r.office_id, r.actor, r.action, r.entity,
                        r.entity_id, r.before, r.after, r.reason, r.request_id);
        UPDATE audit_log SET chain_seq = r.chain_seq, prev_hash = head.last_hash, hash = h
        WHERE tenant_id = tenant AND id = r.id;
        head.last_seq := r.chain_seq;
        head.last_hash := h;
        n := n + 1;
    END LOOP;
    IF n > 0 THEN
        UPDATE audit_chain_head SET last_seq = head.last_seq, last_hash = head.last_hash WHERE tenant_id = tenant;
    END IF;
    RETURN n;
END $$;
