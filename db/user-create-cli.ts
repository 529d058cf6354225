// `npm run user:create -- --email someone@example.org --role admin [--name "Full Name"]`
// Creates the person when missing and gives the staff role (audited, actor: the command line).
// With the embedded database, stop the app first: PGlite allows one process per data directory.
import path from "node:path";
import { parseArgs } from "node:util";

// The arguments first, and the app's modules only as they are needed: a mistyped command answers
// without loading the database drivers (under tsx every module imported costs its compile).
const { values } = parseArgs({
  options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
  allowPositionals: false,
});
const { emailSchema, ensureStaffMember, isStaffRole } = await import("~/services/people/people.server");
const email = emailSchema.safeParse(values.email ?? "");
if (!email.success || !isStaffRole(values.role)) {
  console.error("usage: npm run user:create -- --email someone@example.org --role admin|fundraiser [--name \"Full Name\"]");
  process.exit(2);
}
const role = values.role;

const [{ eq }, { migrateDatabase, openDatabase }, { people }, { seedReferenceData }, { env }] = await Promise.all([
  import("drizzle-orm"),
  import("./client.server"),
  import("./schema"),
  import("./seed"),
  import("~/utils/env.server"),
]);
const config = env();
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, "pglite") });
try {
  await migrateDatabase(database);
  await seedReferenceData(database.db);
  const result = await ensureStaffMember(database.db, email.data, role);
  if (values.name) await database.db.update(people).set({ name: values.name }).where(eq(people.id, result.personId));
  console.log(
    `${email.data}: ${result.created ? "created" : "already existed"}, role ${role} ${result.granted ? "granted" : "already held"} (${database.kind})`,
  );
} finally {
  await database.close();
}
