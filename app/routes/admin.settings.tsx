import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { fieldsFrom, type InvoiceFailure } from "~/components/invoice-fields";
import { DoneToast } from "~/components/ui/toast";
import { bankgiroSettingMessages, invoiceErrorMessages } from "~/i18n/invoices";
import { AppForm, EmailField, OrgNumberField, TextareaField, TextField, useAppForm } from "~/components/form";
import { fieldErrorMessages } from "~/i18n/identity-messages";
import { defineMessages } from "~/i18n/messages";
import { getCharityBankgiro, updateCharityBankgiro } from "~/services/settings/charity-bankgiro.server";
import { getCharityIdentity, updateCharityIdentity } from "~/services/settings/charity.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { charityIdentitySchema } from "~/validation/settings";
import { parseForm } from "~/validation/parse";

const messages = defineMessages({
  sv: {
    title: "Organisationens uppgifter – Lokala mål",
    heading: "Organisationens uppgifter i mejl",
    intro: "Uppgifterna visas längst ned i varje mejl. Tomma fält visas inte. Fyll bara i uppgifter som är kontrollerade.",
    name: "Namn",
    organisationNumber: "Organisationsnummer",
    address: "Postadress",
    email: "E-post",
    phone: "Telefon",
    website: "Webbplats",
    save: "Spara",
    saved: "Uppgifterna är sparade.",
    invalid: "Kontrollera de markerade fälten.",
  },
  en: {
    title: "The charity's details – Local goals",
    heading: "The charity's details in emails",
    intro: "These details appear at the foot of every email. Empty fields are left out. Only enter details that have been checked.",
    name: "Name",
    organisationNumber: "Organisation number",
    address: "Postal address",
    email: "Email",
    phone: "Phone",
    website: "Website",
    save: "Save",
    saved: "The details are saved.",
    invalid: "Check the marked fields.",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, identity: await getCharityIdentity(ctx.db), bankgiro: await getCharityBankgiro(ctx.db) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  if (form.get("intent") === "bankgiro") {
    const values = { intent: "bankgiro", bankgiro: String(form.get("bankgiro") ?? "") };
    return attempt(ctx.locale, async () => (await updateCharityBankgiro(ctx, values), redirect("/admin/settings?done=bankgiro")), { messages: invoiceErrorMessages, values });
  }
  const submission = parseForm(form, charityIdentitySchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, fieldErrorMessages);
  const values = submittedValues(submission.payload);
  return attempt(ctx.locale, () => updateCharityIdentity(ctx, submission.payload).then(() => ({ ok: true as const })), { messages: fieldErrorMessages, values });
}

export default function AdminSettings() {
  const { locale, identity, bankgiro } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  // The bankgiro form's refusal belongs to that form only (the identity form keeps its own values).
  const bankgiroFailure = answer && "values" in answer && answer.values.intent === "bankgiro" ? (answer as InvoiceFailure) : null;
  const result = bankgiroFailure ? undefined : answer;
  const t = messages(locale);
  const bg = bankgiroSettingMessages(locale);
  const bankgiroField = fieldsFrom("bankgiro", bankgiroFailure)("bankgiro", bankgiro);
  const f = useAppForm({ id: "settings", schema: charityIdentitySchema, result, messages: fieldErrorMessages, defaultValue: identity });
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading">{t.heading}</h1>
      <p>{t.intro}</p>
      {result?.ok ? (
        <p className="notice" role="status">
          {t.saved}
        </p>
      ) : result ? (
        <p className="form-error" role="alert">
          {t.invalid}
        </p>
      ) : null}
      <AppForm of={f} className="stack">
        <TextField meta={f.fields.name} label={t.name} />
        <OrgNumberField meta={f.fields.organisationNumber} label={t.organisationNumber} />
        <TextareaField meta={f.fields.address} label={t.address} rows={3} max={500} />
        <EmailField meta={f.fields.email} label={t.email} autoComplete="off" />
        <TextField meta={f.fields.phone} label={t.phone} type="tel" />
        <TextField meta={f.fields.website} label={t.website} type="url" />
        <p>
          <button type="submit" className="button">
            {t.save}
          </button>
        </p>
      </AppForm>
      <h2 id="bankgiro-heading">{bg.heading}</h2>
      <p>{bg.intro}</p>
      <DoneToast messages={{ bankgiro: bg.saved }} />
      {bankgiro ? null : (
        <p className="notice warning" role="status">
          {bg.missing}
        </p>
      )}
      <Form method="post" id="bankgiro" className="stack" noValidate aria-labelledby="bankgiro-heading">
        <input type="hidden" name="intent" value="bankgiro" />
        <TextField meta={bankgiroField} label={bg.label} inputMode="numeric" autoComplete="off" />
        <p>
          <button type="submit" className="button">
            {bg.save}
          </button>
        </p>
      </Form>
    </section>
  );
}
