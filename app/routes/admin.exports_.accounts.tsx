import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { AppForm, TextField, useAppForm } from "~/components/form";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { exportErrorMessages, exportMessages, purposeLabel } from "~/i18n/exports";
import { bookkeepingPurposes } from "~/services/exports/accounts";
import { getBookkeepingAccounts, saveBookkeepingAccounts } from "~/services/exports/accounts.server";
import { requireStaff } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { accountsSchema } from "~/validation/exports";
import { parseForm } from "~/validation/parse";

/** /admin/exports/accounts: the account per purpose the SIE export books on (defaults: BAS suggestions). */

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: exportMessages(data?.locale ?? "sv").accountsTitle }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const { saved, ...accounts } = await orThrowResponse(() => getBookkeepingAccounts(ctx));
  return { locale: ctx.locale, accounts, saved };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request);
  const ctx = await contextFor(request);
  const submission = parseForm(await readForm(request), accountsSchema);
  if (submission.status !== "success") return rejectSubmission(submission, ctx.locale, exportErrorMessages);
  const values = submittedValues(submission.payload);
  return attempt(ctx.locale, async () => (await saveBookkeepingAccounts(ctx, values), redirect("/admin/exports/accounts?done=saved")), { messages: exportErrorMessages, values });
}

export default function ExportAccounts() {
  const { locale, accounts, saved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = exportMessages(locale);
  const defaultValue = Object.fromEntries(bookkeepingPurposes.flatMap((p) => [[p, accounts[p].account], [`${p}_name`, accounts[p].name]]));
  const f = useAppForm({ id: "export-accounts", schema: accountsSchema, result, messages: exportErrorMessages, defaultValue });
  const fields = f.fields as unknown as Record<string, Parameters<typeof TextField>[0]["meta"]>;
  return (
    <section aria-labelledby="accounts-heading">
      <PageHeader id="accounts-heading" title={t.accountsHeading} lead={t.accountsLead} back={{ to: "/admin/exports", label: t.back }} />
      <DoneToast messages={{ saved: t.saved }} />
      <AppForm of={f} className="stack">
        {bookkeepingPurposes.map((p) => (
          <fieldset key={p}>
            <legend>
              {purposeLabel(p, locale)}
              {saved.includes(p) ? null : ` (${t.usingDefault})`}
            </legend>
            <TextField meta={fields[p]} label={`${t.account}: ${purposeLabel(p, locale)}`} inputMode="numeric" autoComplete="off" />
            <TextField meta={fields[`${p}_name`]} label={`${t.accountName}: ${purposeLabel(p, locale)}`} autoComplete="off" />
          </fieldset>
        ))}
        <p>
          <button type="submit" className="button">
            {t.save}
          </button>
        </p>
      </AppForm>
    </section>
  );
}
