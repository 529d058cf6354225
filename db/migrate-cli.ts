// `npm run db:migrate`: apply committed migrations and reference data to DATABASE_URL, or PGlite in $DATA_DIR.
import path from "node:path";
import { migrateDatabase, openDatabase } from "./client.server";
import { seedReferenceData } from "./seed";
import { env } from "~/utils/env.server";

const config = env();
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, "pglite") });
try {
  await migrateDatabase(database);
  await seedReferenceData(database.db);
  console.log(`migrations applied (${database.kind})`);
} finally {
  await database.close();
}
