-- The public facts a page shows alike to everyone (a goal with its balance, partner wall, collections,
-- competitions and impact figures; the home page's goal cards; the goals on /give) are kept by each app process
-- for a moment (app/utils/public-reads.server.ts, docs/decisions/0015). These triggers tell every process of every
-- instance to forget them when a change to what staff, partners and collectors write commits (NOTIFY is
-- delivered at COMMIT, and several in one transaction are delivered once). A new table in those reads needs its
-- trigger here, or a place in tests/pages/public-reads.test.ts's list of tables without one.
-- Not on payments and ledger_entries: they change with every gift, and a transaction that notifies takes a
-- lock for the whole server at commit, so every gift's commit would wait for the one before it. A balance may
-- therefore be up to PUBLIC_READS_MS behind in other processes (the process that posts a gift forgets at once),
-- as it may be on the anonymous page cache's pages (docs/decisions/0002).
-- Any statement notifies, even one that changed no row: forgetting costs each process one read per kept fact,
-- and none of these tables is written on a hot path.
CREATE OR REPLACE FUNCTION notify_public_changes() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('lm_public_changes', '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER goals_public_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON goals
  FOR EACH STATEMENT EXECUTE FUNCTION notify_public_changes();--> statement-breakpoint
CREATE TRIGGER partnerships_public_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partnerships
  FOR EACH STATEMENT EXECUTE FUNCTION notify_public_changes();--> statement-breakpoint
CREATE TRIGGER organisations_public_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
  FOR EACH STATEMENT EXECUTE FUNCTION notify_public_changes();--> statement-breakpoint
CREATE TRIGGER partner_tiers_public_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partner_tiers
  FOR EACH STATEMENT EXECUTE FUNCTION notify_public_changes();--> statement-breakpoint
CREATE TRIGGER collections_public_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON collections
  FOR EACH STATEMENT EXECUTE FUNCTION notify_public_changes();--> statement-breakpoint
CREATE TRIGGER impact_figures_public_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON impact_figures
  FOR EACH STATEMENT EXECUTE FUNCTION notify_public_changes();--> statement-breakpoint
CREATE TRIGGER competitions_public_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON competitions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_public_changes();--> statement-breakpoint
CREATE TRIGGER competition_goals_public_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON competition_goals
  FOR EACH STATEMENT EXECUTE FUNCTION notify_public_changes();--> statement-breakpoint
CREATE TRIGGER competition_teams_public_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON competition_teams
  FOR EACH STATEMENT EXECUTE FUNCTION notify_public_changes();
