import { describe, expect, it } from "vitest";
import { errorText, formTexts } from "~/components/form/texts";
import { submissionResultOf } from "~/components/form/form";
import { fieldErrorMessages } from "~/i18n/identity-messages";
import { rejectSubmission } from "~/utils/forms.server";
import { kronorField, orgNumberField } from "~/validation/fields";
import { loginSchema } from "~/validation/login";
import { parseForm } from "~/validation/parse";
import { charityIdentitySchema } from "~/validation/settings";

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe("shared form schemas and their messages", () => {
  it("a refused form becomes a 400 with each field's text in the page's language and the typed values", () => {
    const submission = parseForm(form({ name: "", email: "inte-en-adress", website: "x" }), charityIdentitySchema);
    expect(submission.status).toBe("error");
    const sv = rejectSubmission(submission, "sv", fieldErrorMessages);
    expect(sv.init?.status).toBe(400);
    expect(sv.data.fieldErrors).toEqual({ name: "Fältet måste fyllas i.", email: "Skriv en giltig e-postadress.", website: "Skriv en hel webbadress som börjar med https://." });
    expect(sv.data.values).toMatchObject({ email: "inte-en-adress", website: "x" });
    const en = rejectSubmission(submission, "en", fieldErrorMessages);
    expect(en.data.fieldErrors.email).toBe("Enter a valid email address.");
  });

  it("the browser's text for a code is the server's text for it (one dictionary)", () => {
    const submission = parseForm(form({ email: "" }), loginSchema);
    const code = submission.status === "error" ? submission.error?.email?.[0] : undefined;
    expect(code).toBe("email_required");
    const server = rejectSubmission(submission, "en", fieldErrorMessages).data.fieldErrors.email;
    expect(errorText(formTexts("en", fieldErrorMessages), code)).toBe(server);
    // The server's text goes back into the form as it is; an unknown code never shows as a code.
    const result = submissionResultOf({ ok: false, fieldErrors: { email: server, _form: "Samma sak" }, values: { email: "" } });
    expect(result?.error).toEqual({ email: [server], "": ["Samma sak"] });
    expect(errorText(formTexts("sv"), "no_such_code")).toBe("Kontrollera det här fältet.");
  });

  it("amounts in kronor as people type them, and organisation numbers normalised", () => {
    const amount = kronorField({ minOre: 2000n, maxOre: 10_000_000n });
    expect(amount.parse("1 000,50")).toBe(100_050n);
    expect(amount.parse("99.5 kr")).toBe(9_950n);
    expect(amount.safeParse("10").error?.issues[0].message).toBe("amount_min");
    expect(amount.safeParse("tio").error?.issues[0].message).toBe("amount_invalid");
    expect(orgNumberField.parse("5560360793")).toBe("556036-0793");
    expect(orgNumberField.parse("")).toBeNull();
    expect(orgNumberField.safeParse("556036-0794").error?.issues[0].message).toBe("org_number_checksum");
  });
});
