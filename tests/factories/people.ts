import type { Db } from "~db/client.server";
import { organisationMembers, organisations, people, staffRoles, type Organisation, type Person, type StaffRole } from "~db/schema";
import { unique } from "./unique";

type NewPerson = typeof people.$inferInsert;
type NewOrganisation = typeof organisations.$inferInsert;

/** A person (donor, partner contact or staff member before any role); any column can be overridden. */
export async function createPerson(db: Db, overrides: Partial<NewPerson> = {}): Promise<Person> {
  const key = unique();
  const [person] = await db
    .insert(people)
    .values({ email: `person-${key}@example.com`, name: `Testperson ${key}`, ...overrides })
    .returning();
  return person;
}

/** A person with a staff role (fundraiser unless told otherwise). */
export async function createStaff(db: Db, role: StaffRole = "fundraiser", overrides: Partial<NewPerson> = {}): Promise<Person> {
  const person = await createPerson(db, { name: `Personal ${role}`, ...overrides });
  await db.insert(staffRoles).values({ personId: person.id, role });
  return person;
}

/**
 * An organisation (a partner company), with its contacts: `contacts` are made with createPerson and
 * become members (the first one its admin unless `contactsAreAdmins` says otherwise).
 */
export async function createOrganisation(
  db: Db,
  overrides: Partial<NewOrganisation> = {},
  opts: { contacts?: number | Partial<NewPerson>[]; contactsAreAdmins?: boolean } = {},
): Promise<Organisation & { contacts: Person[] }> {
  const [organisation] = await db
    .insert(organisations)
    .values({ name: `Testföretag ${unique()} AB`, ...overrides })
    .returning();
  const wanted = typeof opts.contacts === "number" ? Array.from({ length: opts.contacts }, () => ({})) : (opts.contacts ?? []);
  const contacts: Person[] = [];
  for (const [i, person] of wanted.entries()) {
    const contact = await createPerson(db, person);
    await addContact(db, organisation.id, contact.id, { isAdmin: opts.contactsAreAdmins ?? i === 0 });
    contacts.push(contact);
  }
  return { ...organisation, contacts };
}

/** Makes a person a contact of an organisation. */
export async function addContact(db: Db, organisationId: number, personId: number, { isAdmin = false } = {}): Promise<void> {
  await db.insert(organisationMembers).values({ organisationId, personId, isAdmin });
}
