// `npm run db:seed:demo`: load the demo data (marked demo) into DATABASE_URL or PGlite in $DATA_DIR.
// Asking for it by name is what allows demo data into a DATABASE_URL database.
import path from "node:path";
import { migrateDatabase, openDatabase } from "./client.server";
import { seedDemoData, seedReferenceData } from "./seed";
import { env } from "~/utils/env.server";

const config = env();
if (config.production) {
  console.error("Refusing to load demo data with APP_ENV=production.");
  process.exit(1);
}
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, "pglite") });
try {
  await migrateDatabase(database);
  await seedReferenceData(database.db);
  const ran = await seedDemoData(database.db);
  console.log(`demo data loaded (${database.kind}): ${ran.join(", ") || "reference data only"}`);
} finally {
  await database.close();
}
