// Test data with overrides: `createPerson(db, { email })`, `createPaidGift(db, { goal: "ingen-ensamhet" })`.
// Rows whose rules live in services (a paid gift and its ledger entries, a refund) are made through
// those services, so a factory can never make a row production could not.
export { createCollection } from "./collections";
export { addContact, createOrganisation, createPerson, createStaff } from "./people";
export { createPaidGift, createPendingPayment, goalId, refundGift, type PaidGiftOptions } from "./payments";
export { unique } from "./unique";
