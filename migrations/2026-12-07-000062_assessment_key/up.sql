-- An assessment row is keyed by what it is: the period, the person, the enrolment and its revision
-- (0 the regular row, 1, 2, … the back payments in the order they were made), not by a number
-- from a sequence. The monthly assessment and the back payments write their rows with one
-- INSERT … SELECT; a target filled from a sequence keeps such a statement on a Citus coordinator
-- (the values must come from the coordinator's sequence), while a target without one is executed
-- on the tenant's shard (docs/scaling.md). The person leads the enrolment in the key so that a
-- chunk of persons of one period is one range of it. Every row names the job that wrote it, so
-- the statistics and the employer's dues of a run are summed from the rows of that run.
--
-- `id` stays, computed from the row (enrolment_id × 1024 + revision): the statement and the
-- allocation of payments order a person's rows by it, in this release and in the previous one,
-- which still reads it; no sequence. The partial unique index of the regular rows stays for the
-- previous release's ON CONFLICT; the release after drops it. `revision` defaults to 0 so that
-- the previous release's regular run still inserts; its back payments (revision 0 for a back
-- payment) are refused by the check below until its servers are replaced (docs/operations.md).
--
-- The new `id` rewrites the table under an exclusive lock: run in the upgrade's maintenance window.

ALTER TABLE assessment ADD COLUMN revision integer NOT NULL DEFAULT 0;

DO $$
DECLARE t smallint;
BEGIN
    FOR t IN SELECT id FROM tenant LOOP
        PERFORM set_tenant(t);
        UPDATE assessment a SET revision = r.n
        FROM (SELECT tenant_id, id, row_number() OVER (PARTITION BY tenant_id, period, enrolment_id ORDER BY id) AS n
              FROM assessment WHERE tenant_id = t AND kind = 'back_payment') r
        WHERE a.tenant_id = t AND r.tenant_id = a.tenant_id AND a.id = r.id;
    END LOOP;
    PERFORM set_config('jinbao.tenant_id', '', true);
END $$;

ALTER TABLE assessment DROP CONSTRAINT assessment_pkey;
ALTER TABLE assessment DROP COLUMN id;
ALTER TABLE assessment ADD COLUMN id bigint GENERATED ALWAYS AS (enrolment_id * 1024 + revision) STORED;
ALTER TABLE assessment ADD PRIMARY KEY (tenant_id, period, person_id, enrolment_id, revision);
ALTER TABLE assessment ADD CONSTRAINT assessment_revision
    CHECK ((kind = 'regular') = (revision = 0) AND revision BETWEEN 0 AND 1023);
