import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages, fill } from "~/i18n/messages";
import { allocationOverview, saveAllocationRule } from "~/services/ledger/allocation.server";
import { requireStaff } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { contextFor } from "~/utils/context.server";
import { attempt, readForm } from "~/utils/http.server";
import { rejectSubmission, submittedValues } from "~/utils/forms.server";
import { allocationInput, allocationSchema, shareField } from "~/validation/allocation";
import { parseForm } from "~/validation/parse";
import { DataTable } from "~/components/data-table";
import { AppForm, TextField, useAppForm, type FieldMeta } from "~/components/form";

const messages = defineMessages({
  sv: {
    title: "Fördelning – Lokala mål",
    heading: "Fördelning av gåvor utan valt mål",
    intro: "Gåvor till ”där behovet är störst” delas mellan målen enligt procentsatserna nedan. En ändring gäller gåvor som betalas från och med nu; tidigare gåvor behåller den fördelning som gällde när de betalades. Avrundning: varje mål får sin andel avrundad nedåt till hela ören, och de ören som blir över går ett i taget till de mål som har störst rest (vid lika rest till lägst målnummer).",
    current: "Gäller nu",
    defaultRule: "Ingen fördelning är sparad: gåvorna delas lika mellan alla mål.",
    since: "Sparad {when} av {who}.",
    percent: "Andel i procent för {goal}",
    note: "Anteckning (valfri)",
    save: "Spara ny fördelning",
    saved: "Den nya fördelningen är sparad och gäller från nu.",
    history: "Tidigare versioner",
    historyEmpty: "Inga sparade versioner.",
    validFrom: "Gäller från",
    by: "Av",
    shares: "Andelar",
    percent_invalid: "Skriv en procentsats mellan 0 och 100, med högst två decimaler.",
    sum_not_100: "Andelarna måste tillsammans bli exakt 100 %.",
    note_long: "Anteckningen får vara högst 500 tecken.",
    back: "Till betalningarna",
  },
  en: {
    title: "Allocation – Local goals",
    heading: "Split of gifts without a chosen goal",
    intro: "Gifts to “where the need is greatest” are shared between the goals by the percentages below. A change applies to gifts paid from now on; earlier gifts keep the split in force when they were paid. Rounding: each goal gets its share rounded down to whole öre, and the öre left over go one at a time to the goals with the largest remainder (ties to the lowest goal number).",
    current: "In force now",
    defaultRule: "No split has been saved: gifts are shared equally between all goals.",
    since: "Saved {when} by {who}.",
    percent: "Share in per cent for {goal}",
    note: "Note (optional)",
    save: "Save new split",
    saved: "The new split has been saved and applies from now.",
    history: "Earlier versions",
    historyEmpty: "No saved versions.",
    validFrom: "In force from",
    by: "By",
    shares: "Shares",
    percent_invalid: "Type a percentage between 0 and 100, with at most two decimals.",
    sum_not_100: "The shares must add up to exactly 100%.",
    note_long: "The note can be at most 500 characters.",
    back: "To payments",
  },
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: messages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const locale = await getLocale(request);
  const overview = await allocationOverview(await contextFor(request));
  return { locale, overview, saved: new URL(request.url).searchParams.has("saved") };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const locale = await getLocale(request);
  const submission = parseForm(await readForm(request), allocationSchema);
  if (submission.status !== "success") return rejectSubmission(submission, locale, messages);
  return attempt(
    locale,
    async () => {
      await saveAllocationRule(await contextFor(request), allocationInput(submission.payload));
      return redirect("/admin/allocation?saved");
    },
    { messages, values: submittedValues(submission.payload) },
  );
}

function percentText(bp: number): string {
  return bp % 100 === 0 ? String(bp / 100) : (bp / 100).toFixed(2).replace(".", ",");
}

export default function AdminAllocation() {
  const { locale, overview, saved } = useLoaderData<typeof loader>();
  const t = messages(locale);
  const defaultValue = Object.fromEntries(overview.current.shares.map((s) => [shareField(s.goalId), percentText(s.basisPoints)]));
  const f = useAppForm({ id: "allocation", schema: allocationSchema, result: useActionData<typeof action>(), messages, defaultValue });
  const fields = f.fields as unknown as Record<string, FieldMeta>;
  return (
    <section aria-labelledby="allocation-heading">
      <p>
        <Link to="/admin/payments">← {t.back}</Link>
      </p>
      <h1 id="allocation-heading">{t.heading}</h1>
      <p className="prose">{t.intro}</p>
      {saved ? (
        <p className="notice" role="status">
          {t.saved}
        </p>
      ) : null}
      <h2>{t.current}</h2>
      <p>
        {overview.current.ruleId === null
          ? t.defaultRule
          : fill(t.since, { when: formatDateTime(overview.current.validFrom!, locale), who: overview.current.createdBy ?? "–" })}
      </p>
      <AppForm of={f} className="stack">
        {overview.current.shares.map((s) => (
          <TextField key={s.goalId} inputMode="decimal" autoComplete="off" meta={fields[shareField(s.goalId)]} label={fill(t.percent, { goal: `#${s.number} ${locale === "en" ? s.titleEn : s.titleSv}` })} />
        ))}
        <TextField meta={f.fields.note} label={t.note} />
        <p>
          <button type="submit" className="button">
            {t.save}
          </button>
        </p>
      </AppForm>
      <h2>{t.history}</h2>
      {overview.history.length === 0 ? (
        <p className="empty">{t.historyEmpty}</p>
      ) : (
        <DataTable label={t.history} columns={[t.validFrom, t.by, t.shares]}>
          {overview.history.map((r) => (
            <tr key={r.id}>
              <td>{formatDateTime(r.validFrom, locale)}</td>
              <td>{r.createdBy ?? "–"}</td>
              <td>
                {r.shares.map((s) => `#${s.number}: ${percentText(s.basisPoints)} %`).join(" · ")}
                {r.note ? (
                  <>
                    <br />
                    <small>{r.note}</small>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
