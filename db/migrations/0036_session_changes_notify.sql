-- What a signed-in request learns from its session (the session itself, the person's staff roles,
-- organisations, address and name) is kept by each app process for a moment (app/services/auth/
-- session-cache.server.ts). These triggers tell every process, of every instance, to forget it when a
-- change commits (NOTIFY is delivered at COMMIT): the payload names the people concerned ("12,40"), or is
-- empty for everyone (a truncate, or too many people to name). A statement that changed no row notifies
-- nothing, so a sign-out with nothing left to end, or housekeeping that found nothing, costs no process its
-- cache. Triggers rather than calls in the services: a cascade (a person or organisation deleted),
-- housekeeping and any other path notify too. A session's touch (last_seen_at) notifies nothing: each
-- process checks the idle limit itself; nor does a person's new locale, which no session answer holds.
CREATE OR REPLACE FUNCTION notify_session_changes() RETURNS trigger AS $$
DECLARE
  ids text;
BEGIN
  IF TG_OP = 'TRUNCATE' OR TG_ARGV[0] = 'everyone' THEN
    PERFORM pg_notify('lm_session_changes', '');
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'people' THEN
    IF TG_OP = 'DELETE' THEN
      SELECT string_agg(DISTINCT o.id::text, ',') INTO ids FROM changed_old o;
    ELSE
      SELECT string_agg(DISTINCT o.id::text, ',') INTO ids
      FROM changed_old o JOIN changed_new n ON n.id = o.id
      WHERE (o.email, o.name) IS DISTINCT FROM (n.email, n.name);
    END IF;
  ELSIF TG_OP = 'INSERT' THEN
    SELECT string_agg(DISTINCT n.person_id::text, ',') INTO ids FROM changed_new n;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT string_agg(DISTINCT o.person_id::text, ',') INTO ids FROM changed_old o;
  ELSE
    SELECT string_agg(DISTINCT c.person_id::text, ',') INTO ids
    FROM (SELECT person_id FROM changed_old UNION SELECT person_id FROM changed_new) c;
  END IF;
  IF ids IS NOT NULL THEN
    -- A payload must stay under 8,000 bytes: beyond a few hundred people, everyone.
    PERFORM pg_notify('lm_session_changes', CASE WHEN length(ids) > 7000 THEN '' ELSE ids END);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
-- The app never moves a session to another person or changes its end; if anything does, everyone forgets.
CREATE TRIGGER sessions_changed AFTER UPDATE OF id, person_id, expires_at OR TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes('everyone');--> statement-breakpoint
CREATE TRIGGER staff_roles_inserted AFTER INSERT ON staff_roles REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER staff_roles_updated AFTER UPDATE ON staff_roles REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER staff_roles_deleted AFTER DELETE ON staff_roles REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER staff_roles_truncated AFTER TRUNCATE ON staff_roles
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER organisation_members_inserted AFTER INSERT ON organisation_members REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER organisation_members_updated AFTER UPDATE ON organisation_members REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER organisation_members_deleted AFTER DELETE ON organisation_members REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER organisation_members_truncated AFTER TRUNCATE ON organisation_members
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER people_updated AFTER UPDATE ON people REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER people_deleted AFTER DELETE ON people REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER people_truncated AFTER TRUNCATE ON people
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();
