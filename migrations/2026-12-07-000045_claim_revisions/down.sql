DROP FUNCTION claim_revision_apply(bigint);
DROP INDEX payment_line_adjustment_once;
DROP INDEX payment_line_once;
CREATE UNIQUE INDEX payment_line_once ON payment_line (tenant_id, claim_id, period) WHERE status <> 'failed';
ALTER TABLE payment_line DROP CONSTRAINT payment_line_adjustment;
ALTER TABLE payment_line DROP COLUMN adjustment_id;
DROP TABLE claim_adjustment;
DROP TABLE claim_revision;
