import { sql } from "drizzle-orm";
import { getDatabase } from "~db/client.server";

/** GET /healthz: is the database reachable, and which one is it. */
export async function checkHealth(): Promise<{ ok: boolean; db: "postgres" | "pglite" | null }> {
  try {
    const database = await getDatabase();
    await database.db.execute(sql`select 1`);
    return { ok: true, db: database.kind };
  } catch {
    return { ok: false, db: null };
  }
}
