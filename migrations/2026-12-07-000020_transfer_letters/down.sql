-- Back to opening with the sending city's records checked at once (migration 000014). Letters
-- cannot exist there: every transfer whose sending side names no person (a letter not yet
-- answered, or one refused before a person was matched) is removed with both its sides. The rows
-- of every city are touched, so row-level security is not forced for the duration.
ALTER TABLE transfer NO FORCE ROW LEVEL SECURITY;
DELETE FROM transfer WHERE uid IN (SELECT uid FROM transfer WHERE person_id IS NULL OR state = 'letter');
ALTER TABLE transfer FORCE ROW LEVEL SECURITY;

DROP FUNCTION transfer_accept(uuid, bigint);
DROP FUNCTION transfer_refuse(uuid, bigint, text, text);
DROP FUNCTION transfer_propose_info(uuid, bigint, jsonb, bigint);
DROP FUNCTION transfer_funds_sent(uuid, bigint, bigint);


CREATE OR REPLACE FUNCTION transfer_send_funds(p_uid uuid, p_user bigint) RETURNS void
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

ALTER FUNCTION transfer_send_funds(uuid, bigint) OWNER TO jinbao_transfer;
REVOKE ALL ON FUNCTION transfer_send_funds(uuid, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION transfer_send_funds(uuid, bigint) TO jinbao_app;


CREATE OR REPLACE FUNCTION transfer_open(p_from smallint, p_person_id bigint, p_user bigint) RETURNS uuid
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

CREATE OR REPLACE FUNCTION transfer_finish(p_uid uuid, p_user bigint) RETURNS void
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

CREATE OR REPLACE FUNCTION transfer_overview() RETURNS TABLE (tenant_id smallint, open_in bigint, open_out bigint, overdue bigint)
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT tenant_id,
           count(*) FILTER (WHERE side = 'in' AND state = 'requested'),
           count(*) FILTER (WHERE side = 'out' AND state = 'requested'),
           count(*) FILTER (WHERE state = 'requested' AND working_days_between(due_since::date, current_date) > 15)
    FROM transfer GROUP BY tenant_id
$$;

CREATE OR REPLACE FUNCTION transfer_cancel(p_uid uuid, p_user bigint, p_reason text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    mine transfer%ROWTYPE;
    theirs transfer%ROWTYPE;
BEGIN
    SELECT * INTO mine FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid;
    IF NOT FOUND THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    -- Both sides locked in one order (by tenant) whichever city acts, so steps cannot deadlock.
    PERFORM 1 FROM transfer WHERE uid = p_uid AND tenant_id IN (mine.tenant_id, mine.other_tenant_id) ORDER BY tenant_id FOR UPDATE;
    SELECT * INTO mine FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid;
    SELECT * INTO theirs FROM transfer WHERE tenant_id = mine.other_tenant_id AND uid = p_uid;
    IF mine.state <> 'requested' OR theirs.state <> 'requested' THEN RAISE EXCEPTION 'transfer.closed'; END IF;
    -- Once the funds are on their way the transfer is finished by the two cities, not withdrawn.
    IF coalesce(mine.funds_sent_at, theirs.funds_sent_at, mine.funds_received_at, theirs.funds_received_at) IS NOT NULL THEN
        RAISE EXCEPTION 'transfer.funds_received';
    END IF;
    UPDATE transfer SET state = 'refused', refused_reason = p_reason, due_since = now()
    WHERE uid = p_uid AND tenant_id IN (mine.tenant_id, mine.other_tenant_id);
    PERFORM transfer_audit(mine.tenant_id, p_user, 'transfer.cancelled', p_uid, jsonb_build_object('reason', p_reason));
    PERFORM transfer_audit(mine.other_tenant_id, p_user, 'transfer.cancelled', p_uid, jsonb_build_object('reason', p_reason));
END $$;

DROP FUNCTION transfer_mine_locked(uuid);

GRANT UPDATE (state, info, info_total_fen, info_proposed_by, info_proposed_at, funds_sent_fen, funds_sent_by, funds_sent_at,
              completed_by, completed_at) ON transfer TO jinbao_app;
DROP INDEX transfer_pending;
ALTER TABLE transfer DROP COLUMN answered_at;
ALTER TABLE transfer DROP COLUMN answered_by;
ALTER TABLE transfer DROP COLUMN refused_code;
ALTER TABLE transfer DROP CONSTRAINT transfer_person_named;
ALTER TABLE transfer ALTER COLUMN person_id SET NOT NULL;
ALTER TABLE transfer ALTER COLUMN state SET DEFAULT 'requested';
ALTER TABLE transfer DROP CONSTRAINT transfer_state_check;
ALTER TABLE transfer ADD CONSTRAINT transfer_state_check CHECK (state IN ('requested', 'completed', 'refused'));
