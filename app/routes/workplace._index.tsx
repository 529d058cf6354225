import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { AppForm, useAppForm } from "~/components/form";
import { DataTable } from "~/components/ui/data-table";
import { EmptyState } from "~/components/ui/empty-state";
import { PageHeader } from "~/components/ui/page-header";
import { DoneToast } from "~/components/ui/toast";
import { PledgeTermsFields } from "~/components/workplace/pledge-fields";
import { fill, type Locale } from "~/i18n/messages";
import { monthName, workplacePledgeErrors, workplacePledgeMessages } from "~/i18n/workplace-pledge";
import type { MyPledge, PledgeTermsView } from "~/services/workplace/pledge-read.server";
import { myWorkplaceGiving } from "~/services/workplace/pledge-read.server";
import { changePledge, pausePledge, stopPledge } from "~/services/workplace/pledge.server";
import { requireUser } from "~/utils/auth.server";
import { contextFor } from "~/utils/context.server";
import { attempt, orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";
import { idSchema } from "~/validation/fields";
import { changePledgeFormSchema, perMilleText } from "~/validation/workplace-pledge";

/** /workplace: the employee's own payroll giving (issue 13 item 4): change, pause, stop, history, summaries. */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: workplacePledgeMessages(data?.locale ?? "sv").mineTitle }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  return { locale: ctx.locale, pledges: await orThrowResponse(() => myWorkplaceGiving(ctx)), year: new Date().getUTCFullYear() };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const ctx = await contextFor(request);
  const form = await readForm(request);
  const values = Object.fromEntries([...form].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const id = idSchema.safeParse(values.pledgeId);
  const pledgeId = id.success ? id.data : 0;
  const intent = values.intent;
  const run = intent === "pause" ? pausePledge : intent === "stop" ? stopPledge : changePledge;
  const done = intent === "pause" ? "paused" : intent === "stop" ? "stopped" : "saved";
  return attempt(ctx.locale, () => run(ctx, pledgeId, values).then(() => redirect(`/workplace?done=${done}`)), { messages: (l: Locale) => workplacePledgeErrors(l), values });
}

function termsText(terms: PledgeTermsView, locale: Locale): string {
  const t = workplacePledgeMessages(locale);
  if (terms.state === "paused") return fill(t.nowPaused, { month: monthName(terms.fromMonth, locale) });
  if (terms.state === "stopped") return fill(t.nowStopped, { month: monthName(terms.fromMonth, locale) });
  return terms.kind === "fixed" && terms.amountOre ? fill(t.nowFixed, { amount: formatOre(terms.amountOre) }) : fill(t.nowPerMille, { rate: perMilleText(terms.rateTenths ?? 0, locale) });
}

export default function MyWorkplaceGiving() {
  const { locale, pledges, year } = useLoaderData<typeof loader>();
  const t = workplacePledgeMessages(locale);
  return (
    <section aria-labelledby="mine-heading" className="stack">
      <PageHeader id="mine-heading" title={t.mineTitle} lead={t.mineLead} />
      <DoneToast messages={{ saved: t.done_saved, paused: t.done_paused, stopped: t.done_stopped, joined: t.done_joined }} />
      {pledges.length === 0 ? <EmptyState title={t.mineTitle}>{t.none}</EmptyState> : pledges.map((p) => <PledgeCard key={p.pledgeId} pledge={p} locale={locale} />)}
      {pledges.length ? (
        <p>
          <Link to={`/workplace/summary/${year}`}>{fill(t.summaryFor, { year })}</Link> · <Link to={`/workplace/summary/${year - 1}`}>{fill(t.summaryFor, { year: year - 1 })}</Link>
        </p>
      ) : null}
    </section>
  );
}

function PledgeCard({ pledge, locale }: { pledge: MyPledge; locale: Locale }) {
  const t = workplacePledgeMessages(locale);
  const names = new Map(pledge.goals.map((g) => [g.id, g.title]));
  const live = pledge.terms.length > 0 && pledge.terms[pledge.terms.length - 1].state !== "stopped" && !pledge.programmeClosed;
  const upcoming = pledge.terms.filter((r) => r.fromMonth > (pledge.current?.fromMonth ?? ""));
  const goalsText = (terms: PledgeTermsView) => terms.goals.map((g) => (terms.goals.length > 1 ? `${names.get(g.goalId) ?? g.goalId} ${g.percent} %` : (names.get(g.goalId) ?? String(g.goalId)))).join(", ");
  return (
    <article aria-labelledby={`pledge-${pledge.pledgeId}`} className="card stack" data-testid="workplace-pledge">
      <h2 id={`pledge-${pledge.pledgeId}`}>{pledge.organisationName}</h2>
      <p data-testid="pledge-now">
        <strong>{t.now}:</strong> {pledge.current ? `${termsText(pledge.current, locale)} · ${goalsText(pledge.current)}` : "–"}
      </p>
      {upcoming.map((r) => (
        <p key={r.fromMonth}>{fill(t.upcoming, { month: monthName(r.fromMonth, locale), what: `${termsText(r, locale)} · ${goalsText(r)}` })}</p>
      ))}
      {live ? <ChangeForms pledge={pledge} locale={locale} /> : null}
      <h3>{t.history}</h3>
      {pledge.history.length === 0 ? (
        <p>{t.historyEmpty}</p>
      ) : (
        <DataTable
          label={t.history}
          columns={[
            { label: t.month, cell: (h) => monthName(h.month, locale), nowrap: true },
            { label: t.goalCol, cell: (h) => h.goalTitle },
            { label: t.amountCol, cell: (h) => formatOre(h.amountOre), numeric: true },
          ]}
          rows={pledge.history}
          rowKey={(h) => `${h.month}-${h.goalId}`}
        />
      )}
    </article>
  );
}

function ChangeForms({ pledge, locale }: { pledge: MyPledge; locale: Locale }) {
  const t = workplacePledgeMessages(locale);
  const errors = useMemo(() => (l: Locale) => workplacePledgeErrors(l, { minimumOre: pledge.rules.minimumOre }), [pledge.rules.minimumOre]);
  const schema = useMemo(() => changePledgeFormSchema(pledge.rules), [pledge.rules]);
  const actionData = useActionData<typeof action>();
  const mine = actionData && "values" in actionData && actionData.values?.pledgeId === String(pledge.pledgeId) ? actionData : undefined;
  const forChange = mine && (mine.values?.intent ?? "change") === "change" ? mine : undefined;
  const current = pledge.current;
  const f = useAppForm({
    id: `workplace-change-${pledge.pledgeId}`,
    schema,
    result: forChange,
    messages: errors,
    defaultValue: {
      kind: current?.kind ?? "fixed",
      amount: current?.amountOre ? String(Number(current.amountOre) / 100) : "",
      rate: current?.rateTenths ? perMilleText(current.rateTenths, locale) : "",
      goalMode: (current?.goals.length ?? 1) > 1 ? "split" : "one",
      goal: current?.goals.length === 1 ? String(current.goals[0].goalId) : "",
      ...Object.fromEntries((current?.goals ?? []).map((g) => [`share-${g.goalId}`, String(g.percent)])),
      fromMonth: pledge.months[0]?.slice(0, 7),
    },
  });
  const fields = f.fields as unknown as Parameters<typeof PledgeTermsFields>[0]["fields"];
  const endError = mine && mine.values?.intent !== "change" ? (mine.fieldErrors.fromMonth ?? mine.message) : null;
  const monthOptions = pledge.months.map((m) => (
    <option key={m} value={m.slice(0, 7)}>
      {monthName(m, locale)}
    </option>
  ));
  return (
    <>
      <section aria-labelledby={`change-${pledge.pledgeId}`} className="stack">
        <h3 id={`change-${pledge.pledgeId}`}>{t.change}</h3>
        <AppForm of={f} className="stack">
          <input type="hidden" name="intent" value="change" />
          <input type="hidden" name="pledgeId" value={pledge.pledgeId} />
          <PledgeTermsFields fields={fields} locale={locale} goals={pledge.goals} months={pledge.months} minimumOre={pledge.rules.minimumOre} perMilleOffered={pledge.rules.perMilleOffered} monthField="fromMonth" monthLabel={t.fromMonth} />
          <p>
            <button type="submit" className="button">
              {t.save}
            </button>
          </p>
        </AppForm>
      </section>
      {endError ? (
        <p className="form-error" role="alert">
          {endError}
        </p>
      ) : null}
      {(["pause", "stop"] as const).map((intent) => (
        <section key={intent} aria-labelledby={`${intent}-${pledge.pledgeId}`} className="stack">
          <h3 id={`${intent}-${pledge.pledgeId}`}>{intent === "pause" ? t.pause : t.stop}</h3>
          <p>{intent === "pause" ? t.pauseText : t.stopText}</p>
          <Form method="post" className="button-row">
            <input type="hidden" name="intent" value={intent} />
            <input type="hidden" name="pledgeId" value={pledge.pledgeId} />
            <label htmlFor={`${intent}-month-${pledge.pledgeId}`}>{t.fromMonth}</label>
            <select id={`${intent}-month-${pledge.pledgeId}`} name="fromMonth" defaultValue={pledge.months[0]?.slice(0, 7)}>
              {monthOptions}
            </select>
            <button type="submit" className="button secondary">
              {intent === "pause" ? t.pauseButton : t.stopButton}
            </button>
          </Form>
        </section>
      ))}
    </>
  );
}
