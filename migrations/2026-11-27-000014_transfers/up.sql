-- Transfer of pension insurance between cities (REFERENCE §9). Each city keeps its own side of a
-- transfer in its own tenant: the receiving city (B) an 'in' row, the sending city (A) an 'out'
-- row, joined by a shared uid. Everything a city does to its own side is an ordinary tenant write.
-- The few steps that touch the other city's side go through the functions below, owned by
-- jinbao_transfer (NOLOGIN, BYPASSRLS) and callable by the app role: open a transfer, hand the
-- approved information and the funds notice to B, and close A's side when B completes. Each
-- writes audit rows in both cities. Nothing else can cross tenants.

CREATE TABLE transfer (
    tenant_id          smallint NOT NULL,
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    uid                uuid NOT NULL,
    side               text NOT NULL CHECK (side IN ('in', 'out')),
    other_tenant_id    smallint NOT NULL REFERENCES tenant (id),
    person_id          bigint NOT NULL,
    id_number          varchar(18) NOT NULL,
    person_name        text NOT NULL,
    insurance_type     text NOT NULL DEFAULT 'pension' CHECK (insurance_type = 'pension'),
    state              text NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'completed', 'refused')),
    -- The transfer information: produced at A (proposed, then approved by another person), then
    -- received at B.
    info               jsonb,
    info_total_fen     bigint,
    info_proposed_by   bigint,
    info_proposed_at   timestamptz,
    info_approved_by   bigint,
    info_approved_at   timestamptz,
    info_received_at   timestamptz,
    -- The funds: recorded as sent at A, then as received at B (separately from the information).
    funds_sent_fen     bigint,
    funds_sent_by      bigint,
    funds_sent_at      timestamptz,
    funds_received_fen bigint,
    funds_received_by  bigint,
    funds_received_at  timestamptz,
    requested_by       bigint,
    requested_at       timestamptz NOT NULL DEFAULT now(),
    completed_by       bigint,
    completed_at       timestamptz,
    refused_reason     text,
    -- When the step now waiting became due (overdue after 15 working days).
    due_since          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, uid),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
    CHECK (info_approved_by IS NULL OR info_approved_by <> info_proposed_by)
);
CREATE INDEX transfer_open ON transfer (tenant_id, state, due_since) WHERE state = 'requested';
CREATE INDEX transfer_id_number ON transfer (id_number) WHERE state = 'requested';

-- The months transferred in, as the sending city's information gave them; counted with the
-- person's own contribution months at B.
CREATE TABLE transferred_period (
    tenant_id       smallint NOT NULL,
    transfer_id     bigint NOT NULL,
    person_id       bigint NOT NULL,
    period          date NOT NULL CHECK (extract(day FROM period) = 1),
    base_fen        bigint NOT NULL CHECK (base_fen >= 0),
    employee_fen    bigint NOT NULL CHECK (employee_fen >= 0),
    from_tenant_id  smallint NOT NULL REFERENCES tenant (id),
    PRIMARY KEY (tenant_id, transfer_id, period),
    FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfer (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id)
);
CREATE INDEX transferred_period_person ON transferred_period (tenant_id, person_id, period);

SELECT enable_tenant_rls(t) FROM unnest(ARRAY['transfer', 'transferred_period']::regclass[]) AS t;
-- The app writes its own side's steps; which side, which cities and which person a transfer joins
-- are fixed when the transfer function creates the rows.
GRANT SELECT ON transfer TO jinbao_app;
GRANT UPDATE (state, info, info_total_fen, info_proposed_by, info_proposed_at, info_approved_by, info_approved_at,
              funds_sent_fen, funds_sent_by, funds_sent_at, funds_received_fen, funds_received_by, funds_received_at,
              completed_by, completed_at, due_since) ON transfer TO jinbao_app;
GRANT SELECT, INSERT ON transferred_period TO jinbao_app;

-- Working days (Monday to Friday) after `a` up to and including `b`. Public holidays are not
-- modelled (docs/transfers.md).
CREATE FUNCTION working_days_between(a date, b date) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$
    SELECT count(*)::int FROM generate_series(a + 1, b, interval '1 day') d WHERE extract(isodow FROM d) < 6
$$;
GRANT EXECUTE ON FUNCTION working_days_between(date, date) TO jinbao_app, jinbao_analytics;

-- What the transfer functions may touch, and nothing more.
GRANT USAGE, CREATE ON SCHEMA public TO jinbao_transfer;
GRANT SELECT ON tenant, person, benefit_claim TO jinbao_transfer;
GRANT SELECT, UPDATE ON enrolment TO jinbao_transfer;
GRANT SELECT, INSERT, UPDATE ON transfer TO jinbao_transfer;
GRANT INSERT ON person_event, stat_delta TO jinbao_transfer;
GRANT INSERT (tenant_id, user_id, actor, action, entity, entity_id, before, after, reason) ON audit_log TO jinbao_transfer;
GRANT EXECUTE ON FUNCTION app_tenant() TO jinbao_transfer;

CREATE FUNCTION transfer_audit(t smallint, p_user bigint, p_action text, p_uid uuid, p_after jsonb) RETURNS void
    LANGUAGE sql AS $$
    INSERT INTO audit_log (tenant_id, user_id, actor, action, entity, entity_id, after, reason)
    VALUES (t, CASE WHEN t = app_tenant() THEN p_user END,
            CASE WHEN t = app_tenant() THEN 'user:' || coalesce(p_user::text, '') ELSE 'city:' || app_tenant()::text END,
            p_action, 'transfer', p_uid::text, p_after, 'cross-city transfer step')
$$;

-- Locks both sides of a transfer, always in the order of tenant id, before a city takes a step:
-- whichever city acts, the two rows are taken in the same order, so steps cannot deadlock.
CREATE FUNCTION transfer_lock(p_uid uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM 1 FROM transfer
    WHERE uid = p_uid AND tenant_id IN (app_tenant(), (SELECT other_tenant_id FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid))
    ORDER BY tenant_id FOR UPDATE;
END $$;

-- B opens a transfer-in of its registered person `p_person_id` (identity number `p_id_number`)
-- from city `p_from`. Refused: the same city, unknown at A, a pension being paid (at A or B), or
-- another transfer of the same person still open anywhere.
CREATE FUNCTION transfer_open(p_from smallint, p_person_id bigint, p_user bigint) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    b smallint := app_tenant();
    mine person%ROWTYPE;
    theirs person%ROWTYPE;
    new_uid uuid := gen_random_uuid();
BEGIN
    IF b IS NULL THEN RAISE EXCEPTION 'transfer.no_tenant'; END IF;
    IF p_from = b THEN RAISE EXCEPTION 'transfer.same_city'; END IF;
    SELECT * INTO mine FROM person WHERE tenant_id = b AND id = p_person_id;
    IF NOT FOUND THEN RAISE EXCEPTION 'transfer.unknown_person'; END IF;
    PERFORM pg_advisory_xact_lock(hashtext('transfer:' || mine.id_number));
    IF EXISTS (SELECT 1 FROM transfer WHERE id_number = mine.id_number AND state = 'requested') THEN
        RAISE EXCEPTION 'transfer.already_open';
    END IF;
    SELECT * INTO theirs FROM person WHERE tenant_id = p_from AND id_number = mine.id_number;
    IF NOT FOUND THEN RAISE EXCEPTION 'transfer.unknown_in_sender'; END IF;
    IF EXISTS (SELECT 1 FROM benefit_claim c WHERE c.kind = 'pension' AND c.status = 'approved'
                 AND ((c.tenant_id = p_from AND c.person_id = theirs.id) OR (c.tenant_id = b AND c.person_id = mine.id))) THEN
        RAISE EXCEPTION 'transfer.pension_paid';
    END IF;
    INSERT INTO transfer (tenant_id, uid, side, other_tenant_id, person_id, id_number, person_name, requested_by)
    VALUES (b, new_uid, 'in', p_from, mine.id, mine.id_number, mine.name, p_user),
           (p_from, new_uid, 'out', b, theirs.id, theirs.id_number, theirs.name, NULL);
    INSERT INTO person_event (tenant_id, person_id, occurred_on, kind, detail, office_id, created_by)
    VALUES (b, mine.id, current_date, 'transfer_requested', jsonb_build_object('uid', new_uid, 'from_tenant', p_from), NULL, NULL);
    PERFORM transfer_audit(b, p_user, 'transfer.open', new_uid, jsonb_build_object('from_tenant', p_from));
    PERFORM transfer_audit(p_from, p_user, 'transfer.requested', new_uid, jsonb_build_object('to_tenant', b));
    RETURN new_uid;
END $$;

-- A hands B the approved information (A has recorded the approval on its own side).
CREATE FUNCTION transfer_send_info(p_uid uuid, p_user bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a transfer%ROWTYPE;
BEGIN
    SELECT * INTO a FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid AND side = 'out';
    IF FOUND THEN
        PERFORM 1 FROM transfer WHERE uid = p_uid AND tenant_id IN (a.tenant_id, a.other_tenant_id) ORDER BY tenant_id FOR UPDATE;
        SELECT * INTO a FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid AND side = 'out';
    END IF;
    IF NOT FOUND OR a.info_approved_by IS NULL OR a.state <> 'requested' THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    UPDATE transfer SET info = a.info, info_total_fen = a.info_total_fen, info_received_at = now(), due_since = now()
    WHERE tenant_id = a.other_tenant_id AND uid = p_uid AND side = 'in';
    PERFORM transfer_audit(a.other_tenant_id, p_user, 'transfer.info_received', p_uid, jsonb_build_object('total_fen', a.info_total_fen));
END $$;

-- A tells B the funds were sent (A has recorded them on its own side).
CREATE FUNCTION transfer_send_funds(p_uid uuid, p_user bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a transfer%ROWTYPE;
BEGIN
    SELECT * INTO a FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid AND side = 'out';
    IF FOUND THEN
        PERFORM 1 FROM transfer WHERE uid = p_uid AND tenant_id IN (a.tenant_id, a.other_tenant_id) ORDER BY tenant_id FOR UPDATE;
        SELECT * INTO a FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid AND side = 'out';
    END IF;
    IF NOT FOUND OR a.funds_sent_at IS NULL OR a.state <> 'requested' THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    UPDATE transfer SET funds_sent_fen = a.funds_sent_fen, funds_sent_at = a.funds_sent_at, due_since = now()
    WHERE tenant_id = a.other_tenant_id AND uid = p_uid AND side = 'in';
    PERFORM transfer_audit(a.other_tenant_id, p_user, 'transfer.funds_notified', p_uid, jsonb_build_object('funds_fen', a.funds_sent_fen));
END $$;

-- B has completed its side: A's side closes and A's pension enrolment of the person ends as
-- transferred (with the statistics that follow).
CREATE FUNCTION transfer_finish(p_uid uuid, p_user bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    b transfer%ROWTYPE;
    a transfer%ROWTYPE;
BEGIN
    SELECT * INTO b FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid AND side = 'in';
    IF NOT FOUND THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    PERFORM 1 FROM transfer WHERE uid = p_uid AND tenant_id IN (b.tenant_id, b.other_tenant_id) ORDER BY tenant_id FOR UPDATE;
    SELECT * INTO b FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid AND side = 'in';
    SELECT * INTO a FROM transfer WHERE tenant_id = b.other_tenant_id AND uid = p_uid AND side = 'out';
    -- B's side must really be complete: information received, funds received and equal to it.
    IF NOT FOUND OR b.state <> 'completed' OR a.state <> 'requested' OR a.other_tenant_id <> b.tenant_id
       OR b.info_received_at IS NULL OR b.funds_received_fen IS DISTINCT FROM b.info_total_fen
       OR a.info_total_fen IS DISTINCT FROM b.info_total_fen THEN
        RAISE EXCEPTION 'transfer.not_ready';
    END IF;
    UPDATE transfer SET state = 'completed', completed_at = now(), due_since = now() WHERE tenant_id = a.tenant_id AND id = a.id;
    WITH ended AS (
        UPDATE enrolment SET status = 'stopped', stop_reason = 'transferred', updated_at = now(),
               end_period = greatest(start_period, date_trunc('month', now())::date)
        WHERE tenant_id = a.tenant_id AND person_id = a.person_id AND insurance_type = 'pension' AND status = 'active'
        RETURNING end_period)
    INSERT INTO stat_delta (tenant_id, metric, period, insurance_type, value)
    SELECT a.tenant_id, 'active_enrolments', DATE '1900-01-01', 'pension', -count(*) FROM ended HAVING count(*) > 0
    UNION ALL SELECT a.tenant_id, 'stopped_enrolments', end_period, 'pension', count(*) FROM ended GROUP BY end_period;
    INSERT INTO stat_delta (tenant_id, metric, period, insurance_type, value)
    VALUES (a.tenant_id, 'transfers_out', date_trunc('month', now())::date, 'pension', 1),
           (b.tenant_id, 'transfers_in', date_trunc('month', now())::date, 'pension', 1);
    INSERT INTO person_event (tenant_id, person_id, occurred_on, kind, detail, office_id, created_by)
    VALUES (a.tenant_id, a.person_id, current_date, 'transfer_out', jsonb_build_object('uid', p_uid, 'to_tenant', b.tenant_id), NULL, NULL);
    PERFORM transfer_audit(a.tenant_id, p_user, 'transfer.completed', p_uid, jsonb_build_object('to_tenant', b.tenant_id));
END $$;

-- For the province: transfers per city (in, out, open) and steps overdue, no personal data.
CREATE FUNCTION transfer_overview() RETURNS TABLE (tenant_id smallint, open_in bigint, open_out bigint, overdue bigint)
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT tenant_id,
           count(*) FILTER (WHERE side = 'in' AND state = 'requested'),
           count(*) FILTER (WHERE side = 'out' AND state = 'requested'),
           count(*) FILTER (WHERE state = 'requested' AND working_days_between(due_since::date, current_date) > 15)
    FROM transfer GROUP BY tenant_id
$$;

DO $$
DECLARE f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['transfer_audit(smallint, bigint, text, uuid, jsonb)', 'transfer_lock(uuid)', 'transfer_open(smallint, bigint, bigint)',
                             'transfer_send_info(uuid, bigint)', 'transfer_send_funds(uuid, bigint)', 'transfer_finish(uuid, bigint)',
                             'transfer_overview()'] LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO jinbao_transfer', f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION transfer_lock(uuid), transfer_open(smallint, bigint, bigint), transfer_send_info(uuid, bigint),
    transfer_send_funds(uuid, bigint), transfer_finish(uuid, bigint) TO jinbao_app;
GRANT EXECUTE ON FUNCTION transfer_overview() TO jinbao_analytics;
GRANT EXECUTE ON FUNCTION working_days_between(date, date) TO jinbao_transfer;

INSERT INTO permission (code, description) VALUES
    ('transfer.request', 'Open a transfer-in and complete it'),
    ('transfer.process', 'Produce transfer information and record funds'),
    ('transfer.approve', 'Approve transfer information produced by another person');
INSERT INTO role_permission (role_code, permission_code) VALUES
    ('clerk', 'transfer.request'), ('clerk', 'transfer.process'), ('reviewer', 'transfer.approve'), ('reviewer', 'transfer.request');
