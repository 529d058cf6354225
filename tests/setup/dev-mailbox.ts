import { expect } from "vitest";

/**
 * The dev mailbox over HTTP, for tests against a running server in local mode. Every outbox row is
 * listed there as soon as the request that queued it has been answered (the row is written in that
 * request's transaction), and an unsent message is rendered on the fly, so nothing here waits for the
 * email worker: "nothing was queued" can be checked right after the answer, without sleeping.
 */

export const formHeaders = { "Content-Type": "application/x-www-form-urlencoded" };

/** A form POST with a same-origin Origin (the CSRF check in server.mjs), redirects not followed. */
export function postForm(base: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, { method: "POST", body: new URLSearchParams(fields), headers: { ...formHeaders, Origin: base, ...headers }, redirect: "manual" });
}

/** Every message in the dev mailbox (ids, oldest first). */
export async function mailIds(base: string): Promise<number[]> {
  const html = await (await fetch(`${base}/dev/mail`)).text();
  return [...html.matchAll(/href="\/dev\/mail\/(\d+)"/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

/** The messages to `email` (each row of the dev mailbox names the recipient and links to the message). */
export async function mailsTo(base: string, email: string): Promise<number[]> {
  const html = await (await fetch(`${base}/dev/mail`)).text();
  return [...html.matchAll(/<tr[\s\S]*?<\/tr>/g)]
    .filter((m) => m[0].includes(`<td>${email}</td>`))
    .flatMap((m) => [...m[0].matchAll(/href="\/dev\/mail\/(\d+)"/g)].map((x) => Number(x[1])))
    .sort((a, b) => a - b);
}

/** The web links in message `id`. */
export async function linksInMail(base: string, id: number): Promise<string[]> {
  const res = await fetch(`${base}/dev/mail/${id}`);
  expect(res.status, `/dev/mail/${id}`).toBe(200);
  const html = await res.text();
  return [...html.matchAll(/<a href="(https?:\/\/[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));
}

/** Asks for a sign-in link for `email` (optionally with a returnTo) and returns the token from the message this request queued. */
export async function signInToken(base: string, email: string, returnTo?: string, headers: Record<string, string> = {}): Promise<string> {
  const before = await mailsTo(base, email);
  const res = await postForm(base, "/login", { email, ...(returnTo === undefined ? {} : { returnTo }) }, headers);
  expect(res.status, `POST /login ${JSON.stringify(returnTo)}`).toBe(200);
  const fresh = (await mailsTo(base, email)).filter((id) => !before.includes(id));
  expect(fresh.length, `a new sign-in message to ${email}`).toBe(1);
  const link = (await linksInMail(base, fresh[0])).find((l) => l.includes("/login/verify?token="));
  if (!link) throw new Error(`no sign-in link for ${email}`);
  return new URL(link).searchParams.get("token")!;
}

/** Signs `email` in through the emailed link and returns the session cookie (`name=value`). */
export async function signIn(base: string, email: string, headers: Record<string, string> = {}): Promise<string> {
  const token = await signInToken(base, email);
  const res = await postForm(base, "/login/verify", { token }, headers);
  expect(res.status).toBe(302);
  return res.headers.get("set-cookie")!.split(";")[0];
}
