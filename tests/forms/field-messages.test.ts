import { describe, expect, it } from "vitest";
import { withPageLanguage } from "~/components/form/form";
import { Invalid } from "~/services/errors";
import { failureOf } from "~/utils/http.server";

/**
 * Two rules of the forms' messages (issue 10 item 2) that need no server: a service's refusal of a
 * shared field code is worded by app/i18n/forms.ts when the area has no word for it, and a form that
 * posts to another address keeps the page's ?lang= (so an English page is refused in English).
 */
describe("a service's field codes fall back to the shared form words", () => {
  it("an area without its own word for 'required' or 'too_long' gets the forms dictionary's, in the reader's language", () => {
    const error = new Invalid("invalid", { title: "required", story: "too_long", other: "no_such_code" });
    expect(failureOf(error, "en", () => ({})).fieldErrors).toEqual({ title: "This field is required.", story: "The text is too long.", other: "Check this field." });
    expect(failureOf(error, "sv").fieldErrors).toEqual({ title: "Fältet måste fyllas i.", story: "Texten är för lång.", other: "Kontrollera det här fältet." });
  });

  it("the area's own word still comes first", () => {
    expect(failureOf(new Invalid("invalid", { title: "required" }), "en", () => ({ required: "Give the page a title." })).fieldErrors.title).toBe("Give the page a title.");
  });
});

describe("withPageLanguage", () => {
  it("adds the page's lang to an explicit action, keeping its own query", () => {
    expect(withPageLanguage("/admin/impact", "?lang=en")).toBe("/admin/impact?lang=en");
    expect(withPageLanguage("/admin/impact?edit=3", "?x=1&lang=en")).toBe("/admin/impact?edit=3&lang=en");
  });

  it("leaves an action alone when the page has no lang, the action has one, or there is no action", () => {
    expect(withPageLanguage("/admin/impact", "")).toBe("/admin/impact");
    expect(withPageLanguage("/admin/impact?lang=sv", "?lang=en")).toBe("/admin/impact?lang=sv");
    expect(withPageLanguage(undefined, "?lang=en")).toBeUndefined();
  });
});
