import { requireStaffActor, type ServiceContext } from "~/services/context";
import { recentPayouts } from "~/services/payments/payouts-read.server";
import { getCharityIdentity } from "~/services/settings/charity.server";
import { stockholmDay } from "~/utils/dates";

/**
 * What the exports page says before a file is made: whether the charity's name and
 * organisationsnummer are in the settings (#FNAMN needs the name; #ORGNR is left out without the
 * number), last month in Swedish time as the period offered first, and Stripe's latest payouts
 * with their fees (amounts as strings: the loader's data is JSON).
 */
export async function exportsOverview(ctx: ServiceContext, now = new Date()) {
  requireStaffActor(ctx);
  const identity = await getCharityIdentity(ctx.db);
  const [year, month] = stockholmDay(now).split("-").map(Number);
  const first = new Date(Date.UTC(year, month - 2, 1));
  const last = new Date(Date.UTC(year, month - 1, 0));
  return {
    nameMissing: identity.name.trim() === "",
    orgNumberMissing: identity.organisationNumber.trim() === "",
    defaultPeriod: { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) },
    payouts: (await recentPayouts(ctx)).map((p) => ({ ...p, amountOre: String(p.amountOre), grossOre: String(p.grossOre), feeOre: String(p.feeOre) })),
  };
}
