-- The insured person's own record online (个人网上服务) and the social security card (社会保障卡).
-- A person's account (migration 000065) reads its own rows of the tables below, keyed on
-- app_person(); the yearly rights statement (个权益记录单) is computed by the city and stored, so the
-- person reads figures, not other people's rows.

-- Which of a person's assessed rows the employer's payments cover (the allocation rule of
-- docs/rules.md "Paid months": every earlier insurance type, then this type's employee parts of
-- everyone, then its employer parts in person order up to the row) — the rule the store's staff
-- statements state inline (`repo::benefits`; Citus plans no SQL function with parameters over
-- distributed tables). tests/it/person_service.rs checks both give the same figures.
CREATE FUNCTION assessment_paid_rows(p_tenant smallint, p_person bigint, p_type text)
    RETURNS TABLE (period date, kind text, base_fen bigint, employee_fen bigint, employer_fen bigint, paid boolean)
    LANGUAGE sql STABLE AS $$
    SELECT a.period, a.kind, a.base_fen, a.employee_fen, a.employer_fen,
           (SELECT coalesce(sum(c.amount_fen), 0) FROM collection c
             WHERE c.tenant_id = p_tenant AND c.employer_id = a.employer_id AND c.period = a.period)
           >= (SELECT coalesce(sum(CASE
                   WHEN array_position(ARRAY['pension','medical','unemployment','work_injury','maternity'], l.insurance_type)
                        < array_position(ARRAY['pension','medical','unemployment','work_injury','maternity'], p_type)
                        THEN l.employee_fen + l.employer_fen
                   WHEN l.insurance_type = p_type THEN l.employee_fen
                        + CASE WHEN (l.person_id, CASE l.kind WHEN 'regular' THEN 0 ELSE 1 END, l.id)
                                    <= (a.person_id, CASE a.kind WHEN 'regular' THEN 0 ELSE 1 END, a.id)
                               THEN l.employer_fen ELSE 0 END
                   ELSE 0 END), 0)
               FROM assessment l WHERE l.tenant_id = p_tenant AND l.employer_id = a.employer_id AND l.period = a.period) AS paid
    FROM assessment a
    WHERE a.tenant_id = p_tenant AND a.person_id = p_person AND a.insurance_type = p_type
$$;

-- The same for the person of a public transaction: whether their own months are paid depends on
-- their employer's payments and colleagues' rows, which the person may not read; this function
-- reads them with the owner's rights (still confined to the tenant) and returns the person's rows
-- only.
CREATE FUNCTION public_paid_rows(p_type text)
    RETURNS TABLE (period date, kind text, base_fen bigint, employee_fen bigint, employer_fen bigint, paid boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT * FROM assessment_paid_rows(app_tenant(), app_person(), p_type) WHERE app_person() IS NOT NULL
$$;
REVOKE ALL ON FUNCTION public_paid_rows(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_paid_rows(text) TO jinbao_public;
REVOKE ALL ON FUNCTION assessment_paid_rows(smallint, bigint, text) FROM PUBLIC;

-- The yearly personal rights statement, as computed by the city (a job for all its insured, or
-- one person at the counter). Each generation is kept; the code verifies a printed copy.
CREATE TABLE rights_statement (
    tenant_id     smallint NOT NULL REFERENCES tenant (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    person_id     bigint NOT NULL,
    year          smallint NOT NULL CHECK (year BETWEEN 1990 AND 2200),
    code          text NOT NULL CHECK (code ~ '^41[0-9]{4}-[0-9A-HJ-NP-Z]{4}-[0-9A-HJ-NP-Z]{4}-[0-9A-HJ-NP-Z]{4}$'),
    content       jsonb NOT NULL,
    generated_at  timestamptz NOT NULL DEFAULT now(),
    generated_by  bigint,
    job_id        bigint,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);
SELECT enable_tenant_rls('rights_statement');
SELECT distribute_new_tenant_table('rights_statement');
ALTER TABLE rights_statement ADD FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id);
ALTER TABLE rights_statement ADD FOREIGN KEY (tenant_id, generated_by) REFERENCES app_user (tenant_id, id);
CREATE INDEX rights_statement_person ON rights_statement (tenant_id, person_id, year, id);

-- The social security card: one record per card issued; at most one card per person is live.
CREATE TABLE social_security_card (
    tenant_id          smallint NOT NULL REFERENCES tenant (id),
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    person_id          bigint NOT NULL,
    -- 卡识别码 / 卡号 as printed (the social security number is the identity number).
    card_serial        text NOT NULL CHECK (card_serial ~ '^[0-9A-Z]{6,32}$'),
    bank_name          text NOT NULL CHECK (char_length(bank_name) BETWEEN 2 AND 60),
    -- The financial account of the card (bank card number).
    account_no         text NOT NULL CHECK (account_no ~ '^[0-9]{12,30}$'),
    status             text NOT NULL DEFAULT 'issued'
                       CHECK (status IN ('issued', 'in_use', 'reported_lost', 'suspended', 'replaced', 'cancelled')),
    issued_on          date NOT NULL,
    status_changed_at  timestamptz NOT NULL DEFAULT now(),
    replaces           bigint,
    created_by         bigint,
    import_job_id      bigint,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, card_serial)
);
SELECT enable_tenant_rls('social_security_card');
SELECT distribute_new_tenant_table('social_security_card');
ALTER TABLE social_security_card ADD FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id);
ALTER TABLE social_security_card ADD FOREIGN KEY (tenant_id, created_by) REFERENCES app_user (tenant_id, id);
CREATE UNIQUE INDEX social_security_card_live ON social_security_card (tenant_id, person_id)
    WHERE status IN ('issued', 'in_use', 'reported_lost', 'suspended');

-- Every status change of a card, with who did it (a clerk or the person online).
CREATE TABLE card_event (
    tenant_id    smallint NOT NULL REFERENCES tenant (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    card_id      bigint NOT NULL,
    person_id    bigint NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    from_status  text,
    to_status    text NOT NULL,
    by_user      bigint,
    by_account   bigint,
    reason       text CHECK (reason IS NULL OR char_length(reason) <= 200),
    PRIMARY KEY (tenant_id, id),
    CHECK (num_nonnulls(by_user, by_account) <= 1)
);
SELECT enable_tenant_rls('card_event');
SELECT distribute_new_tenant_table('card_event');
ALTER TABLE card_event ADD FOREIGN KEY (tenant_id, card_id) REFERENCES social_security_card (tenant_id, id);
ALTER TABLE card_event ADD FOREIGN KEY (tenant_id, by_account) REFERENCES public_account (tenant_id, id);
CREATE INDEX card_event_card ON card_event (tenant_id, card_id, id);

-- A person reads their own rows of the record.
SELECT public_policy(t, 'person_id = app_person()')
FROM unnest(ARRAY['contribution_history', 'transferred_period', 'transfer', 'benefit_claim', 'payment_line',
                  'unemployment_registration', 'training', 'rights_statement', 'social_security_card', 'card_event']::regclass[]) AS t;
GRANT SELECT ON contribution_history, transferred_period, transfer, benefit_claim, payment_line,
                unemployment_registration, training, rights_statement, social_security_card, card_event,
                benefit_rule, benefit_year TO jinbao_public;
-- Reporting one's card lost online.
GRANT UPDATE (status, status_changed_at) ON social_security_card TO jinbao_public;
GRANT INSERT ON card_event TO jinbao_public;
-- Generating one's own statement online (the figures computed in the person's own transaction).
GRANT INSERT ON rights_statement TO jinbao_public;

GRANT SELECT, INSERT ON rights_statement TO jinbao_app;
GRANT SELECT, INSERT ON social_security_card, card_event TO jinbao_app;
GRANT UPDATE (status, status_changed_at) ON social_security_card TO jinbao_app;

-- The person's pension record in the other cities of Henan, for their own online record: per
-- city where the same identity number is registered, the months of pension insurance recorded
-- there (enrolment spans up to this month) and the months that city has transferred out. Owned by
-- jinbao_transfer, the one role that reads across cities; it answers only for the principal
-- person of the calling transaction (never a number passed in), and every city read records the
-- reading in its own audit log, as the calling city does.
CREATE FUNCTION public_person_elsewhere()
    RETURNS TABLE (tenant_code text, name_zh text, name_en text, pension_months bigint, transferred_months bigint, insured_now boolean)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me person%ROWTYPE;
    here smallint := app_tenant();
    r record;
BEGIN
    IF here IS NULL OR app_person() IS NULL THEN RAISE EXCEPTION 'public.no_person'; END IF;
    SELECT * INTO me FROM person WHERE tenant_id = here AND id = app_person();
    IF NOT FOUND THEN RETURN; END IF;
    FOR r IN
        SELECT p.tenant_id, p.id, t.code, t.name_zh, t.name_en FROM person p JOIN tenant t ON t.id = p.tenant_id
         WHERE p.id_number = me.id_number AND p.tenant_id <> here ORDER BY t.sort_order
    LOOP
        tenant_code := r.code; name_zh := r.name_zh; name_en := r.name_en;
        SELECT coalesce(sum((extract(year FROM age(least(coalesce(e.end_period, date_trunc('month', current_date)::date), date_trunc('month', current_date)::date), e.start_period)) * 12
                             + extract(month FROM age(least(coalesce(e.end_period, date_trunc('month', current_date)::date), date_trunc('month', current_date)::date), e.start_period)) + 1)::bigint), 0),
               coalesce(bool_or(e.status = 'active'), false)
          INTO pension_months, insured_now
          FROM enrolment e WHERE e.tenant_id = r.tenant_id AND e.person_id = r.id AND e.insurance_type = 'pension' AND e.start_period <= current_date;
        SELECT coalesce(sum(jsonb_array_length(coalesce(x.info -> 'periods', '[]'::jsonb))), 0)::bigint INTO transferred_months
          FROM transfer x WHERE x.tenant_id = r.tenant_id AND x.person_id = r.id AND x.side = 'out' AND x.state = 'completed';
        INSERT INTO audit_log (tenant_id, user_id, actor, action, entity, entity_id, after, reason)
        VALUES (r.tenant_id, NULL, 'city:' || here::text, 'person.read_online', 'person', r.id::text,
                jsonb_build_object('by_city', here), 'the person''s own record, read online');
        RETURN NEXT;
    END LOOP;
    INSERT INTO audit_log (tenant_id, user_id, actor, action, entity, entity_id, after, reason)
    VALUES (here, NULL, 'person_account:' || coalesce(app_account()::text, ''), 'person.read_elsewhere', 'person', me.id::text,
            NULL, 'the person''s record in other cities, read online');
END $$;
-- A new owner needs CREATE on the schema for the moment of the change (revoked again: the
-- transfer role creates nothing).
GRANT CREATE ON SCHEMA public TO jinbao_transfer;
ALTER FUNCTION public_person_elsewhere() OWNER TO jinbao_transfer;
REVOKE CREATE ON SCHEMA public FROM jinbao_transfer;
GRANT EXECUTE ON FUNCTION app_account(), app_person() TO jinbao_transfer;
REVOKE ALL ON FUNCTION public_person_elsewhere() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_person_elsewhere() TO jinbao_public;
