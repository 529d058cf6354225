import { redirect } from "@remix-run/node";
import { getDb } from "~db/client.server";
import type { StaffRole } from "~db/schema";
import { findSession } from "~/services/auth/sessions.server";
import { idParamOr404 } from "~/services/auth/validation";
import { readSessionToken } from "~/utils/session-cookie.server";

/**
 * The one access module. Every loader and action starts with one of these:
 *   getCurrentUser(request)            → the signed-in person or null
 *   requireUser(request)               → signed in, else redirect to /login?returnTo=…
 *   requireStaff(request)              → admin or fundraiser, else 403
 *   requireAdmin(request)              → admin, else 403
 *   requireOrgMember(request, id, …)   → contact of organisation `id` (or staff), else 403
 * Anonymous visitors are redirected to sign in; signed-in people without the right get a 403.
 */
export type CurrentUser = {
  personId: number;
  email: string;
  name: string | null;
  roles: StaffRole[];
  organisations: { organisationId: number; isAdmin: boolean }[];
  sessionId: string;
};

/**
 * One session lookup per Request. Remix hands every loader of a page the page's own Request (the patch to
 * @remix-run/server-runtime, docs/decisions/0010), so the root loader and the page's loader share one
 * lookup. An action gets its own copy: the loaders after it look again and see what it changed.
 */
const cache = new WeakMap<Request, Promise<CurrentUser | null>>();

export function getCurrentUser(request: Request): Promise<CurrentUser | null> {
  let found = cache.get(request);
  if (!found) {
    found = (async () => {
      const token = await readSessionToken(request);
      if (!token) return null;
      return findSession(await getDb(), token);
    })();
    cache.set(request, found);
  }
  return found;
}

export function loginRedirect(request: Request): Response {
  const url = new URL(request.url);
  // Data requests (single fetch) carry a `.data` suffix; send people back to the page itself.
  const path = url.pathname.replace(/\.data$/, "").replace(/^\/_root$/, "/") || "/";
  url.searchParams.delete("_data");
  url.searchParams.delete("index");
  const returnTo = path + (url.search && url.searchParams.toString() ? `?${url.searchParams}` : "");
  return redirect(`/login?returnTo=${encodeURIComponent(returnTo)}`);
}

export function forbidden(): Response {
  return new Response("Forbidden", { status: 403, statusText: "Forbidden" });
}

export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getCurrentUser(request);
  if (!user) throw loginRedirect(request);
  return user;
}

export function isStaff(user: CurrentUser | null): boolean {
  return !!user && user.roles.length > 0;
}

export function isAdmin(user: CurrentUser | null): boolean {
  return !!user && user.roles.includes("admin");
}

export async function requireStaff(request: Request): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!isStaff(user)) throw forbidden();
  return user;
}

export async function requireAdmin(request: Request): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!isAdmin(user)) throw forbidden();
  return user;
}

/** Whether `user` may act for organisation `organisationId` (as an organisation admin when asked). */
export function canActForOrganisation(
  user: CurrentUser | null,
  organisationId: number,
  opts: { admin?: boolean; allowStaff?: boolean } = {},
): boolean {
  if (!user) return false;
  if ((opts.allowStaff ?? true) && isStaff(user)) return true;
  const membership = user.organisations.find((m) => m.organisationId === organisationId);
  return !!membership && (!opts.admin || membership.isAdmin);
}

/**
 * A contact of the organisation (with `admin: true`, one of its admins). Staff pass too unless
 * `allowStaff: false`: they keep the CRM and see every partner. A malformed id is a 404.
 */
export async function requireOrgMember(
  request: Request,
  rawOrganisationId: number | string | undefined,
  opts: { admin?: boolean; allowStaff?: boolean } = {},
): Promise<CurrentUser> {
  const user = await requireUser(request);
  // Beyond PostgreSQL's integer range (2147483648) is not found either, never a database error.
  const organisationId = idParamOr404(rawOrganisationId);
  if (!canActForOrganisation(user, organisationId, opts)) throw forbidden();
  return user;
}
