-- What a signed-in request learns from its session (the session itself, the person's staff roles,
-- organisations, address and name) is kept by each app process for a moment (app/services/auth/
-- session-cache.server.ts). These triggers tell every process, of every instance, to forget it as the
-- change commits: NOTIFY is sent at COMMIT, once per transaction. Triggers rather than calls in the
-- services: a cascade (a person or organisation deleted), housekeeping and any other path that changes
-- these rows notifies too. A session's touch (last_seen_at) notifies nothing: each process checks the
-- idle limit itself.
CREATE OR REPLACE FUNCTION notify_session_changes() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('lm_session_changes', '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER sessions_changed AFTER DELETE OR UPDATE OF id, person_id, expires_at OR TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER staff_roles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON staff_roles
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER organisation_members_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisation_members
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();--> statement-breakpoint
CREATE TRIGGER people_changed AFTER UPDATE OF id, email, name OR DELETE OR TRUNCATE ON people
  FOR EACH STATEMENT EXECUTE FUNCTION notify_session_changes();
