-- Insurance business core: enrolment in the five insurances, declared wages (bases), monthly
-- assessment, collections, idempotency keys and jobs. Same isolation rules as the foundation:
-- tenant_id leads every key, forced RLS with the tenant policy.

-- ---------------------------------------------------------------- pure rules mirrored in SQL
-- These must give exactly what backend/domain computes (a test compares them on random data).

-- num / den rounded to an integer; num >= 0, den > 0. Modes as jinbao_domain::Rounding.
CREATE FUNCTION round_div(num bigint, den bigint, mode text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN mode = 'down' THEN num / den
        WHEN mode = 'half_up' THEN num / den + CASE WHEN 2 * (num % den) >= den THEN 1 ELSE 0 END
        ELSE num / den + CASE WHEN 2 * (num % den) > den OR (2 * (num % den) = den AND (num / den) % 2 = 1) THEN 1 ELSE 0 END
    END $$;

-- Declared monthly wage → contribution base (jinbao_domain::contribution::clamp_base).
CREATE FUNCTION clamp_base(declared bigint, avg_wage bigint, floor_pct int, ceiling_pct int, whole_yuan boolean, rounding text)
    RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT least(greatest(
        CASE WHEN whole_yuan THEN round_div(greatest(declared, 0), 100, rounding) * 100 ELSE greatest(declared, 0) END,
        round_div(avg_wage * floor_pct, 100, 'half_up')),
        round_div(avg_wage * ceiling_pct, 100, 'half_up')) $$;

-- ---------------------------------------------------------------- enrolment

CREATE TABLE enrolment (
    tenant_id       smallint NOT NULL REFERENCES tenant (id),
    id              bigint GENERATED ALWAYS AS IDENTITY,
    person_id       bigint NOT NULL,
    employer_id     bigint NOT NULL,
    insurance_type  text NOT NULL CHECK (insurance_type IN ('pension', 'medical', 'unemployment', 'work_injury', 'maternity')),
    start_period    date NOT NULL CHECK (extract(day FROM start_period) = 1),
    end_period      date CHECK (end_period IS NULL OR (extract(day FROM end_period) = 1 AND end_period >= start_period)),
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stopped')),
    stop_reason     text,
    office_id       integer NOT NULL,
    created_by      bigint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
    FOREIGN KEY (tenant_id, employer_id) REFERENCES employer (tenant_id, id),
    FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id),
    CHECK ((status = 'active') = (end_period IS NULL))
);
-- One active enrolment per person and insurance type in a tenant.
CREATE UNIQUE INDEX enrolment_active ON enrolment (tenant_id, person_id, insurance_type) WHERE status = 'active';
CREATE INDEX enrolment_employer ON enrolment (tenant_id, employer_id, person_id);
CREATE INDEX enrolment_person ON enrolment (tenant_id, person_id);

-- Declared monthly wages: the fact from which bases are computed with the rule in effect for each
-- period (so a late-published average wage changes bases and yields back payments, 补差).
CREATE TABLE contribution_base (
    tenant_id          smallint NOT NULL REFERENCES tenant (id),
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    person_id          bigint NOT NULL,
    employer_id        bigint NOT NULL,
    effective_from     date NOT NULL CHECK (extract(day FROM effective_from) = 1),
    declared_wage_fen  bigint NOT NULL CHECK (declared_wage_fen >= 0),
    source             text NOT NULL CHECK (source IN ('enrolment', 'declaration', 'import')),
    declaration_id     bigint,
    created_by         bigint,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, person_id, employer_id, effective_from),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
    FOREIGN KEY (tenant_id, employer_id) REFERENCES employer (tenant_id, id)
);

-- ---------------------------------------------------------------- assessment

-- A period's assessment state: assessed once, re-opened only by a reviewer with a reason.
CREATE TABLE assessment_period (
    tenant_id      smallint NOT NULL REFERENCES tenant (id),
    period         date NOT NULL CHECK (extract(day FROM period) = 1),
    status         text NOT NULL CHECK (status IN ('running', 'assessed', 'reopened')),
    last_job_id    bigint,
    rows_assessed  bigint NOT NULL DEFAULT 0,
    assessed_at    timestamptz,
    reopened_at    timestamptz,
    reopened_by    bigint,
    reopen_reason  text,
    PRIMARY KEY (tenant_id, period)
);

-- Assessed amounts per enrolment and period (employer and employee parts in one row).
CREATE TABLE assessment (
    tenant_id         smallint NOT NULL,
    id                bigint GENERATED ALWAYS AS IDENTITY,
    period            date NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('regular', 'back_payment')),
    enrolment_id      bigint NOT NULL,
    person_id         bigint NOT NULL,
    employer_id       bigint NOT NULL,
    insurance_type    text NOT NULL,
    base_fen          bigint NOT NULL,
    employer_rate_bp  integer NOT NULL,
    employee_rate_bp  integer NOT NULL,
    employer_fen      bigint NOT NULL,
    employee_fen      bigint NOT NULL,
    job_id            bigint,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
    -- No foreign keys, deliberately: rows are derived, written only by the set-based assessment
    -- statements that select them from enrolment (which the app role cannot delete) after the
    -- period row exists. Two FK checks per row doubled the cost of a monthly run.
);
-- Exactly one regular assessment per enrolment and period; re-runs do nothing.
CREATE UNIQUE INDEX assessment_regular ON assessment (tenant_id, period, enrolment_id) WHERE kind = 'regular';
CREATE INDEX assessment_employer ON assessment (tenant_id, employer_id, period);
CREATE INDEX assessment_person ON assessment (tenant_id, person_id, period);

-- ---------------------------------------------------------------- collection

CREATE TABLE collection (
    tenant_id    smallint NOT NULL REFERENCES tenant (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    employer_id  bigint NOT NULL,
    period       date NOT NULL CHECK (extract(day FROM period) = 1),
    amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
    paid_on      date NOT NULL,
    channel      text NOT NULL CHECK (channel IN ('bank', 'post', 'counter', 'online')),
    bank_ref     text,
    office_id    integer NOT NULL,
    created_by   bigint NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employer_id) REFERENCES employer (tenant_id, id)
);
-- A bank or post reference is recorded once.
CREATE UNIQUE INDEX collection_ref ON collection (tenant_id, channel, bank_ref) WHERE bank_ref IS NOT NULL;
CREATE INDEX collection_employer ON collection (tenant_id, employer_id, period);

-- ---------------------------------------------------------------- idempotency and jobs

-- Retried writes: the key is claimed in the same transaction as the work; the response replayed.
CREATE TABLE idempotency_key (
    tenant_id        smallint NOT NULL REFERENCES tenant (id),
    key              text NOT NULL CHECK (char_length(key) BETWEEN 8 AND 100),
    scope            text NOT NULL,
    user_id          bigint NOT NULL,
    request_hash     text NOT NULL,
    response_status  smallint,
    response_body    jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, scope, key)
);

-- Long-running work (assessment, imports) with progress.
CREATE TABLE job (
    tenant_id    smallint NOT NULL REFERENCES tenant (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    kind         text NOT NULL,
    params       jsonb NOT NULL DEFAULT '{}',
    status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    total        bigint NOT NULL DEFAULT 0,
    done         bigint NOT NULL DEFAULT 0,
    result       jsonb,
    error        text,
    created_by   bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    started_at   timestamptz,
    finished_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);

INSERT INTO permission (code, description) VALUES
    ('enrolment.write', 'Enrol, stop and declare bases'),
    ('contribution.read', 'Read enrolments, assessments, statements and arrears'),
    ('assessment.run', 'Run the monthly assessment and back payments'),
    ('assessment.reopen', 'Re-open an assessed period (with a reason)'),
    ('collection.write', 'Record payments of contributions');

INSERT INTO role_permission (role_code, permission_code) VALUES
    ('clerk', 'enrolment.write'), ('clerk', 'contribution.read'), ('clerk', 'assessment.run'), ('clerk', 'collection.write'),
    ('reviewer', 'contribution.read'), ('reviewer', 'assessment.reopen'), ('reviewer', 'assessment.run'),
    ('city_admin', 'contribution.read'), ('auditor', 'contribution.read');

SELECT enable_tenant_rls(t) FROM unnest(ARRAY[
    'enrolment', 'contribution_base', 'assessment_period', 'assessment', 'collection', 'idempotency_key', 'job'
]::regclass[]) AS t;

GRANT SELECT, INSERT, UPDATE ON enrolment, contribution_base, assessment_period, idempotency_key, job TO jinbao_app;
GRANT SELECT, INSERT, DELETE ON assessment TO jinbao_app;
GRANT SELECT, INSERT ON collection TO jinbao_app;
GRANT EXECUTE ON FUNCTION round_div(bigint, bigint, text), clamp_base(bigint, bigint, int, int, boolean, text) TO jinbao_app;
