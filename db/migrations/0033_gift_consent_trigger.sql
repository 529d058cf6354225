-- A consent ticked on the give page (gift_consents) becomes the donor's donor_consents row when its
-- gift is paid, in the same transaction as the payment's own update (issue 14: the donor export lists
-- only consents given with a gift that was paid). A trigger rather than a call in the payment handlers:
-- every path that records a payment as paid (the Stripe events, their batched writes, the simulator)
-- goes through this UPDATE, and the Stripe path gets no extra round trip (docs/decisions/0008-gift-consent-on-paid.md).
-- The person is made when missing, as ensurePerson does (lower-case address, audited person_created).
-- A newer consent renews the row (given_at, withdrawn_at cleared); an older one (a slow Swish gift
-- paid after a later gift, or after the donor withdrew) changes nothing.
CREATE OR REPLACE FUNCTION gift_consent_on_paid() RETURNS trigger AS $$
DECLARE
  g gift_consents%ROWTYPE;
  addr text;
  pid integer;
BEGIN
  SELECT * INTO g FROM gift_consents WHERE payment_id = NEW.id;
  IF NOT FOUND OR NEW.donor_email IS NULL OR btrim(NEW.donor_email) = '' THEN
    RETURN NULL;
  END IF;
  addr := lower(btrim(NEW.donor_email));
  INSERT INTO people (email, name, locale)
  VALUES (addr, nullif(btrim(coalesce(NEW.donor_name, '')), ''), CASE WHEN NEW.locale IN ('sv', 'en') THEN NEW.locale END)
  ON CONFLICT (email) DO NOTHING
  RETURNING id INTO pid;
  IF pid IS NOT NULL THEN
    INSERT INTO audit_log (action, subject_person_id, details)
    VALUES ('person_created', pid, jsonb_build_object('email', addr, 'source', 'give_page'));
  ELSE
    SELECT id INTO pid FROM people WHERE email = addr;
  END IF;
  INSERT INTO donor_consents (person_id, purpose, given_at, source)
  VALUES (pid, g.purpose, g.asked_at, 'give_page')
  ON CONFLICT (person_id, purpose) DO UPDATE
    SET given_at = EXCLUDED.given_at, withdrawn_at = NULL, source = EXCLUDED.source
    WHERE coalesce(donor_consents.withdrawn_at, donor_consents.given_at) < EXCLUDED.given_at;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER payments_gift_consent
  AFTER UPDATE OF status ON payments
  FOR EACH ROW
  WHEN (NEW.status IN ('paid', 'held') AND OLD.status NOT IN ('paid', 'held'))
  EXECUTE FUNCTION gift_consent_on_paid();
