import { eq, sql, type AnyColumn } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { preparedQuery } from "~db/prepared.server";
import { jsonRows } from "~db/json-rows";
import { goals, monthlyGifts, organisationMembers, organisations, payments, people, sessions, settings } from "~db/schema";
import { requirePerson, type ServiceContext } from "~/services/context";
import { CHARITY_IDENTITY_KEY, charityIdentityFrom } from "~/services/settings/charity.server";
import {
  ACCOUNT_GIFT_LIMIT,
  giftView,
  monthlyGiftView,
  sessionViews,
  type AccountOverview,
  type GiftFields,
  type MonthlyGiftFields,
  type SessionFields,
} from "./account.server";

/*
 * /account in one statement (issue 10 item 6): the person's organisations, gifts, monthly gifts and sign-ins,
 * and the receipt's recipient line. It was up to five statements at once, each with its fixed cost (a round
 * trip, a pooled connection, postgres.js's and PostgreSQL's work per statement): 1.5 ms of the machine's CPU
 * per page with two server processes on 2026-12-02, and 0.75–0.8 ms as one statement. The lists
 * are the same as the separate reads give (giftsOf, monthlyGiftsOf, sessionsOf in account.server.ts, and
 * getCharityIdentity); tests/reads/account-page.test.ts holds the two ways to the same result. Each list is
 * a json column read back through the same view functions as the separate reads; times are written as
 * Date#toISOString writes them, money and ids as text.
 */

const gift = alias(payments, "account_gift");
const giftGoal = alias(goals, "account_gift_goal");
const monthly = alias(monthlyGifts, "account_monthly");
const monthlyGoal = alias(goals, "account_monthly_goal");
const session = alias(sessions, "account_session");
const member = alias(organisationMembers, "account_member");
const organisation = alias(organisations, "account_organisation");
const setting = alias(settings, "account_setting");

/** A timestamp as JSON text in the form Date#toISOString writes (UTC, milliseconds). */
const isoText = (column: AnyColumn) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The person's own address, from the row the statement reads (never one a caller passes in). */
const ownEmail = sql`${sql.identifier("people")}.${sql.identifier("email")}`;
const ownId = sql`${sql.identifier("people")}.${sql.identifier("id")}`;

function giftsColumn(en: boolean) {
  const title = en ? giftGoal.titleEn : giftGoal.titleSv;
  const newest = sql`coalesce(${gift.paidAt}, ${gift.createdAt}) desc, ${gift.id} desc`;
  // The newest ACCOUNT_GIFT_LIMIT first (the subquery), then in that order into the list.
  return sql`(select json_agg(json_build_object('id', g.id, 'paidAt', g.paid_at, 'createdAt', g.created_at, 'goalTitle', g.goal_title,
      'amountOre', g.amount_ore, 'refundedOre', g.refunded_ore, 'channel', g.channel, 'status', g.status, 'method', g.method) order by g.n)
    from (select ${gift.id}::text as id, ${isoText(gift.paidAt)} as paid_at, ${isoText(gift.createdAt)} as created_at, ${title} as goal_title,
        ${gift.amountOre}::text as amount_ore, ${gift.refundedOre}::text as refunded_ore, ${gift.channel} as channel, ${gift.status} as status,
        ${gift.method} as method, row_number() over (order by ${newest}) as n
      from ${payments} ${gift} left join ${goals} ${giftGoal} on ${giftGoal.id} = ${gift.goalId}
      where lower(${gift.donorEmail}) = ${ownEmail}
      order by ${newest} limit ${sql.raw(String(ACCOUNT_GIFT_LIMIT))}) g)`;
}

function monthlyColumn(en: boolean) {
  const title = en ? monthlyGoal.titleEn : monthlyGoal.titleSv;
  return sql`(select json_agg(json_build_object('id', ${monthly.id}::text, 'status', ${monthly.status}, 'amountOre', ${monthly.amountOre}::text,
      'goalTitle', ${title}, 'createdAt', ${isoText(monthly.createdAt)}, 'subscriptionId', ${monthly.subscriptionId})
      order by ${monthly.createdAt} desc, ${monthly.id} desc)
    from ${monthlyGifts} ${monthly} left join ${goals} ${monthlyGoal} on ${monthlyGoal.id} = ${monthly.goalId}
    where lower(${monthly.donorEmail}) = ${ownEmail} and ${monthly.status} <> 'pending')`;
}

const sessionsColumn = sql`(select json_agg(json_build_object('id', ${session.id}, 'userAgent', ${session.userAgent},
    'createdAt', ${isoText(session.createdAt)}, 'lastSeenAt', ${isoText(session.lastSeenAt)}))
  from ${sessions} ${session} where ${session.personId} = ${ownId})`;

const organisationsColumn = sql`(select json_agg(json_build_object('id', ${organisation.id}, 'name', ${organisation.name}, 'isAdmin', ${member.isAdmin})
    order by ${organisation.name})
  from ${organisationMembers} ${member} join ${organisations} ${organisation} on ${organisation.id} = ${member.organisationId} where ${member.personId} = ${ownId})`;

/** Everything /account shows: the signed-in person's own, and only theirs. */
export async function accountOverview(ctx: ServiceContext): Promise<AccountOverview> {
  const user = requirePerson(ctx);
  const en = ctx.locale === "en";
  const name = en ? "account_overview_en" : "account_overview_sv";
  const [row] = await preparedQuery(ctx.db, name, (d) =>
    d
      .select({
        organisations: sql<unknown>`${organisationsColumn}`,
        gifts: sql<unknown>`${giftsColumn(en)}`,
        monthly: sql<unknown>`${monthlyColumn(en)}`,
        sessions: sql<unknown>`${sessionsColumn}`,
        identity: sql<unknown>`(select ${setting.value} from ${settings} ${setting} where ${setting.key} = ${CHARITY_IDENTITY_KEY})`,
      })
      .from(people)
      .where(eq(people.id, sql.placeholder("person")))
      .prepare(name),
  ).execute({ person: user.personId });
  const identity = charityIdentityFrom(row?.identity);
  return {
    email: user.email,
    name: user.name,
    roles: user.roles,
    organisations: jsonRows<{ id: number; name: string; isAdmin: boolean }>(row?.organisations),
    gifts: jsonRows<GiftFields>(row?.gifts).map(giftView),
    monthlyGifts: jsonRows<MonthlyGiftFields>(row?.monthly).map(monthlyGiftView),
    sessions: sessionViews(jsonRows<SessionFields>(row?.sessions), user.sessionId ?? "", ctx.locale),
    recipient: { name: identity.name, organisationNumber: identity.organisationNumber },
  };
}
