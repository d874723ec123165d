DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['contribution_history', 'transferred_period', 'transfer', 'benefit_claim', 'payment_line',
                           'unemployment_registration', 'training'] LOOP
    EXECUTE format('DROP POLICY IF EXISTS public_principal ON %I', t);
    EXECUTE format('REVOKE ALL ON %I FROM jinbao_public', t);
  END LOOP; END $$;
REVOKE ALL ON benefit_rule, benefit_year FROM jinbao_public;
DROP TABLE card_event;
DROP TABLE social_security_card;
DROP TABLE rights_statement;
DROP FUNCTION public_person_elsewhere();
REVOKE EXECUTE ON FUNCTION app_account(), app_person() FROM jinbao_transfer;
DROP FUNCTION public_paid_rows(text);
DROP FUNCTION assessment_paid_rows(smallint, bigint, text);
