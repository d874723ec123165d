DROP FUNCTION iso_date(text);
