DROP TRIGGER audit_chain ON audit_log;
DROP FUNCTION audit_chain_link();
DROP INDEX audit_log_chain;
DROP FUNCTION audit_genesis(smallint);
DROP FUNCTION audit_row_hash(bytea, audit_log);
DROP FUNCTION audit_row_text(audit_log);
DROP TABLE audit_chain_head;
ALTER TABLE audit_log DROP COLUMN chain_seq, DROP COLUMN prev_hash, DROP COLUMN hash;
