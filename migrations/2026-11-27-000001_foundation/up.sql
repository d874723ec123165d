-- Foundation schema: tenants, roles and permissions, offices, users, tenant rules, the unified
-- person and employer registry, employment, the life timeline and the audit log.
--
-- Runs as jinbao_owner. The roles jinbao_app and jinbao_analytics exist beforehand
-- (`jinbao db bootstrap`, run once by a superuser).
--
-- Isolation model: every tenant-owned table has tenant_id leading its primary key, foreign keys and
-- unique indexes, and a forced row-level-security policy comparing tenant_id with the
-- transaction-local setting jinbao.tenant_id. No setting, no rows.

-- The tenant of the current transaction, or NULL when none is set. `nullif` because a setting
-- once used transaction-locally on a connection reads back as '' afterwards.
CREATE FUNCTION app_tenant() RETURNS smallint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('jinbao.tenant_id', true), '')::smallint $$;

-- Turns on forced RLS with the one tenant policy; used by every migration creating a tenant table.
CREATE FUNCTION enable_tenant_rls(tbl regclass) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s USING (tenant_id = (SELECT app_tenant())) '
        'WITH CHECK (tenant_id = (SELECT app_tenant()))', tbl);
END $$;

-- ---------------------------------------------------------------- global reference data

CREATE TABLE tenant (
    id          smallint PRIMARY KEY,
    code        varchar(6) NOT NULL UNIQUE CHECK (code ~ '^41[0-9]{4}$'),
    name_zh     text NOT NULL,
    name_en     text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('province', 'city')),
    status      text NOT NULL CHECK (status IN ('planned', 'pilot', 'live', 'suspended')),
    wave        smallint NOT NULL CHECK (wave BETWEEN 0 AND 9),
    sort_order  smallint NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE role (
    code     text PRIMARY KEY,
    name_zh  text NOT NULL,
    name_en  text NOT NULL
);

CREATE TABLE permission (
    code        text PRIMARY KEY,
    description text NOT NULL
);

CREATE TABLE role_permission (
    role_code       text NOT NULL REFERENCES role (code),
    permission_code text NOT NULL REFERENCES permission (code),
    PRIMARY KEY (role_code, permission_code)
);

INSERT INTO role (code, name_zh, name_en) VALUES
    ('clerk', '经办员', 'Clerk'),
    ('reviewer', '审核员', 'Reviewer'),
    ('city_admin', '城市管理员', 'City administrator'),
    ('province_supervisor', '省级监管', 'Province supervisor'),
    ('platform_admin', '平台管理员', 'Platform administrator'),
    ('finance_viewer', '财政查看', 'Finance viewer'),
    ('auditor', '审计员', 'Auditor');

INSERT INTO permission (code, description) VALUES
    ('person.read', 'Read persons of the own tenant'),
    ('person.write', 'Register and update persons'),
    ('person.reveal_id', 'See full identity numbers'),
    ('employer.read', 'Read employers of the own tenant'),
    ('employer.write', 'Register and update employers'),
    ('employment.write', 'Record hiring and leaving'),
    ('audit.read', 'Read the audit trail'),
    ('user.admin', 'Administer users of the own tenant'),
    ('tenant.admin', 'Onboard tenants and change their status'),
    ('stats.province', 'Read province-wide aggregates'),
    ('finance.read', 'Read fund ledgers');

INSERT INTO role_permission (role_code, permission_code) VALUES
    ('clerk', 'person.read'), ('clerk', 'person.write'), ('clerk', 'employer.read'),
    ('clerk', 'employer.write'), ('clerk', 'employment.write'),
    ('reviewer', 'person.read'), ('reviewer', 'person.reveal_id'), ('reviewer', 'employer.read'),
    ('reviewer', 'audit.read'),
    ('city_admin', 'person.read'), ('city_admin', 'employer.read'), ('city_admin', 'user.admin'),
    ('city_admin', 'audit.read'),
    ('province_supervisor', 'stats.province'),
    ('platform_admin', 'tenant.admin'), ('platform_admin', 'user.admin'),
    ('finance_viewer', 'finance.read'),
    ('auditor', 'person.read'), ('auditor', 'employer.read'), ('auditor', 'audit.read');

-- ---------------------------------------------------------------- tenant-owned tables

CREATE TABLE office (
    tenant_id   smallint NOT NULL REFERENCES tenant (id),
    id          integer NOT NULL,
    code        varchar(6) NOT NULL CHECK (code ~ '^[0-9]{6}$'),
    name_zh     text NOT NULL,
    name_en     text NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code)
);

CREATE TABLE app_user (
    tenant_id            smallint NOT NULL,
    id                   bigint GENERATED ALWAYS AS IDENTITY,
    office_id            integer NOT NULL,
    username             text NOT NULL CHECK (username ~ '^[a-z0-9_.-]{2,40}$'),
    display_name         text NOT NULL,
    password_hash        text NOT NULL,
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'deleted')),
    must_change_password boolean NOT NULL DEFAULT false,
    failed_logins        integer NOT NULL DEFAULT 0,
    locked_until         timestamptz,
    lang                 text NOT NULL DEFAULT 'zh-CN' CHECK (lang IN ('zh-CN', 'en')),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, username),
    FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id)
);

CREATE TABLE user_role (
    tenant_id  smallint NOT NULL,
    user_id    bigint NOT NULL,
    role_code  text NOT NULL REFERENCES role (code),
    PRIMARY KEY (tenant_id, user_id, role_code),
    FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id)
);

-- Logged-out tokens until they expire; the durable copy behind the Redis revocation list.
CREATE TABLE revoked_token (
    tenant_id   smallint NOT NULL REFERENCES tenant (id),
    jti         uuid NOT NULL,
    user_id     bigint NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, jti)
);

-- Contribution rules, effective-dated and versioned: a change adds a version, older ones are kept.
CREATE TABLE tenant_rule (
    tenant_id        smallint NOT NULL REFERENCES tenant (id),
    id               bigint GENERATED ALWAYS AS IDENTITY,
    effective_from   date NOT NULL CHECK (extract(day FROM effective_from) = 1),
    version          integer NOT NULL,
    avg_wage_fen     bigint NOT NULL CHECK (avg_wage_fen > 0),
    floor_pct        integer NOT NULL,
    ceiling_pct      integer NOT NULL,
    adjust_month     smallint NOT NULL CHECK (adjust_month BETWEEN 1 AND 12),
    base_whole_yuan  boolean NOT NULL,
    base_rounding    text NOT NULL CHECK (base_rounding IN ('half_up', 'half_even', 'down')),
    amount_rounding  text NOT NULL CHECK (amount_rounding IN ('half_up', 'half_even', 'down')),
    maternity_merged boolean NOT NULL,
    content_hash     text NOT NULL,
    source           text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    superseded_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, effective_from, version),
    CHECK (floor_pct > 0 AND floor_pct < ceiling_pct)
);

CREATE TABLE tenant_rate (
    tenant_id       smallint NOT NULL,
    rule_id         bigint NOT NULL,
    insurance_type  text NOT NULL CHECK (insurance_type IN ('pension', 'medical', 'unemployment', 'work_injury', 'maternity')),
    party           text NOT NULL CHECK (party IN ('employer', 'employee')),
    risk_class      smallint NOT NULL DEFAULT 0 CHECK (risk_class BETWEEN 0 AND 8),
    rate_bp         integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    PRIMARY KEY (tenant_id, rule_id, insurance_type, party, risk_class),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES tenant_rule (tenant_id, id)
);

-- The unified person record: one per identity number per tenant. Names use the "C" collation so
-- one btree index serves both prefix search (name >= p AND name < p') and ordering by name.
CREATE TABLE person (
    tenant_id    smallint NOT NULL REFERENCES tenant (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    id_number    varchar(18) NOT NULL CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
    name         text COLLATE "C" NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
    gender       text NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date   date NOT NULL,
    ethnicity    text,
    hukou_kind   text CHECK (hukou_kind IN ('urban', 'rural')),
    address      text,
    phone        text,
    status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deceased')),
    office_id    integer NOT NULL,
    created_by   bigint NOT NULL,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, id_number),
    FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX person_name_prefix ON person (tenant_id, name, id);

CREATE TABLE employer (
    tenant_id      smallint NOT NULL REFERENCES tenant (id),
    id             bigint GENERATED ALWAYS AS IDENTITY,
    credit_code    varchar(18) NOT NULL CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUW-Y]{18}$'),
    name           text COLLATE "C" NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    industry_code  text,
    risk_class     smallint NOT NULL CHECK (risk_class BETWEEN 1 AND 8),
    address        text,
    contact_name   text,
    contact_phone  text,
    registered_on  date NOT NULL,
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    office_id      integer NOT NULL,
    created_by     bigint NOT NULL,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, credit_code),
    FOREIGN KEY (tenant_id, office_id) REFERENCES office (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES app_user (tenant_id, id)
);
CREATE INDEX employer_name_prefix ON employer (tenant_id, name, id);

CREATE TABLE employment (
    tenant_id    smallint NOT NULL REFERENCES tenant (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    person_id    bigint NOT NULL,
    employer_id  bigint NOT NULL,
    start_date   date NOT NULL,
    end_date     date,
    end_reason   text,
    created_by   bigint NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id),
    FOREIGN KEY (tenant_id, employer_id) REFERENCES employer (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES app_user (tenant_id, id),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX employment_person ON employment (tenant_id, person_id);
CREATE INDEX employment_employer ON employment (tenant_id, employer_id);
-- At most one open employment of a person at one employer.
CREATE UNIQUE INDEX employment_open ON employment (tenant_id, person_id, employer_id) WHERE end_date IS NULL;

-- The life timeline: one row per thing that happened to a person.
CREATE TABLE person_event (
    tenant_id    smallint NOT NULL REFERENCES tenant (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    person_id    bigint NOT NULL,
    occurred_on  date NOT NULL,
    kind         text NOT NULL,
    detail       jsonb NOT NULL DEFAULT '{}',
    office_id    integer,
    created_by   bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES person (tenant_id, id)
);
CREATE INDEX person_event_timeline ON person_event (tenant_id, person_id, occurred_on DESC, id DESC);

-- Append-only record of every write: the app role may insert and read, never change.
CREATE TABLE audit_log (
    tenant_id   smallint NOT NULL REFERENCES tenant (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    at          timestamptz NOT NULL DEFAULT now(),
    user_id     bigint,
    office_id   integer,
    actor       text NOT NULL,
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    before      jsonb,
    after       jsonb,
    reason      text,
    request_id  text,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_entity ON audit_log (tenant_id, entity, entity_id, id);

SELECT enable_tenant_rls(t) FROM unnest(ARRAY[
    'office', 'app_user', 'user_role', 'revoked_token', 'tenant_rule', 'tenant_rate',
    'person', 'employer', 'employment', 'person_event', 'audit_log'
]::regclass[]) AS t;

-- ---------------------------------------------------------------- privileges

GRANT USAGE ON SCHEMA public TO jinbao_app, jinbao_analytics;
GRANT SELECT ON tenant, role, permission, role_permission TO jinbao_app, jinbao_analytics;
GRANT SELECT ON office, tenant_rule, tenant_rate TO jinbao_app;
GRANT SELECT, INSERT, UPDATE ON app_user, person, employer, employment TO jinbao_app;
GRANT SELECT, INSERT, DELETE ON user_role TO jinbao_app;
GRANT SELECT, INSERT ON revoked_token, person_event, audit_log TO jinbao_app;
GRANT EXECUTE ON FUNCTION app_tenant() TO jinbao_app, jinbao_analytics;
REVOKE EXECUTE ON FUNCTION enable_tenant_rls(regclass) FROM PUBLIC;
