import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getLocale, localeCookie } from "~/i18n/locale.server";
import { readSessionToken, serializeSessionToken, sessionCookie } from "~/utils/session-cookie.server";
import { useIdentityEnv } from "../identity/helpers";

const token = "t".repeat(43);

describe("what every page reads from its request, read once", () => {
  beforeAll(() => {
    useIdentityEnv();
  });
  afterEach(() => vi.restoreAllMocks());

  it("checks the signature of a Cookie header once, and still refuses a changed one", async () => {
    const header = `lang=x; ${(await serializeSessionToken(token)).split(";")[0]}`;
    const parse = vi.spyOn(sessionCookie(), "parse");
    const read = (cookie: string) => readSessionToken(new Request("http://localhost/", { headers: { cookie } }));
    expect(await read(header)).toBe(token);
    expect(await read(header)).toBe(token);
    // The same header on a later request is not checked again (an HMAC per request before).
    expect(parse).toHaveBeenCalledTimes(1);
    // One character of the signature changed is another header: checked, and refused, every time.
    const forged = header.slice(0, -1) + (header.endsWith("A") ? "B" : "A");
    expect(await read(forged)).toBeNull();
    expect(await read(forged)).toBeNull();
    expect(parse).toHaveBeenCalledTimes(2);
    expect(await readSessionToken(new Request("http://localhost/"))).toBeNull();
  });

  it("works a request's locale out once however many loaders ask, from ?lang= before the cookie", async () => {
    const parse = vi.spyOn(localeCookie, "parse");
    const request = new Request("http://localhost/give", { headers: { cookie: await localeCookie.serialize("en") } });
    expect(await getLocale(request)).toBe("en");
    expect(await getLocale(request)).toBe("en");
    expect(await getLocale(request)).toBe("en");
    expect(parse).toHaveBeenCalledTimes(1);
    expect(await getLocale(new Request("http://localhost/give?lang=sv", { headers: { cookie: await localeCookie.serialize("en") } }))).toBe("sv");
    expect(await getLocale(new Request("http://localhost/give"))).toBe("sv");
  });
});
