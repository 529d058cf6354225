import { describe, expect, it } from "vitest";
import { defineMessages } from "~/i18n/messages";
import { anonymousActor, authorOf, requireOrganisationActor, requireStaffActor, SignInRequired, type Actor, type ServiceContext } from "~/services/context";
import { Forbidden, Invalid, NotFound } from "~/services/errors";
import { attempt } from "~/utils/http.server";

const ctxOf = (actor: Actor) => ({ db: null as never, actor, locale: "sv" }) as ServiceContext;
const person = (roles: ("admin" | "fundraiser")[], organisations: { organisationId: number; isAdmin: boolean }[] = []): Actor => ({
  kind: "person",
  personId: 7,
  email: "p@example.org",
  name: null,
  roles,
  organisations,
});

describe("service context", () => {
  it("refuses anonymous visitors and non-staff before anything else", () => {
    expect(() => requireStaffActor(ctxOf(anonymousActor))).toThrow(SignInRequired);
    expect(() => requireStaffActor(ctxOf(person([])))).toThrow(Forbidden);
    expect(requireStaffActor(ctxOf(person(["fundraiser"]))).personId).toBe(7);
    expect(() => requireStaffActor(ctxOf({ kind: "system", name: "stripe" }))).toThrow(SignInRequired);
  });

  it("lets a contact act for their own organisation only", () => {
    const contact = ctxOf(person([], [{ organisationId: 3, isAdmin: false }]));
    expect(requireOrganisationActor(contact, 3).personId).toBe(7);
    expect(() => requireOrganisationActor(contact, 4)).toThrow(Forbidden);
    expect(() => requireOrganisationActor(contact, 3, { admin: true })).toThrow(Forbidden);
    expect(() => requireOrganisationActor(ctxOf(person(["admin"])), 3, { allowStaff: false })).toThrow(Forbidden);
  });

  it("names the author of append-only rows", () => {
    expect(authorOf(person(["admin"]))).toBe("staff:p@example.org");
    expect(authorOf(person([]))).toBe("person:7");
    expect(authorOf({ kind: "system", name: "stripe:evt_1" })).toBe("stripe:evt_1");
  });
});

describe("attempt: typed service errors become 4xx in the reader's language", () => {
  const messages = defineMessages({ sv: { amount_low: "Beloppet är för lågt." }, en: { amount_low: "The amount is too low." } });

  it("translates field codes by the area's words, and the refusal by the common ones", async () => {
    const result = await attempt("en", () => Promise.reject(new Invalid("invalid", { amount: "amount_low", name: "unknown_code" })), { messages, values: { amount: "1" } });
    const { data, init } = result as unknown as { data: Record<string, unknown>; init: { status: number } };
    expect(init.status).toBe(400);
    expect(data).toEqual({
      ok: false,
      error: "invalid",
      message: "Something you filled in needs correcting. See the messages next to the fields.",
      fieldErrors: { amount: "The amount is too low.", name: "Check this field." },
      values: { amount: "1" },
    });
    const sv = (await attempt("sv", () => Promise.reject(new NotFound()))) as unknown as { data: { message: string }; init: { status: number } };
    expect([sv.init.status, sv.data.message]).toEqual([404, "Det du letar efter finns inte (längre)."]);
  });

  it("passes results, redirects and real failures through", async () => {
    expect(await attempt("sv", async () => 42)).toBe(42);
    await expect(attempt("sv", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    const redirect = new Response(null, { status: 302 });
    await expect(attempt("sv", () => Promise.reject(redirect))).rejects.toBe(redirect);
  });
});
