import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { fieldErrorMessages, translateFieldErrors } from "~/i18n/identity-messages";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages } from "~/i18n/messages";
import { charityIdentityKeys } from "~/services/settings/charity";
import { getCharityIdentity, updateCharityIdentity } from "~/services/settings/charity.server";
import { requireStaff } from "~/utils/auth.server";
import { FieldError, fieldAria } from "~/components/field-error";
import { ServiceError } from "~/services/errors";
import { readForm } from "~/utils/http.server";

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
  return { locale: await getLocale(request), identity: await getCharityIdentity(await getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const input = Object.fromEntries([...(await readForm(request)).entries()].map(([k, v]) => [k, String(v)]));
  try {
    await updateCharityIdentity(await getDb(), user.personId, input);
    return { ok: true as const };
  } catch (error) {
    // Bad input: 4xx, each message next to its field, what was typed kept (also without JavaScript).
    if (error instanceof ServiceError) return data({ ok: false as const, fieldErrors: error.fieldErrors ?? {}, values: input }, { status: error.status });
    throw error;
  }
}

export default function AdminSettings() {
  const { locale, identity } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = messages(locale);
  const errors = result && !result.ok ? translateFieldErrors(result.fieldErrors, fieldErrorMessages(locale)) : {};
  const values: Record<string, string> = result && !result.ok ? result.values : {};
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
      <Form method="post" className="stack" noValidate>
        {charityIdentityKeys.map((key) => (
          <div key={key}>
            <label htmlFor={`identity-${key}`}>{t[key]}</label>
            {key === "address" ? (
              <textarea id={`identity-${key}`} name={key} rows={3} defaultValue={values[key] ?? identity[key]} {...fieldAria(`identity-${key}`, errors[key])} />
            ) : (
              <input
                id={`identity-${key}`}
                type={key === "email" ? "email" : key === "website" ? "url" : key === "phone" ? "tel" : "text"}
                name={key}
                defaultValue={values[key] ?? identity[key]}
                {...fieldAria(`identity-${key}`, errors[key])}
              />
            )}
            <FieldError id={`identity-${key}`} message={errors[key]} />
          </div>
        ))}
        <p>
          <button type="submit" className="button">
            {t.save}
          </button>
        </p>
      </Form>
    </section>
  );
}
