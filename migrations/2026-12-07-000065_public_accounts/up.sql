-- Accounts for people and employers outside the bureau: an employer's accountant (单位网上经办) and
-- an insured person (个人网上服务). Their requests run as the role `jinbao_public` (the app role
-- switches to it with SET LOCAL ROLE once `public_session_begin` has checked the account), and
-- every table that role may touch has a RESTRICTIVE policy keyed on the principal, on top of the
-- tenant policy: an employer account reaches its own employer row and the people it employs, a
-- person account only itself. The principal (employer or person) is read from the account row by
-- the database, never taken from the request. Without a principal the policies match nothing.

CREATE FUNCTION app_account() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('jinbao.account_id', true), '')::bigint $$;
CREATE FUNCTION app_employer() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('jinbao.employer_id', true), '')::bigint $$;
CREATE FUNCTION app_person() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('jinbao.person_id', true), '')::bigint $$;

CREATE TABLE public_account (
    tenant_id             smallint NOT NULL REFERENCES tenant (id),
    id                    bigint GENERATED ALWAYS AS IDENTITY,
    kind                  text NOT NULL CHECK (kind IN ('employer', 'person')),
    employer_id           bigint,
    person_id             bigint,
    -- The login: an employer accountant's chosen name (lower case), a person's identity number.
    login                 text NOT NULL CHECK (char_length(login) BETWEEN 3 AND 64),
    display_name          text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 100),
    phone                 text CHECK (phone IS NULL OR phone ~ '^[0-9+-]{5,20}$'),
    password_hash         text,
    must_change_password  boolean NOT NULL DEFAULT true,
    -- A person's activation code (printed letter from the counter): its hash and expiry.
    activation_hash       text,
    activation_expires    timestamptz,
    status                text NOT NULL DEFAULT 'active' CHECK (status IN ('pending', 'active', 'disabled')),
    token_epoch           integer NOT NULL DEFAULT 0,
    lang                  text NOT NULL DEFAULT 'zh-CN' CHECK (lang IN ('zh-CN', 'en')),
    last_login_at         timestamptz,
    failed_logins         integer NOT NULL DEFAULT 0,
    office_id             integer NOT NULL,
    created_by            bigint NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kind, login),
    CHECK ((kind = 'employer') = (employer_id IS NOT NULL) AND (kind = 'person') = (person_id IS NOT NULL)),
    CHECK (status = 'pending' OR password_hash IS NOT NULL)
);
SELECT enable_tenant_rls('public_account');
SELECT distribute_new_tenant_table('public_account');
ALTER TABLE public_account ADD FOREIGN KEY (tenant_id, employer_id) REFERENCES employer (tenant_id, id);
ALTER TABLE public_account ADD FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id);
ALTER TABLE public_account ADD FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id);
ALTER TABLE public_account ADD FOREIGN KEY (tenant_id, created_by) REFERENCES app_user (tenant_id, id);
CREATE INDEX public_account_employer ON public_account (tenant_id, employer_id) WHERE employer_id IS NOT NULL;
CREATE UNIQUE INDEX public_account_person ON public_account (tenant_id, person_id) WHERE person_id IS NOT NULL;

-- Logged-out tokens of public accounts (the staff list is keyed on users).
CREATE TABLE public_revoked_token (
    tenant_id   smallint NOT NULL REFERENCES tenant (id),
    jti         uuid NOT NULL,
    account_id  bigint NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, jti)
);
SELECT enable_tenant_rls('public_revoked_token');
SELECT distribute_new_tenant_table('public_revoked_token');
ALTER TABLE public_revoked_token ADD FOREIGN KEY (tenant_id, account_id) REFERENCES public_account (tenant_id, id);

-- Records written online name the account that wrote them instead of a staff user (never both;
-- imports name neither). A person's account refers to the person, so the person's column has no
-- foreign key back (no cycle: Citus distributes referenced tables first).
ALTER TABLE person ALTER COLUMN created_by DROP NOT NULL, ADD COLUMN created_by_account bigint;
ALTER TABLE employment ALTER COLUMN created_by DROP NOT NULL, ADD COLUMN created_by_account bigint;
ALTER TABLE enrolment ALTER COLUMN created_by DROP NOT NULL, ADD COLUMN created_by_account bigint;
ALTER TABLE contribution_base ADD COLUMN created_by_account bigint;
ALTER TABLE certificate ALTER COLUMN issued_by DROP NOT NULL, ADD COLUMN issued_by_account bigint;
ALTER TABLE idempotency_key ALTER COLUMN user_id DROP NOT NULL, ADD COLUMN account_id bigint;
ALTER TABLE person ADD CONSTRAINT person_written_by CHECK (num_nonnulls(created_by, created_by_account) <= 1) NOT VALID;
ALTER TABLE employment ADD CONSTRAINT employment_written_by CHECK (num_nonnulls(created_by, created_by_account) <= 1) NOT VALID;
ALTER TABLE enrolment ADD CONSTRAINT enrolment_written_by CHECK (num_nonnulls(created_by, created_by_account) <= 1) NOT VALID;
ALTER TABLE certificate ADD CONSTRAINT certificate_issued_by CHECK (num_nonnulls(issued_by, issued_by_account) <= 1) NOT VALID;
ALTER TABLE idempotency_key ADD CONSTRAINT idempotency_key_owner CHECK (num_nonnulls(user_id, account_id) <= 1) NOT VALID;
ALTER TABLE employment ADD FOREIGN KEY (tenant_id, created_by_account) REFERENCES public_account (tenant_id, id);
ALTER TABLE enrolment ADD FOREIGN KEY (tenant_id, created_by_account) REFERENCES public_account (tenant_id, id);
ALTER TABLE contribution_base ADD FOREIGN KEY (tenant_id, created_by_account) REFERENCES public_account (tenant_id, id);
ALTER TABLE certificate ADD FOREIGN KEY (tenant_id, issued_by_account) REFERENCES public_account (tenant_id, id);
-- The employer's people are found through its employments.
CREATE INDEX IF NOT EXISTS employment_employer_person ON employment (tenant_id, employer_id, person_id);

-- Opens a public account's transaction: sets the tenant, checks the account (active, token epoch,
-- token not logged out, employer still open), sets the principal from the account row and
-- switches to `jinbao_public` for the rest of the transaction. 'ok', 'read_only' (tenant
-- suspended) or 'refused' (then nothing is set).
CREATE FUNCTION public_session_begin(p_tenant smallint, p_account bigint, p_jti uuid, p_epoch integer) RETURNS text
    LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    a record;
BEGIN
    EXECUTE pg_catalog.format('SET LOCAL jinbao.tenant_id = %L', p_tenant);
    SELECT pa.kind, pa.employer_id, pa.person_id INTO a FROM public.public_account pa
     WHERE pa.tenant_id = p_tenant AND pa.id = p_account AND pa.status = 'active' AND pa.token_epoch = p_epoch;
    IF NOT FOUND
       OR EXISTS (SELECT 1 FROM public.public_revoked_token r WHERE r.tenant_id = p_tenant AND r.jti = p_jti)
       OR (a.kind = 'employer' AND NOT EXISTS (SELECT 1 FROM public.employer e
                                               WHERE e.tenant_id = p_tenant AND e.id = a.employer_id AND e.status = 'active')) THEN
        RETURN 'refused';
    END IF;
    EXECUTE pg_catalog.format('SET LOCAL jinbao.account_id = %L', p_account);
    EXECUTE pg_catalog.format('SET LOCAL jinbao.employer_id = %L', coalesce(a.employer_id::text, ''));
    EXECUTE pg_catalog.format('SET LOCAL jinbao.person_id = %L', coalesce(a.person_id::text, ''));
    SET LOCAL ROLE jinbao_public;
    IF EXISTS (SELECT 1 FROM public.tenant t WHERE t.id = p_tenant AND t.status = 'suspended') THEN
        RETURN 'read_only';
    END IF;
    RETURN 'ok';
END $$;
REVOKE ALL ON FUNCTION public_session_begin(smallint, bigint, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_session_begin(smallint, bigint, uuid, integer) TO jinbao_app;

-- The one step of an online hire that reaches beyond the employer's own people: the person the
-- employer names by identity number and name. Runs with the owner's rights (so the tenant policy
-- still applies and no other city is reachable) and answers only:
--   'not_registered'   no person with this number in the city (the employer registers them);
--   'name_mismatch'    registered under another name (nothing else is revealed);
--   'already_employed' already employed by this employer (the person is visible already);
--   'needs_clerk'      insured for pension with another employer now, receiving unemployment
--                      benefit or registered as unemployed: the hire is a clerk's decision;
--   'linked'           the employment from `p_start` is recorded (written by this account),
--                      which makes the person visible to the employer.
CREATE FUNCTION public_hire_link(p_id_number text, p_name text, p_start date)
    RETURNS TABLE (outcome text, person_id bigint, employment_id bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    p record;
    new_id bigint;
BEGIN
    IF app_employer() IS NULL OR app_account() IS NULL THEN RAISE EXCEPTION 'public.no_employer'; END IF;
    SELECT x.id, x.name INTO p FROM person x WHERE x.tenant_id = app_tenant() AND x.id_number = p_id_number;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_registered'::text, NULL::bigint, NULL::bigint; RETURN;
    END IF;
    IF p.name IS DISTINCT FROM p_name THEN
        RETURN QUERY SELECT 'name_mismatch'::text, NULL::bigint, NULL::bigint; RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM employment m WHERE m.tenant_id = app_tenant() AND m.person_id = p.id
               AND m.employer_id = app_employer() AND m.end_date IS NULL) THEN
        RETURN QUERY SELECT 'already_employed'::text, p.id, NULL::bigint; RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM enrolment en WHERE en.tenant_id = app_tenant() AND en.person_id = p.id
               AND en.insurance_type = 'pension' AND en.status = 'active' AND en.employer_id <> app_employer())
       OR EXISTS (SELECT 1 FROM benefit_claim b WHERE b.tenant_id = app_tenant() AND b.person_id = p.id
                  AND b.kind = 'unemployment' AND b.status = 'approved' AND b.monthly)
       OR EXISTS (SELECT 1 FROM unemployment_registration r WHERE r.tenant_id = app_tenant() AND r.person_id = p.id
                  AND r.status = 'seeking') THEN
        RETURN QUERY SELECT 'needs_clerk'::text, NULL::bigint, NULL::bigint; RETURN;
    END IF;
    INSERT INTO employment (tenant_id, person_id, employer_id, start_date, created_by_account)
    VALUES (app_tenant(), p.id, app_employer(), p_start, app_account())
    ON CONFLICT DO NOTHING
    RETURNING id INTO new_id;
    IF new_id IS NULL THEN
        -- A hire of the same person by the same employer at the same moment (another request).
        RETURN QUERY SELECT 'already_employed'::text, p.id, NULL::bigint; RETURN;
    END IF;
    RETURN QUERY SELECT 'linked'::text, p.id, new_id;
END $$;
REVOKE ALL ON FUNCTION public_hire_link(text, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_hire_link(text, text, date) TO jinbao_public;

-- What an account submits for a clerk's decision (网上申报 → 经办审核): a hire of someone the
-- employer cannot enrol itself, a wage declaration after the city's window (it changes bases
-- already assessed), or a person's request to bring their pension here from another city (the
-- transfer is opened by the clerk, in this, the receiving city). The employer's accountants see its applications; a clerk decides
-- (approved: the clerk's transaction does the work; rejected: with the reason), both named.
CREATE TABLE public_application (
    tenant_id      smallint NOT NULL REFERENCES tenant (id),
    id             bigint GENERATED ALWAYS AS IDENTITY,
    kind           text NOT NULL CHECK (kind IN ('hire', 'transfer_in', 'declaration_late')),
    account_id     bigint NOT NULL,
    employer_id    bigint,
    person_id      bigint,
    -- The form as submitted (the identity number in full: the clerk needs it).
    payload        jsonb NOT NULL CHECK (octet_length(payload::text) <= 262144),
    request_hash   text NOT NULL,
    status         text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected')),
    submitted_at   timestamptz NOT NULL DEFAULT now(),
    decided_by     bigint,
    decided_at     timestamptz,
    reason         text CHECK (reason IS NULL OR char_length(reason) <= 500),
    result         jsonb,
    PRIMARY KEY (tenant_id, id),
    CHECK ((status = 'submitted') = (decided_by IS NULL)),
    CHECK (status <> 'rejected' OR reason IS NOT NULL)
);
SELECT enable_tenant_rls('public_application');
SELECT distribute_new_tenant_table('public_application');
ALTER TABLE public_application ADD FOREIGN KEY (tenant_id, account_id) REFERENCES public_account (tenant_id, id);
ALTER TABLE public_application ADD FOREIGN KEY (tenant_id, employer_id) REFERENCES employer (tenant_id, id);
ALTER TABLE public_application ADD FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id);
ALTER TABLE public_application ADD FOREIGN KEY (tenant_id, decided_by) REFERENCES app_user (tenant_id, id);
CREATE INDEX public_application_queue ON public_application (tenant_id, status, id);
CREATE INDEX public_application_employer ON public_application (tenant_id, employer_id, id);

-- Whether the principal employer employs (or employed) the person. A function rather than a
-- sub-select in the policies: Citus plans no sub-select in a policy.
CREATE FUNCTION app_employs(p_person bigint) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT EXISTS (SELECT 1 FROM public.employment m
                         WHERE m.tenant_id = app_tenant() AND m.person_id = p_person AND m.employer_id = app_employer()) $$;

-- Whether the principal may see the person (the person policy decides: invoker's rights), for the
-- checks of rows an employer writes about a person.
CREATE FUNCTION app_sees_person(p_person bigint) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT EXISTS (SELECT 1 FROM public.person p WHERE p.tenant_id = app_tenant() AND p.id = p_person) $$;

-- Whether the principal person works or worked at the employer (their own employers' rows).
CREATE FUNCTION app_worked_at(p_employer bigint) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT EXISTS (SELECT 1 FROM public.employment m
                         WHERE m.tenant_id = app_tenant() AND m.employer_id = p_employer AND m.person_id = app_person()) $$;

-- The principal's rows, per table.
CREATE FUNCTION public_policy(tbl regclass, cond text, check_cond text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE POLICY public_principal ON %s AS RESTRICTIVE FOR ALL TO jinbao_public USING (%s) WITH CHECK (%s)',
                   tbl, cond, coalesce(check_cond, cond));
END $$;
REVOKE EXECUTE ON FUNCTION public_policy(regclass, text, text) FROM PUBLIC;

SELECT public_policy('public_account', 'id = app_account()');
SELECT public_policy('public_revoked_token', 'account_id = app_account()');
SELECT public_policy('employer', 'id = app_employer() OR app_worked_at(id)', 'false');
SELECT public_policy('employer_injury_float', 'employer_id = app_employer()');
SELECT public_policy('employment', 'employer_id = app_employer() OR person_id = app_person()', 'employer_id = app_employer() AND app_sees_person(person_id)');
SELECT public_policy('person',
    'id = app_person() OR created_by_account = app_account() OR app_employs(id)',
    'app_employer() IS NOT NULL AND (created_by_account = app_account() OR app_employs(id))');
SELECT public_policy('enrolment', 'employer_id = app_employer() OR person_id = app_person()', 'employer_id = app_employer() AND app_sees_person(person_id)');
SELECT public_policy('contribution_base', 'employer_id = app_employer() OR person_id = app_person()', 'employer_id = app_employer() AND app_sees_person(person_id)');
SELECT public_policy('assessment', 'employer_id = app_employer() OR person_id = app_person()', 'false');
SELECT public_policy('collection', 'employer_id = app_employer()', 'false');
SELECT public_policy('certificate',
    'person_id = app_person() OR app_employs(person_id)');
SELECT public_policy('person_event', 'person_id = app_person()',
    'person_id = app_person() OR app_employs(person_id)');
SELECT public_policy('idempotency_key', 'account_id = app_account()');
SELECT public_policy('public_application', 'employer_id = app_employer() OR person_id = app_person()',
    'account_id = app_account() AND employer_id IS NOT DISTINCT FROM app_employer() AND person_id IS NOT DISTINCT FROM app_person()');

GRANT USAGE ON SCHEMA public TO jinbao_public;
GRANT SELECT ON tenant, office, tenant_rule, tenant_rate TO jinbao_public;
GRANT EXECUTE ON FUNCTION app_tenant(), app_account(), app_employer(), app_person(), app_employs(bigint), app_sees_person(bigint), app_worked_at(bigint) TO jinbao_public;
GRANT EXECUTE ON FUNCTION round_div(bigint, bigint, text), clamp_base(bigint, bigint, int, int, boolean, text) TO jinbao_public;
GRANT SELECT, UPDATE (password_hash, must_change_password, token_epoch, lang, last_login_at, failed_logins, updated_at) ON public_account TO jinbao_public;
GRANT SELECT, INSERT ON public_revoked_token TO jinbao_public;
GRANT SELECT, INSERT ON public_application TO jinbao_public;
GRANT SELECT ON employer, employer_injury_float, collection, assessment TO jinbao_public;
GRANT SELECT, INSERT ON person, certificate TO jinbao_public;
-- Rows an employer changes change only in what leaving, stopping, declaring and replaying touch.
GRANT SELECT, INSERT ON employment, enrolment, contribution_base, idempotency_key TO jinbao_public;
GRANT UPDATE (end_date, end_reason, updated_at) ON employment TO jinbao_public;
GRANT UPDATE (status, end_period, stop_reason, updated_at) ON enrolment TO jinbao_public;
GRANT UPDATE (declared_wage_fen, source) ON contribution_base TO jinbao_public;
GRANT UPDATE (response_status, response_body) ON idempotency_key TO jinbao_public;
GRANT SELECT, INSERT ON person_event TO jinbao_public;
GRANT INSERT ON stat_delta TO jinbao_public;
GRANT INSERT (tenant_id, user_id, office_id, actor, action, entity, entity_id, before, after, reason, request_id) ON audit_log TO jinbao_public;

GRANT SELECT, INSERT ON public_account TO jinbao_app;
GRANT UPDATE (status, token_epoch, password_hash, must_change_password, activation_hash, activation_expires, failed_logins, last_login_at, lang, updated_at)
    ON public_account TO jinbao_app;
GRANT SELECT, INSERT ON public_revoked_token TO jinbao_app;
GRANT SELECT, UPDATE (status, decided_by, decided_at, reason, result, person_id) ON public_application TO jinbao_app;
REVOKE EXECUTE ON FUNCTION app_account(), app_employer(), app_person(), app_employs(bigint), app_sees_person(bigint), app_worked_at(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_account(), app_employer(), app_person() TO jinbao_app;
