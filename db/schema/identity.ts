import { sql } from "drizzle-orm";
import { boolean, check, customType, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import { contactRoles, type ContactRole } from "./contact-roles";
import { industries } from "./industries";

/**
 * Everyone the platform knows by email: staff, partner contacts, employees, collection owners,
 * donors. One row per address; the address is stored lower-case (a check constraint holds that).
 */
export const people = pgTable(
  "people",
  {
    id: serial("id").primaryKey(),
    email: text("email").notNull().unique(),
    name: text("name"),
    /** Rows made by the demo seeders (fictional people at example.com). */
    demo: boolean("demo").notNull().default(false),
    /**
     * The language the person last used the site in (sv | en), stored when they sign in; emails the app
     * sends them on its own (reminders, renewals) use it. Null until known: those emails are then Swedish.
     */
    locale: text("locale"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("people_email_lower_case", sql`${t.email} = lower(${t.email})`),
    check("people_locale_check", sql`${t.locale} is null or ${t.locale} in ('sv', 'en')`),
  ],
);
export type Person = typeof people.$inferSelect;

/** Partner companies and other organisations (each one is a tenant: its contacts see only its data). */
export const organisations = pgTable(
  "organisations",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    /** Swedish organisationsnummer when known, stored as NNNNNN-NNNN (normaliseOrgNumber); never guessed. */
    orgNumber: text("org_number"),
    /** Postal address: street, postal code, city. */
    address: text("address"),
    postalCode: text("postal_code"),
    city: text("city"),
    /** https URL of the organisation's own site (the partner wall links to it). */
    website: text("website"),
    /** SNI 2007 section (reference data); ethical screening flags excluded industries. */
    industryId: integer("industry_id").references(() => industries.id),
    /** Where their invoices go, their reference and purchase order number (printed on invoices). */
    invoiceEmail: text("invoice_email"),
    invoiceReference: text("invoice_reference"),
    purchaseOrder: text("purchase_order"),
    /** Whether the organisation agreed to be named publicly (partner wall, goal pages). */
    isPublic: boolean("is_public").notNull().default(false),
    /** The current logo; older uploads are deleted when replaced. */
    logoId: integer("logo_id").references((): AnyPgColumn => organisationLogos.id, { onDelete: "set null" }),
    demo: boolean("demo").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One organisation per number: a second registration is refused with a link to the first.
    uniqueIndex("organisations_org_number_unique").on(t.orgNumber),
  ],
);
export type Organisation = typeof organisations.$inferSelect;

/**
 * Binary column: PGlite hands back a Uint8Array, postgres.js a Buffer; both become a Buffer here so the
 * logo route and the tests see one type.
 */
const bytea = customType<{ data: Buffer; driverData: Uint8Array | string }>({
  dataType: () => "bytea",
  toDriver: (value) => value,
  fromDriver: (value) => (typeof value === "string" ? Buffer.from(value.replace(/^\\x/, ""), "hex") : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
});

/** Uploaded logos (PNG, JPEG or WebP, checked by their bytes; never SVG), served from /logos/<id>. */
export const organisationLogos = pgTable(
  "organisation_logos",
  {
    id: serial("id").primaryKey(),
    organisationId: integer("organisation_id")
      .notNull()
      .references((): AnyPgColumn => organisations.id, { onDelete: "cascade" }),
    /** image/png, image/jpeg or image/webp, from the file's magic bytes, not from the upload's claim. */
    contentType: text("content_type").notNull(),
    bytes: bytea("bytes").notNull(),
    /** hex SHA-256 of the bytes (the ETag). */
    sha256: text("sha256").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("organisation_logos_content_type", sql`${t.contentType} in ('image/png', 'image/jpeg', 'image/webp')`),
    check("organisation_logos_size", sql`octet_length(${t.bytes}) <= 1048576`),
    index("organisation_logos_organisation_idx").on(t.organisationId),
  ],
);
export type OrganisationLogo = typeof organisationLogos.$inferSelect;

export { contactRoles, type ContactRole } from "./contact-roles";

/** A person is a contact of an organisation; `isAdmin` lets them manage the organisation's contacts later. */
export const organisationMembers = pgTable(
  "organisation_members",
  {
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    isAdmin: boolean("is_admin").notNull().default(false),
    /** Some of contactRoles. */
    roles: text("roles").array().$type<ContactRole[]>().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.personId] }),
    // The access check looks memberships up by person on every signed-in request.
    index("organisation_members_person_idx").on(t.personId),
    check("organisation_members_roles_known", sql`${t.roles} <@ array[${sql.raw(contactRoles.map((r) => `'${r}'`).join(", "))}]::text[]`),
  ],
);
export type OrganisationMember = typeof organisationMembers.$inferSelect;

export const staffRoleNames = ["admin", "fundraiser"] as const;
export type StaffRole = (typeof staffRoleNames)[number];

/** Staff roles of the charity's own people. */
export const staffRoles = pgTable(
  "staff_roles",
  {
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    role: text("role").$type<StaffRole>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.role] }), check("staff_roles_role_known", sql`${t.role} in ('admin', 'fundraiser')`)],
);

/**
 * Server-side sessions. The cookie carries a random token (signed); the table keeps only its SHA-256,
 * so a database leak does not hand out live sessions. Deleting a row ends the session at once.
 */
export const sessions = pgTable(
  "sessions",
  {
    /** hex SHA-256 of the cookie's token. */
    id: text("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    /** Absolute end, fixed at sign-in. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    userAgent: text("user_agent"),
  },
  // Staff list and revoke a person's sessions.
  (t) => [index("sessions_person_idx").on(t.personId)],
);
export type Session = typeof sessions.$inferSelect;

/** Magic-link tokens: only the SHA-256 is stored; single use (usedAt), 15 minutes. */
export const loginTokens = pgTable(
  "login_tokens",
  {
    id: serial("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    /** Null for a newcomer's first link: the person is made only when the link is used (docs/identity.md). */
    personId: integer("person_id").references(() => people.id, { onDelete: "cascade" }),
    /** The address the link was sent to (lower-case); for a newcomer, the person's address once it is used. */
    email: text("email"),
    /** A path on this site to land on after sign-in. */
    returnTo: text("return_to"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [
    index("login_tokens_person_idx").on(t.personId),
    check("login_tokens_person_or_email", sql`${t.personId} is not null or ${t.email} is not null`),
  ],
);

/**
 * Fixed-window counters for rate limits, shared by every app instance through the database.
 * key is e.g. `login:email:a@b.se` or `login:client:203.0.113.9`.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  count: integer("count").notNull(),
});

/** Who did what, when: sign-ins, sign-outs, role, membership and settings changes. Only ever added to. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: serial("id").primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** The person who acted; null for the system (ADMIN_EMAILS, the command line). */
    actorPersonId: integer("actor_person_id").references(() => people.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    subjectPersonId: integer("subject_person_id").references(() => people.id, { onDelete: "set null" }),
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    // The audit page reads newest first; a person's history filters by subject.
    index("audit_log_at_idx").on(t.at),
    index("audit_log_subject_idx").on(t.subjectPersonId),
  ],
);
export type AuditEntry = typeof auditLog.$inferSelect;

/** Staff-editable settings, one JSON value per key (e.g. `charity_identity`). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: integer("updated_by").references(() => people.id, { onDelete: "set null" }),
});

