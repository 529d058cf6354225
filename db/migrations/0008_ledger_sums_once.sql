-- The per-payment sum check (0004) runs at COMMIT for every inserted entry, so posting an
-- undesignated payment (five entries) checked the same payment five times against the same final
-- state. Now each payment is checked once per transaction: the payments already checked are kept in
-- a transaction-local setting. Correct because the trigger is deferred to COMMIT, where all of the
-- transaction's entries are in place (nothing here uses SET CONSTRAINTS … IMMEDIATE).
CREATE OR REPLACE FUNCTION ledger_entries_check_payment_sums() RETURNS trigger AS $$
DECLARE
  paid bigint;
  allocated bigint;
  net bigint;
  checked text;
BEGIN
  IF NEW.payment_id IS NULL THEN
    RETURN NULL;
  END IF;
  checked := coalesce(current_setting('lokala.ledger_checked', true), '');
  IF position(',' || NEW.payment_id::text || ',' IN checked) > 0 THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('lokala.ledger_checked', CASE WHEN checked = '' THEN ',' ELSE checked END || NEW.payment_id::text || ',', true);
  SELECT amount_ore INTO paid FROM payments WHERE id = NEW.payment_id;
  SELECT coalesce(sum(amount_ore) FILTER (WHERE kind = 'allocation'), 0), coalesce(sum(amount_ore), 0)
    INTO allocated, net
    FROM ledger_entries WHERE payment_id = NEW.payment_id;
  IF allocated <> 0 AND allocated <> paid THEN
    RAISE EXCEPTION 'ledger: allocations of payment % sum to %, not its amount %', NEW.payment_id, allocated, paid
      USING ERRCODE = 'check_violation';
  END IF;
  IF net < 0 OR net > paid THEN
    RAISE EXCEPTION 'ledger: entries of payment % sum to %, outside 0..%', NEW.payment_id, net, paid
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
