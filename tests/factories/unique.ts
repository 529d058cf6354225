let counter = 0;

/**
 * A short token unique within the test process (and, with the pid, across files on one server), for
 * e-mail addresses and Stripe ids that have unique constraints. Factories may be called many times in
 * one database, so nothing they make may collide with an earlier call.
 */
export function unique(): string {
  counter += 1;
  return `${process.pid.toString(36)}${counter.toString(36)}`;
}
