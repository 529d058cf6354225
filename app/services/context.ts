import type { Db } from "~db/client.server";
import type { StaffRole } from "~db/schema";
import type { Locale } from "~/i18n/messages";
import { Forbidden, ServiceError } from "./errors";

/**
 * Who is calling a service. Every service takes a `ServiceContext` first and checks the actor itself
 * before it reads or writes anything (house style 2), so a route that forgets a check cannot leak.
 *
 *   anonymous  a visitor who is not signed in
 *   person     a signed-in person: staff roles (admin, fundraiser) and the organisations they are a contact of
 *   system     the app itself: a webhook, a job, the simulator, the command line (`name` says which)
 */
export type Actor =
  | { kind: "anonymous" }
  | {
      kind: "person";
      personId: number;
      email: string;
      name: string | null;
      roles: StaffRole[];
      organisations: { organisationId: number; isAdmin: boolean }[];
      /** The session the request came with (a person's own "sign out elsewhere" keeps it). */
      sessionId?: string;
    }
  | { kind: "system"; name: string };

export type PersonActor = Extract<Actor, { kind: "person" }>;

export interface ServiceContext {
  db: Db;
  actor: Actor;
  /** The reader's language: for emails and texts the service writes, never for access. */
  locale: Locale;
}

export const anonymousActor: Actor = { kind: "anonymous" };

export function systemContext(db: Db, name: string, locale: Locale = "sv"): ServiceContext {
  return { db, actor: { kind: "system", name }, locale };
}

/** Signing in is needed (401; routes send anonymous visitors to /login before this). */
export class SignInRequired extends ServiceError {
  constructor() {
    super(401, "sign_in_required");
  }
}

export function isStaffActor(actor: Actor): actor is PersonActor {
  return actor.kind === "person" && actor.roles.length > 0;
}

export function isAdminActor(actor: Actor): actor is PersonActor {
  return actor.kind === "person" && actor.roles.includes("admin");
}

/** A signed-in person (anyone). */
export function requirePerson(ctx: ServiceContext): PersonActor {
  if (ctx.actor.kind !== "person") throw new SignInRequired();
  return ctx.actor;
}

/** Staff: admin or fundraiser. */
export function requireStaffActor(ctx: ServiceContext): PersonActor {
  const person = requirePerson(ctx);
  if (!isStaffActor(person)) throw new Forbidden("staff_only");
  return person;
}

export function requireAdminActor(ctx: ServiceContext): PersonActor {
  const person = requirePerson(ctx);
  if (!isAdminActor(person)) throw new Forbidden("admin_only");
  return person;
}

/** The app itself (webhooks, jobs, the simulator); never a person. */
export function requireSystem(ctx: ServiceContext): { kind: "system"; name: string } {
  if (ctx.actor.kind !== "system") throw new Forbidden("system_only");
  return ctx.actor;
}

/** Whether the actor may act for the organisation: its contact (its admin when `admin`), or staff unless `allowStaff: false`. */
export function mayActForOrganisation(actor: Actor, organisationId: number, opts: { admin?: boolean; allowStaff?: boolean } = {}): boolean {
  if (actor.kind !== "person") return false;
  if ((opts.allowStaff ?? true) && isStaffActor(actor)) return true;
  const membership = actor.organisations.find((m) => m.organisationId === organisationId);
  return !!membership && (!opts.admin || membership.isAdmin);
}

export function requireOrganisationActor(ctx: ServiceContext, organisationId: number, opts: { admin?: boolean; allowStaff?: boolean } = {}): PersonActor {
  const person = requirePerson(ctx);
  if (!mayActForOrganisation(person, organisationId, opts)) throw new Forbidden();
  return person;
}

/** How the actor is named on ledger entries and other append-only rows: `staff:<email>`, `person:<id>`, `system:<name>`. */
export function authorOf(actor: Actor): string {
  if (actor.kind === "system") return actor.name;
  if (actor.kind === "person") return actor.roles.length > 0 ? `staff:${actor.email}` : `person:${actor.personId}`;
  return "anonymous";
}

/** The person id for audit rows (null for the system and anonymous visitors). */
export function personIdOf(actor: Actor): number | null {
  return actor.kind === "person" ? actor.personId : null;
}
