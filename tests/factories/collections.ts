import type { Db } from "~db/client.server";
import { collections, type Collection } from "~db/schema";
import { createPerson } from "./people";
import { goalId } from "./payments";
import { unique } from "./unique";

/** An open collection "Springet" for goal 4 (ingen-psykisk-ohalsa) with a new owner; `overrides` win. */
export async function createCollection(db: Db, overrides: Partial<typeof collections.$inferInsert> = {}): Promise<Collection> {
  const owner = await createPerson(db);
  const [row] = await db
    .insert(collections)
    .values({ slug: `c-${unique()}`.toLowerCase(), title: "Springet", goalId: await goalId(db, "ingen-psykisk-ohalsa"), ownerPersonId: owner.id, ...overrides })
    .returning();
  return row;
}
