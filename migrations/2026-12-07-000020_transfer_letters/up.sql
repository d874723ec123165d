-- Opening a transfer-in is the contact letter (联系函). The receiving city (B) records its request
-- after checking only its own records, and the answer is the same whatever the sending city (A)
-- holds: both sides are created in the state 'letter', A's side carrying the identity number and
-- the name given in the letter but no person yet. A's staff answer the letter from A's queue:
-- they accept it (A's person is matched by identity number, A's pension must not be paid and no
-- other transfer of the identity number may be open anywhere; both sides become 'requested' and
-- the flow of migration 000014 continues) or refuse it with a reason code (both sides 'refused').
-- Either way the answer is audited in both cities, and B learns it only from its own row.
--
-- The application role can no longer write a transfer's state, its information and total, or the
-- funds sent: those writes happen only in the step functions below, which check the caller's side
-- and the step's preconditions.

ALTER TABLE transfer DROP CONSTRAINT transfer_state_check;
ALTER TABLE transfer ADD CONSTRAINT transfer_state_check CHECK (state IN ('letter', 'requested', 'completed', 'refused'));
ALTER TABLE transfer ALTER COLUMN state SET DEFAULT 'letter';
-- A's side has no person until A's staff match the letter to their own record; a letter refused
-- at A may never get one. B's side always names B's person. The foreign key (tenant_id,
-- person_id) stays: within the tenant whenever a person is named.
ALTER TABLE transfer ALTER COLUMN person_id DROP NOT NULL;
ALTER TABLE transfer ADD CONSTRAINT transfer_person_named
    CHECK (person_id IS NOT NULL OR (side = 'out' AND state IN ('letter', 'refused')));
-- Why a transfer was refused: A's answer to a letter (not insured here, pension being paid here,
-- another transfer open, other), or withdrawn by either city later. `refused_reason` holds the
-- free text.
ALTER TABLE transfer ADD COLUMN refused_code text
    CHECK (refused_code IN ('not_insured_here', 'pension_paid', 'transfer_open', 'other', 'withdrawn'));
ALTER TABLE transfer ADD COLUMN answered_by bigint;
ALTER TABLE transfer ADD COLUMN answered_at timestamptz;
CREATE INDEX transfer_pending ON transfer (tenant_id, id_number) WHERE state IN ('letter', 'requested');

-- The application keeps only the columns of steps that stay in its own city: the approval of
-- the information (maker-checker by the CHECK on the table), the funds received, and due_since.
REVOKE UPDATE (state, info, info_total_fen, info_proposed_by, info_proposed_at, funds_sent_fen, funds_sent_by, funds_sent_at,
               completed_by, completed_at) ON transfer FROM jinbao_app;

-- Locks both sides of a transfer in the order of tenant id and returns the calling city's side
-- (NULL when this city holds no side).
CREATE FUNCTION transfer_mine_locked(p_uid uuid) RETURNS transfer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    mine transfer%ROWTYPE;
BEGIN
    SELECT * INTO mine FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid;
    IF NOT FOUND THEN RETURN NULL; END IF;
    PERFORM 1 FROM transfer WHERE uid = p_uid AND tenant_id IN (mine.tenant_id, mine.other_tenant_id) ORDER BY tenant_id FOR UPDATE;
    SELECT * INTO mine FROM transfer WHERE tenant_id = app_tenant() AND uid = p_uid;
    RETURN mine;
END $$;

-- B sends the contact letter for its registered person `p_person_id` to city `p_from`. Only B's
-- own facts are checked (the same city, B's person, no open transfer of the person at B, no
-- pension paid by B); nothing of A is read, so the answer is the same whatever A holds.
CREATE OR REPLACE FUNCTION transfer_open(p_from smallint, p_person_id bigint, p_user bigint) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    b smallint := app_tenant();
    mine person%ROWTYPE;
    new_uid uuid := gen_random_uuid();
BEGIN
    IF b IS NULL THEN RAISE EXCEPTION 'transfer.no_tenant'; END IF;
    IF p_from = b THEN RAISE EXCEPTION 'transfer.same_city'; END IF;
    IF NOT EXISTS (SELECT 1 FROM tenant WHERE id = p_from AND kind = 'city') THEN RAISE EXCEPTION 'transfer.unknown_city'; END IF;
    SELECT * INTO mine FROM person WHERE tenant_id = b AND id = p_person_id;
    IF NOT FOUND THEN RAISE EXCEPTION 'transfer.unknown_person'; END IF;
    PERFORM pg_advisory_xact_lock(hashtext('transfer:' || mine.id_number));
    IF EXISTS (SELECT 1 FROM transfer WHERE tenant_id = b AND id_number = mine.id_number AND state IN ('letter', 'requested')) THEN
        RAISE EXCEPTION 'transfer.already_open';
    END IF;
    IF EXISTS (SELECT 1 FROM benefit_claim c WHERE c.tenant_id = b AND c.person_id = mine.id AND c.kind = 'pension' AND c.status = 'approved') THEN
        RAISE EXCEPTION 'transfer.pension_paid';
    END IF;
    INSERT INTO transfer (tenant_id, uid, side, other_tenant_id, person_id, id_number, person_name, requested_by, state)
    VALUES (b, new_uid, 'in', p_from, mine.id, mine.id_number, mine.name, p_user, 'letter'),
           (p_from, new_uid, 'out', b, NULL, mine.id_number, mine.name, NULL, 'letter');
    INSERT INTO person_event (tenant_id, person_id, occurred_on, kind, detail, office_id, created_by)
    VALUES (b, mine.id, current_date, 'transfer_requested', jsonb_build_object('uid', new_uid, 'from_tenant', p_from), NULL, NULL);
    PERFORM transfer_audit(b, p_user, 'transfer.open', new_uid, jsonb_build_object('from_tenant', p_from));
    PERFORM transfer_audit(p_from, p_user, 'transfer.letter_received', new_uid, jsonb_build_object('to_tenant', b));
    RETURN new_uid;
END $$;

-- A accepts a letter: A's own person with the identity number, A's pension not being paid, no
-- other transfer of the identity number open anywhere. Both sides become 'requested'.
CREATE FUNCTION transfer_accept(p_uid uuid, p_user bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a transfer%ROWTYPE := transfer_mine_locked(p_uid);
    b transfer%ROWTYPE;
    theirs person%ROWTYPE;
BEGIN
    IF a.uid IS NULL OR p_user IS NULL THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    IF a.side <> 'out' THEN RAISE EXCEPTION 'transfer.wrong_side'; END IF;
    IF a.state <> 'letter' THEN RAISE EXCEPTION 'transfer.answered'; END IF;
    SELECT * INTO b FROM transfer WHERE tenant_id = a.other_tenant_id AND uid = p_uid AND side = 'in';
    IF NOT FOUND OR b.state <> 'letter' OR b.other_tenant_id <> a.tenant_id THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    PERFORM pg_advisory_xact_lock(hashtext('transfer:' || a.id_number));
    SELECT * INTO theirs FROM person WHERE tenant_id = a.tenant_id AND id_number = a.id_number;
    IF NOT FOUND THEN RAISE EXCEPTION 'transfer.not_insured_here'; END IF;
    IF EXISTS (SELECT 1 FROM benefit_claim c WHERE c.tenant_id = a.tenant_id AND c.person_id = theirs.id AND c.kind = 'pension' AND c.status = 'approved') THEN
        RAISE EXCEPTION 'transfer.pension_paid';
    END IF;
    IF EXISTS (SELECT 1 FROM transfer WHERE id_number = a.id_number AND state = 'requested' AND uid <> p_uid) THEN
        RAISE EXCEPTION 'transfer.already_open';
    END IF;
    UPDATE transfer SET state = 'requested', person_id = theirs.id, person_name = theirs.name, answered_by = p_user, answered_at = now(),
                        due_since = now()
    WHERE tenant_id = a.tenant_id AND id = a.id;
    UPDATE transfer SET state = 'requested', answered_at = now(), due_since = now() WHERE tenant_id = b.tenant_id AND id = b.id;
    PERFORM transfer_audit(a.tenant_id, p_user, 'transfer.accepted', p_uid, jsonb_build_object('person_id', theirs.id));
    PERFORM transfer_audit(b.tenant_id, p_user, 'transfer.accepted', p_uid, jsonb_build_object('from_tenant', a.tenant_id));
END $$;

-- A refuses a letter with a reason code (and a note): both sides close as refused.
CREATE FUNCTION transfer_refuse(p_uid uuid, p_user bigint, p_code text, p_note text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a transfer%ROWTYPE := transfer_mine_locked(p_uid);
BEGIN
    IF a.uid IS NULL OR p_user IS NULL THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    IF a.side <> 'out' THEN RAISE EXCEPTION 'transfer.wrong_side'; END IF;
    IF a.state <> 'letter' THEN RAISE EXCEPTION 'transfer.answered'; END IF;
    IF p_code IS NULL OR p_code NOT IN ('not_insured_here', 'pension_paid', 'transfer_open', 'other')
       OR (p_code = 'other' AND coalesce(btrim(p_note), '') = '') THEN
        RAISE EXCEPTION 'transfer.refuse_code';
    END IF;
    UPDATE transfer SET state = 'refused', refused_code = p_code, refused_reason = nullif(btrim(p_note), ''), answered_at = now(),
                        answered_by = CASE WHEN tenant_id = a.tenant_id THEN p_user END, due_since = now()
    WHERE uid = p_uid AND tenant_id IN (a.tenant_id, a.other_tenant_id) AND state = 'letter';
    PERFORM transfer_audit(a.tenant_id, p_user, 'transfer.refused', p_uid, jsonb_build_object('code', p_code, 'reason', p_note));
    PERFORM transfer_audit(a.other_tenant_id, p_user, 'transfer.refused', p_uid, jsonb_build_object('code', p_code, 'reason', p_note));
END $$;

-- A records the information it produced (again, until approved). The total must be the
-- information's own.
CREATE FUNCTION transfer_propose_info(p_uid uuid, p_user bigint, p_info jsonb, p_total bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a transfer%ROWTYPE := transfer_mine_locked(p_uid);
BEGIN
    IF a.uid IS NULL OR p_user IS NULL THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    IF a.side <> 'out' THEN RAISE EXCEPTION 'transfer.wrong_side'; END IF;
    IF a.state = 'letter' THEN RAISE EXCEPTION 'transfer.letter_pending'; END IF;
    IF a.state <> 'requested' THEN RAISE EXCEPTION 'transfer.closed'; END IF;
    IF a.info_approved_at IS NOT NULL THEN RAISE EXCEPTION 'transfer.info_approved'; END IF;
    IF p_total IS NULL OR p_total < 0 OR (p_info ->> 'total_fen')::bigint IS DISTINCT FROM p_total THEN
        RAISE EXCEPTION 'transfer.not_ready';
    END IF;
    UPDATE transfer SET info = p_info, info_total_fen = p_total, info_proposed_by = p_user, info_proposed_at = now()
    WHERE tenant_id = a.tenant_id AND id = a.id;
END $$;

-- A records the funds as sent (again to correct the amount, until B completes) and B is told the
-- amount and the time. Replaces transfer_send_funds: the application no longer writes the columns.
CREATE FUNCTION transfer_funds_sent(p_uid uuid, p_user bigint, p_amount bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a transfer%ROWTYPE := transfer_mine_locked(p_uid);
    ts timestamptz := now();
BEGIN
    IF a.uid IS NULL OR p_user IS NULL THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    IF a.side <> 'out' THEN RAISE EXCEPTION 'transfer.wrong_side'; END IF;
    IF a.state = 'letter' THEN RAISE EXCEPTION 'transfer.letter_pending'; END IF;
    IF a.state <> 'requested' THEN RAISE EXCEPTION 'transfer.closed'; END IF;
    IF p_amount IS NULL OR p_amount <= 0 THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    UPDATE transfer SET funds_sent_fen = p_amount, funds_sent_by = p_user, funds_sent_at = ts, due_since = ts
    WHERE tenant_id = a.tenant_id AND id = a.id;
    UPDATE transfer SET funds_sent_fen = p_amount, funds_sent_at = ts, due_since = ts
    WHERE tenant_id = a.other_tenant_id AND uid = p_uid AND side = 'in' AND state = 'requested';
    IF NOT FOUND THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    PERFORM transfer_audit(a.other_tenant_id, p_user, 'transfer.funds_notified', p_uid, jsonb_build_object('funds_fen', p_amount));
END $$;
DROP FUNCTION transfer_send_funds(uuid, bigint);

-- B completes: both sides must really be done — B's information received and equal to A's
-- approved information, B's funds received equal to it, and A's funds recorded as sent with that
-- amount. Both sides close, A's pension enrolment of the person ends as transferred (with the
-- statistics that follow).
CREATE OR REPLACE FUNCTION transfer_finish(p_uid uuid, p_user bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    b transfer%ROWTYPE := transfer_mine_locked(p_uid);
    a transfer%ROWTYPE;
BEGIN
    IF b.uid IS NULL OR b.side <> 'in' OR p_user IS NULL THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    SELECT * INTO a FROM transfer WHERE tenant_id = b.other_tenant_id AND uid = p_uid AND side = 'out';
    IF NOT FOUND OR b.state <> 'requested' OR a.state <> 'requested' OR a.other_tenant_id <> b.tenant_id OR a.person_id IS NULL
       OR b.info_received_at IS NULL OR b.info_total_fen IS NULL OR a.info_approved_at IS NULL
       OR a.info_total_fen IS DISTINCT FROM b.info_total_fen
       OR b.funds_received_fen IS DISTINCT FROM b.info_total_fen
       OR a.funds_sent_at IS NULL OR a.funds_sent_fen IS DISTINCT FROM b.funds_received_fen THEN
        RAISE EXCEPTION 'transfer.not_ready';
    END IF;
    UPDATE transfer SET state = 'completed', completed_by = p_user, completed_at = now(), due_since = now()
    WHERE tenant_id = b.tenant_id AND id = b.id;
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

-- Either city withdraws an open transfer with a reason; B may also withdraw a letter not yet
-- answered (A answers a letter by accepting or refusing it).
CREATE OR REPLACE FUNCTION transfer_cancel(p_uid uuid, p_user bigint, p_reason text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    mine transfer%ROWTYPE := transfer_mine_locked(p_uid);
    theirs transfer%ROWTYPE;
BEGIN
    IF mine.uid IS NULL THEN RAISE EXCEPTION 'transfer.not_ready'; END IF;
    SELECT * INTO theirs FROM transfer WHERE tenant_id = mine.other_tenant_id AND uid = p_uid;
    IF mine.state NOT IN ('letter', 'requested') OR theirs.state IS DISTINCT FROM mine.state THEN RAISE EXCEPTION 'transfer.closed'; END IF;
    IF mine.state = 'letter' AND mine.side = 'out' THEN RAISE EXCEPTION 'transfer.wrong_side'; END IF;
    -- Once the funds are on their way the transfer is finished by the two cities, not withdrawn.
    IF coalesce(mine.funds_sent_at, theirs.funds_sent_at, mine.funds_received_at, theirs.funds_received_at) IS NOT NULL THEN
        RAISE EXCEPTION 'transfer.funds_received';
    END IF;
    UPDATE transfer SET state = 'refused', refused_code = 'withdrawn', refused_reason = p_reason, due_since = now()
    WHERE uid = p_uid AND tenant_id IN (mine.tenant_id, mine.other_tenant_id);
    PERFORM transfer_audit(mine.tenant_id, p_user, 'transfer.cancelled', p_uid, jsonb_build_object('reason', p_reason));
    PERFORM transfer_audit(mine.other_tenant_id, p_user, 'transfer.cancelled', p_uid, jsonb_build_object('reason', p_reason));
END $$;

-- For the province: letters waiting for an answer count as open (and overdue after 15 working
-- days, like every other step).
CREATE OR REPLACE FUNCTION transfer_overview() RETURNS TABLE (tenant_id smallint, open_in bigint, open_out bigint, overdue bigint)
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT tenant_id,
           count(*) FILTER (WHERE side = 'in' AND state IN ('letter', 'requested')),
           count(*) FILTER (WHERE side = 'out' AND state IN ('letter', 'requested')),
           count(*) FILTER (WHERE state IN ('letter', 'requested') AND working_days_between(due_since::date, current_date) > 15)
    FROM transfer GROUP BY tenant_id
$$;

DO $$
DECLARE f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['transfer_mine_locked(uuid)', 'transfer_accept(uuid, bigint)', 'transfer_refuse(uuid, bigint, text, text)',
                             'transfer_propose_info(uuid, bigint, jsonb, bigint)', 'transfer_funds_sent(uuid, bigint, bigint)'] LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO jinbao_transfer', f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
GRANT EXECUTE ON FUNCTION transfer_accept(uuid, bigint), transfer_refuse(uuid, bigint, text, text),
    transfer_propose_info(uuid, bigint, jsonb, bigint), transfer_funds_sent(uuid, bigint, bigint) TO jinbao_app;
