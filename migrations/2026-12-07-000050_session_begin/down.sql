DROP FUNCTION session_begin(smallint, bigint, uuid, integer);
