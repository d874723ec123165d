-- An assessment row is keyed by what it is: the period, the enrolment and its revision (0 the
-- regular row, 1, 2, … the back payments in the order they were made), not by a number from a
-- sequence. The monthly assessment and the back payments write their rows with one
-- INSERT … SELECT; a target filled from a sequence keeps such a statement on a Citus
-- coordinator (the values must come from the coordinator's sequence), while a target without one
-- is executed on the tenant's shard (docs/scaling.md). Every row names the job that wrote it, so
-- the statistics and the employer's dues of a run are summed from the rows of that run.
--
-- Expand only: `id` loses its sequence and becomes optional, and the partial unique index of the
-- regular rows stays, because the previous release still names them (its regular run's
-- ON CONFLICT); the release after drops both. `revision` defaults to 0 so that the previous
-- release's regular run still inserts; its back payments (revision 0 for a back payment) are
-- refused by the check below until its servers are replaced.

ALTER TABLE assessment ADD COLUMN revision integer NOT NULL DEFAULT 0;

DO $$
DECLARE t smallint;
BEGIN
    FOR t IN SELECT id FROM tenant LOOP
        PERFORM set_config('jinbao.tenant_id', t::text, true);
        UPDATE assessment a SET revision = r.n
        FROM (SELECT id, row_number() OVER (PARTITION BY period, enrolment_id ORDER BY id) AS n
              FROM assessment WHERE tenant_id = t AND kind = 'back_payment') r
        WHERE a.tenant_id = t AND a.id = r.id;
    END LOOP;
    PERFORM set_config('jinbao.tenant_id', '', true);
END $$;

ALTER TABLE assessment DROP CONSTRAINT assessment_pkey;
ALTER TABLE assessment ALTER COLUMN id DROP IDENTITY;
ALTER TABLE assessment ALTER COLUMN id DROP NOT NULL;
ALTER TABLE assessment ADD PRIMARY KEY (tenant_id, period, enrolment_id, revision);
ALTER TABLE assessment ADD CONSTRAINT assessment_revision CHECK ((kind = 'regular') = (revision = 0) AND revision >= 0);
