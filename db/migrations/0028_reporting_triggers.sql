-- The reporting read model (issue 14 item 6, db/schema/reporting.ts) kept exact by triggers: every
-- ledger entry adds to its (goal, channel, Stockholm day) row of ledger_daily, and every payment that
-- becomes (or stops being) a paid SEK payment adds (or takes back) one gift in gift_daily, in the same
-- transaction as the row itself, so a reader never sees one without the other. The ledger is
-- append-only (0001), so inserts are the only change to follow there.
-- The slot (the transaction id modulo 4) spreads concurrent transactions that post to the same goal
-- and day over different rows: one row per key would hold every webhook for that goal in a queue on
-- its row lock until the holder commits. Readers sum over slots.
CREATE OR REPLACE FUNCTION ledger_daily_add() RETURNS trigger AS $$
BEGIN
  INSERT INTO ledger_daily (goal_id, channel, day, slot, amount_ore, entries)
  VALUES (NEW.goal_id, NEW.channel, (NEW.created_at AT TIME ZONE 'Europe/Stockholm')::date, (txid_current() % 4)::smallint, NEW.amount_ore, 1)
  ON CONFLICT (goal_id, channel, day, slot) DO UPDATE
    SET amount_ore = ledger_daily.amount_ore + EXCLUDED.amount_ore, entries = ledger_daily.entries + 1;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_daily
  AFTER INSERT ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_daily_add();
--> statement-breakpoint
-- A payment counts as one gift while it is paid in SEK (what reaches the ledger), on the Stockholm day
-- it was paid, under its goal (null: undesignated) and channel at its gross amount. An update that
-- changes any of these takes the old contribution back and adds the new one.
CREATE OR REPLACE FUNCTION gift_daily_apply() RETURNS trigger AS $$
DECLARE
  s smallint := (txid_current() % 4)::smallint;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'paid' AND OLD.currency = 'sek' THEN
    INSERT INTO gift_daily (goal_id, channel, day, slot, gifts, amount_ore)
    VALUES (OLD.goal_id, OLD.channel, (coalesce(OLD.paid_at, OLD.created_at) AT TIME ZONE 'Europe/Stockholm')::date, s, -1, -OLD.amount_ore)
    ON CONFLICT ON CONSTRAINT gift_daily_key DO UPDATE
      SET gifts = gift_daily.gifts + EXCLUDED.gifts, amount_ore = gift_daily.amount_ore + EXCLUDED.amount_ore;
  END IF;
  IF NEW.status = 'paid' AND NEW.currency = 'sek' THEN
    INSERT INTO gift_daily (goal_id, channel, day, slot, gifts, amount_ore)
    VALUES (NEW.goal_id, NEW.channel, (coalesce(NEW.paid_at, NEW.created_at) AT TIME ZONE 'Europe/Stockholm')::date, s, 1, NEW.amount_ore)
    ON CONFLICT ON CONSTRAINT gift_daily_key DO UPDATE
      SET gifts = gift_daily.gifts + EXCLUDED.gifts, amount_ore = gift_daily.amount_ore + EXCLUDED.amount_ore;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER payments_gift_daily_insert
  AFTER INSERT ON payments
  FOR EACH ROW WHEN (NEW.status = 'paid')
  EXECUTE FUNCTION gift_daily_apply();
--> statement-breakpoint
CREATE TRIGGER payments_gift_daily_update
  AFTER UPDATE ON payments
  FOR EACH ROW WHEN (
    (OLD.status = 'paid' OR NEW.status = 'paid') AND
    (OLD.status, OLD.currency, OLD.goal_id, OLD.channel, OLD.paid_at, OLD.created_at, OLD.amount_ore)
      IS DISTINCT FROM (NEW.status, NEW.currency, NEW.goal_id, NEW.channel, NEW.paid_at, NEW.created_at, NEW.amount_ore))
  EXECUTE FUNCTION gift_daily_apply();
--> statement-breakpoint
-- Whatever the ledger and payments already hold (databases migrated with data in them).
INSERT INTO ledger_daily (goal_id, channel, day, slot, amount_ore, entries)
SELECT goal_id, channel, (created_at AT TIME ZONE 'Europe/Stockholm')::date, 0, sum(amount_ore), count(*)
  FROM ledger_entries GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO gift_daily (goal_id, channel, day, slot, gifts, amount_ore)
SELECT goal_id, channel, (coalesce(paid_at, created_at) AT TIME ZONE 'Europe/Stockholm')::date, 0, count(*), sum(amount_ore)
  FROM payments WHERE status = 'paid' AND currency = 'sek' GROUP BY 1, 2, 3;
