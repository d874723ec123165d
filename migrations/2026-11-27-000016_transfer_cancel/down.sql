DROP FUNCTION transfer_cancel(uuid, bigint, text);
