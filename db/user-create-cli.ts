// `npm run user:create -- --email someone@example.org --role admin [--name "Full Name"]`
// Creates the person when missing and gives the staff role (audited, actor: the command line).
// With the embedded database, stop the app first: PGlite allows one process per data directory.
import path from "node:path";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { migrateDatabase, openDatabase } from "./client.server";
import { people } from "./schema";
import { seedReferenceData } from "./seed";
import { emailSchema, ensureStaffMember, isStaffRole } from "~/services/people/people.server";
import { env } from "~/utils/env.server";

const { values } = parseArgs({
  options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
  allowPositionals: false,
});
const email = emailSchema.safeParse(values.email ?? "");
if (!email.success || !isStaffRole(values.role)) {
  console.error("usage: npm run user:create -- --email someone@example.org --role admin|fundraiser [--name \"Full Name\"]");
  process.exit(2);
}

const config = env();
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, "pglite") });
try {
  await migrateDatabase(database);
  await seedReferenceData(database.db);
  const result = await ensureStaffMember(database.db, email.data, values.role);
  if (values.name) await database.db.update(people).set({ name: values.name }).where(eq(people.id, result.personId));
  console.log(
    `${email.data}: ${result.created ? "created" : "already existed"}, role ${values.role} ${result.granted ? "granted" : "already held"} (${database.kind})`,
  );
} finally {
  await database.close();
}
