-- Allocation rules are versioned, never edited (decision 0004): the database refuses to change or
-- remove a rule or its shares, and refuses (at commit) a rule whose shares do not sum to 100 %.
CREATE OR REPLACE FUNCTION allocation_rules_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER allocation_rules_no_update_delete
  BEFORE UPDATE OR DELETE ON allocation_rules
  FOR EACH ROW EXECUTE FUNCTION allocation_rules_append_only();
--> statement-breakpoint
CREATE TRIGGER allocation_shares_no_update_delete
  BEFORE UPDATE OR DELETE ON allocation_shares
  FOR EACH ROW EXECUTE FUNCTION allocation_rules_append_only();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION allocation_shares_check_sum() RETURNS trigger AS $$
DECLARE
  total bigint;
BEGIN
  SELECT coalesce(sum(basis_points), 0) INTO total FROM allocation_shares WHERE rule_id = NEW.rule_id;
  IF total <> 10000 THEN
    RAISE EXCEPTION 'allocation rule % has shares summing to % basis points, not 10000', NEW.rule_id, total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER allocation_shares_sum_100
  AFTER INSERT ON allocation_shares
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION allocation_shares_check_sum();
