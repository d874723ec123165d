-- Work-injury cases and benefits (工伤保险条例) and the settlement of employees' medical bills
-- (docs/benefits.md). Tables follow docs/architecture.md "Adding a tenant table".

-- The previous year's national urban per-capita disposable income of a year (the one-time death
-- subsidy is 20 times the figure of the year before the death), and the medical parameters of a
-- tenant's benefit rule, each in force from a month.
ALTER TABLE benefit_year ADD COLUMN disposable_income_fen bigint CHECK (disposable_income_fen > 0);

CREATE TABLE benefit_medical (
    tenant_id       smallint NOT NULL,
    rule_id         bigint NOT NULL,
    effective_from  date NOT NULL CHECK (extract(day FROM effective_from) = 1),
    params          jsonb NOT NULL,
    PRIMARY KEY (tenant_id, rule_id, effective_from)
);
SELECT enable_tenant_rls('benefit_medical'::regclass);
SELECT distribute_new_tenant_table('benefit_medical'::regclass);
ALTER TABLE benefit_medical ADD FOREIGN KEY (tenant_id, rule_id) REFERENCES benefit_rule (tenant_id, id);
GRANT SELECT ON benefit_medical TO jinbao_app;

-- An accident at work: reported (by the employer within 30 days, the worker or family within a
-- year), a recognition proposed by one user and decided by another within 60 days of the report,
-- then the ability assessment (grade and care level) the benefits follow from. `fund_covers`:
-- the employer was insured for work injury on the day of the accident; otherwise every benefit is
-- the employer's, recorded but never paid by the fund.
CREATE TABLE injury_case (
    tenant_id         smallint NOT NULL,
    id                bigint GENERATED ALWAYS AS IDENTITY,
    person_id         bigint NOT NULL,
    employer_id       bigint NOT NULL,
    accident_date     date NOT NULL,
    reported_on       date NOT NULL CHECK (reported_on >= accident_date),
    reporter          text NOT NULL CHECK (reporter IN ('employer', 'worker', 'family')),
    report_due        date NOT NULL,
    late_report       boolean NOT NULL,
    decision_due      date NOT NULL,
    accident          text NOT NULL CHECK (length(accident) BETWEEN 1 AND 2000),
    diagnosis         text NOT NULL CHECK (length(diagnosis) BETWEEN 1 AND 500),
    fund_covers       boolean NOT NULL,
    status            text NOT NULL DEFAULT 'reported' CHECK (status IN ('reported', 'proposed', 'recognised', 'not_recognised')),
    proposed_outcome  text CHECK (proposed_outcome IN ('recognised', 'not_recognised')),
    reason            text CHECK (length(reason) <= 1000),
    proposed_by       bigint,
    proposed_at       timestamptz,
    decided_by        bigint,
    decided_at        timestamptz,
    grade             smallint CHECK (grade BETWEEN 1 AND 10),
    care_level        text CHECK (care_level IN ('full', 'most', 'partial')),
    assessed_on       date,
    assessment_board  text CHECK (length(assessment_board) <= 200),
    assessed_by       bigint,
    office_id         integer NOT NULL,
    created_by        bigint NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    -- Maker-checker: who proposed the recognition never decides it.
    CHECK (decided_by IS NULL OR decided_by <> proposed_by),
    CHECK ((status IN ('recognised', 'not_recognised')) = (decided_by IS NOT NULL)),
    CHECK ((status = 'reported') = (proposed_by IS NULL)),
    CHECK (status = 'reported' OR proposed_outcome IS NOT NULL AND reason IS NOT NULL),
    CHECK (status IN ('reported', 'proposed') OR status = proposed_outcome),
    CHECK (assessed_on IS NULL OR status = 'recognised'),
    CHECK ((assessed_on IS NULL) = (assessment_board IS NULL))
);
CREATE INDEX injury_case_person ON injury_case (tenant_id, person_id);
CREATE INDEX injury_case_open ON injury_case (tenant_id, decision_due) WHERE status IN ('reported', 'proposed');
SELECT enable_tenant_rls('injury_case'::regclass);
SELECT distribute_new_tenant_table('injury_case'::regclass);
ALTER TABLE injury_case ADD FOREIGN KEY (tenant_id) REFERENCES tenant (id);
ALTER TABLE injury_case ADD FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id);
ALTER TABLE injury_case ADD FOREIGN KEY (tenant_id, employer_id) REFERENCES employer (tenant_id, id);
ALTER TABLE injury_case ADD FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id);
ALTER TABLE injury_case ADD FOREIGN KEY (tenant_id, created_by) REFERENCES app_user (tenant_id, id);
ALTER TABLE injury_case ADD FOREIGN KEY (tenant_id, proposed_by) REFERENCES app_user (tenant_id, id);
ALTER TABLE injury_case ADD FOREIGN KEY (tenant_id, decided_by) REFERENCES app_user (tenant_id, id);
ALTER TABLE injury_case ADD FOREIGN KEY (tenant_id, assessed_by) REFERENCES app_user (tenant_id, id);
GRANT SELECT, INSERT ON injury_case TO jinbao_app;
GRANT UPDATE (status, proposed_outcome, reason, proposed_by, proposed_at, decided_by, decided_at,
              grade, care_level, assessed_on, assessment_board, assessed_by) ON injury_case TO jinbao_app;

-- Evidence of a case (the accident report, the diagnosis, witness statements): the file as
-- uploaded, its SHA-256 checked on every download. At most 5 MiB a file, 20 files a case.
CREATE TABLE injury_document (
    tenant_id     smallint NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    case_id       bigint NOT NULL,
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    content_type  text NOT NULL,
    size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content       bytea NOT NULL CHECK (octet_length(content) = size_bytes),
    uploaded_by   bigint NOT NULL,
    uploaded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX injury_document_case ON injury_document (tenant_id, case_id);
SELECT enable_tenant_rls('injury_document'::regclass);
SELECT distribute_new_tenant_table('injury_document'::regclass);
ALTER TABLE injury_document ADD FOREIGN KEY (tenant_id, case_id) REFERENCES injury_case (tenant_id, id);
ALTER TABLE injury_document ADD FOREIGN KEY (tenant_id, uploaded_by) REFERENCES app_user (tenant_id, id);
GRANT SELECT, INSERT ON injury_document TO jinbao_app;

-- The work-injury benefits are claims like the others, tied to their case; a benefit the fund
-- does not pay (grades 5–6 allowance, an employer not insured at the accident) is decided and
-- recorded with payer `employer` and never enters a payment batch.
ALTER TABLE benefit_claim DROP CONSTRAINT benefit_claim_kind_check;
ALTER TABLE benefit_claim ADD CONSTRAINT benefit_claim_kind_check CHECK (kind IN (
    'pension', 'unemployment', 'maternity',
    'injury_disability', 'injury_allowance', 'injury_nursing', 'injury_funeral', 'injury_survivor', 'injury_death'));
ALTER TABLE benefit_claim ADD COLUMN injury_case_id bigint;
ALTER TABLE benefit_claim ADD COLUMN payer text NOT NULL DEFAULT 'fund' CHECK (payer IN ('fund', 'employer'));
ALTER TABLE benefit_claim ADD CONSTRAINT benefit_claim_injury_case
    CHECK ((kind LIKE 'injury\_%') = (injury_case_id IS NOT NULL) AND (payer = 'fund' OR kind LIKE 'injury\_%'));
ALTER TABLE benefit_claim ADD FOREIGN KEY (tenant_id, injury_case_id) REFERENCES injury_case (tenant_id, id);
-- One decided or pending benefit of each kind per case.
CREATE UNIQUE INDEX benefit_claim_injury_once ON benefit_claim (tenant_id, injury_case_id, kind)
    WHERE injury_case_id IS NOT NULL AND status IN ('proposed', 'approved');

-- A settled medical bill: proposed by one user (the figures computed from the lines, the year so
-- far and the personal account), approved by another. The year's accumulators are the approved
-- settlements of the person in the year of `bill_date`; one proposal at a time per person keeps
-- them unchanged between proposal and approval.
CREATE TABLE medical_settlement (
    tenant_id        smallint NOT NULL,
    id               bigint GENERATED ALWAYS AS IDENTITY,
    person_id        bigint NOT NULL,
    setting          text NOT NULL CHECK (setting IN ('inpatient', 'outpatient')),
    hospital         text NOT NULL CHECK (length(hospital) BETWEEN 1 AND 200),
    hospital_level   smallint NOT NULL CHECK (hospital_level BETWEEN 1 AND 3),
    admitted_on      date,
    bill_date        date NOT NULL,
    retiree          boolean NOT NULL,
    lines            jsonb NOT NULL,
    inputs           jsonb NOT NULL,
    calculation      jsonb NOT NULL,
    total_fen        bigint NOT NULL CHECK (total_fen > 0),
    fund_fen         bigint NOT NULL CHECK (fund_fen >= 0),
    serious_fen      bigint NOT NULL CHECK (serious_fen >= 0),
    account_fen      bigint NOT NULL CHECK (account_fen >= 0),
    person_fen       bigint NOT NULL CHECK (person_fen >= 0),
    deducted_fen     bigint NOT NULL CHECK (deducted_fen >= 0),
    status           text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
    office_id        integer NOT NULL,
    proposed_by      bigint NOT NULL,
    proposed_at      timestamptz NOT NULL DEFAULT now(),
    decided_by       bigint,
    decided_at       timestamptz,
    decision_note    text CHECK (length(decision_note) <= 500),
    PRIMARY KEY (tenant_id, id),
    CHECK (fund_fen + serious_fen + account_fen + person_fen = total_fen),
    CHECK (admitted_on IS NULL OR admitted_on <= bill_date),
    CHECK (decided_by IS NULL OR decided_by <> proposed_by),
    CHECK ((status = 'proposed') = (decided_by IS NULL))
);
CREATE UNIQUE INDEX medical_settlement_open ON medical_settlement (tenant_id, person_id) WHERE status = 'proposed';
CREATE INDEX medical_settlement_person_year ON medical_settlement (tenant_id, person_id, bill_date) WHERE status = 'approved';
SELECT enable_tenant_rls('medical_settlement'::regclass);
SELECT distribute_new_tenant_table('medical_settlement'::regclass);
ALTER TABLE medical_settlement ADD FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id);
ALTER TABLE medical_settlement ADD FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id);
ALTER TABLE medical_settlement ADD FOREIGN KEY (tenant_id, proposed_by) REFERENCES app_user (tenant_id, id);
ALTER TABLE medical_settlement ADD FOREIGN KEY (tenant_id, decided_by) REFERENCES app_user (tenant_id, id);
GRANT SELECT, INSERT ON medical_settlement TO jinbao_app;
GRANT UPDATE (status, decided_by, decided_at, decision_note) ON medical_settlement TO jinbao_app;

-- The personal medical account (个人账户): credits (the employee's own medical contribution of a
-- month paid in full; a retiree's fixed monthly amount) and payments (the account's part of an
-- approved settlement). The balance is the sum; a month is credited once per person and source.
CREATE TABLE medical_account_entry (
    tenant_id      smallint NOT NULL,
    id             bigint GENERATED ALWAYS AS IDENTITY,
    person_id      bigint NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('contribution', 'retiree', 'settlement')),
    period         date NOT NULL CHECK (extract(day FROM period) = 1),
    amount_fen     bigint NOT NULL CHECK (amount_fen <> 0),
    settlement_id  bigint,
    created_by     bigint NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK ((kind = 'settlement') = (settlement_id IS NOT NULL)),
    CHECK ((kind = 'settlement') = (amount_fen < 0))
);
CREATE UNIQUE INDEX medical_account_credit_once ON medical_account_entry (tenant_id, person_id, period, kind) WHERE kind <> 'settlement';
CREATE UNIQUE INDEX medical_account_settlement_once ON medical_account_entry (tenant_id, settlement_id) WHERE settlement_id IS NOT NULL;
CREATE INDEX medical_account_person ON medical_account_entry (tenant_id, person_id, period);
SELECT enable_tenant_rls('medical_account_entry'::regclass);
SELECT distribute_new_tenant_table('medical_account_entry'::regclass);
ALTER TABLE medical_account_entry ADD FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id);
ALTER TABLE medical_account_entry ADD FOREIGN KEY (tenant_id, settlement_id) REFERENCES medical_settlement (tenant_id, id);
ALTER TABLE medical_account_entry ADD FOREIGN KEY (tenant_id, created_by) REFERENCES app_user (tenant_id, id);
GRANT SELECT, INSERT ON medical_account_entry TO jinbao_app;
