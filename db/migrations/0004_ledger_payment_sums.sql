-- The database checks the ledger's per-payment sums itself (DESIGN.md): at commit, a payment's
-- allocation entries are either absent or sum exactly to its amount, and its entries in total
-- (allocations + reversals + corrections) lie between 0 and that amount. Deferred, so the entries
-- of one posting may be inserted one by one inside the transaction.
CREATE OR REPLACE FUNCTION ledger_entries_check_payment_sums() RETURNS trigger AS $$
DECLARE
  paid bigint;
  allocated bigint;
  net bigint;
BEGIN
  IF NEW.payment_id IS NULL THEN
    RETURN NULL;
  END IF;
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
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_payment_sums
  AFTER INSERT ON ledger_entries
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_entries_check_payment_sums();
