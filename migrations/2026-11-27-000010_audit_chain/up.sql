-- The audit log becomes a hash chain per tenant. Each row carries its place in the tenant's chain
-- (chain_seq: 1, 2, 3 … without gaps), the hash of the row before it and its own hash =
-- sha256(previous hash || the row's content in a fixed text form). A trigger assigns both while
-- holding the tenant's chain head, so concurrent writers are put in one order. The app role may
-- only SELECT and INSERT audit rows (granted in the foundation); it cannot touch the head.
-- `jinbao audit verify --tenant 411000` recomputes the chain and names the first broken row.

ALTER TABLE audit_log ADD COLUMN chain_seq bigint, ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

CREATE TABLE audit_chain_head (
    tenant_id  smallint PRIMARY KEY REFERENCES tenant (id),
    last_seq   bigint NOT NULL,
    last_hash  bytea NOT NULL
);
SELECT enable_tenant_rls('audit_chain_head'::regclass);

-- The row's content in a fixed text form: every column but id (an identity value, allocated out
-- of chain order) and the chain columns themselves; times as microseconds since the epoch and
-- JSON in jsonb's normalised text, so the form does not depend on session settings.
CREATE FUNCTION audit_row_text(r audit_log) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws(E'\x1f', r.tenant_id::text, r.chain_seq::text,
                     (extract(epoch FROM r.at) * 1000000)::bigint::text,
                     coalesce(r.user_id::text, ''), coalesce(r.office_id::text, ''), r.actor, r.action, r.entity, r.entity_id,
                     coalesce(r.before::text, ''), coalesce(r.after::text, ''), coalesce(r.reason, ''), coalesce(r.request_id, ''))
$$;

CREATE FUNCTION audit_row_hash(prev bytea, r audit_log) RETURNS bytea
    LANGUAGE sql IMMUTABLE AS $$ SELECT sha256(prev || convert_to(audit_row_text(r), 'UTF8')) $$;

-- The genesis value every tenant's chain starts from.
CREATE FUNCTION audit_genesis(tenant smallint) RETURNS bytea
    LANGUAGE sql IMMUTABLE AS $$ SELECT sha256(convert_to('jinbao audit ' || tenant::text, 'UTF8')) $$;

CREATE FUNCTION audit_chain_link() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    head audit_chain_head%ROWTYPE;
BEGIN
    SELECT * INTO head FROM audit_chain_head WHERE tenant_id = NEW.tenant_id FOR UPDATE;
    IF NOT FOUND THEN
        head := ROW(NEW.tenant_id, 0, audit_genesis(NEW.tenant_id));
        INSERT INTO audit_chain_head VALUES (NEW.tenant_id, 0, head.last_hash) ON CONFLICT DO NOTHING;
        SELECT * INTO head FROM audit_chain_head WHERE tenant_id = NEW.tenant_id FOR UPDATE;
    END IF;
    NEW.chain_seq := head.last_seq + 1;
    NEW.prev_hash := head.last_hash;
    NEW.hash := audit_row_hash(head.last_hash, NEW);
    UPDATE audit_chain_head SET last_seq = NEW.chain_seq, last_hash = NEW.hash WHERE tenant_id = NEW.tenant_id;
    RETURN NEW;
END $$;

-- Chain the rows written so far, tenant by tenant, in the order they were written.
DO $$
DECLARE
    t smallint;
    r audit_log;
    prev bytea;
    seq bigint;
BEGIN
    FOR t IN SELECT id FROM tenant ORDER BY id LOOP
        PERFORM set_config('jinbao.tenant_id', t::text, true);
        prev := audit_genesis(t);
        seq := 0;
        FOR r IN SELECT * FROM audit_log WHERE tenant_id = t ORDER BY id LOOP
            seq := seq + 1;
            r.chain_seq := seq;
            UPDATE audit_log SET chain_seq = seq, prev_hash = prev, hash = audit_row_hash(prev, r) WHERE tenant_id = t AND id = r.id
            RETURNING hash INTO prev;
        END LOOP;
        IF seq > 0 THEN
            INSERT INTO audit_chain_head VALUES (t, seq, prev);
        END IF;
    END LOOP;
    PERFORM set_config('jinbao.tenant_id', '', true);
END $$;

ALTER TABLE audit_log ALTER COLUMN chain_seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_log_chain ON audit_log (tenant_id, chain_seq);

CREATE TRIGGER audit_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_chain_link();

REVOKE ALL ON FUNCTION audit_chain_link() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_row_text(audit_log), audit_row_hash(bytea, audit_log), audit_genesis(smallint) TO jinbao_app;
GRANT SELECT ON audit_chain_head TO jinbao_app;
