-- The province's catalogue of drugs and medical services (医保药品目录、诊疗项目目录) by version:
-- the same for every city (global reference data, a reference table on Citus), imported by the
-- province tier; a settlement takes each line's class from the version in force on the bill's day.
-- A version is never changed: a new one is imported from a later month.
CREATE TABLE medical_catalogue_version (
    version         text PRIMARY KEY CHECK (version ~ '^[0-9A-Za-z._-]{1,32}$'),
    effective_from  date NOT NULL UNIQUE CHECK (extract(day FROM effective_from) = 1),
    items           integer NOT NULL CHECK (items > 0),
    content_sha256  text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    imported_by     text NOT NULL,
    imported_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE medical_catalogue_item (
    version    text NOT NULL,
    code       text NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    class      text NOT NULL CHECK (class IN ('A', 'B', 'C')),
    price_fen  bigint CHECK (price_fen >= 0),
    PRIMARY KEY (version, code),
    FOREIGN KEY (version) REFERENCES medical_catalogue_version (version)
);
GRANT SELECT, INSERT ON medical_catalogue_version, medical_catalogue_item TO jinbao_app;

INSERT INTO permission (code, description) VALUES ('catalogue.import', 'Import a version of the province''s medical catalogue');
INSERT INTO role_permission (role_code, permission_code) VALUES ('city_admin', 'catalogue.import');
