import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { fill } from "~/i18n/messages";
import { simulatorMessages, simulatorStatusLabel } from "~/i18n/simulator";
import {
  assertSimulatorAllowed,
  cardUpdateReturnPath,
  simulateCheckout,
  simulatedCheckout,
  type SimulatorAction,
} from "~/services/payments/simulator.server";
import { orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

export const meta: MetaFunction = () => [{ title: "Betalningssimulator / Payment simulator" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const id = params.id ?? "";
  if (id === "card-update") {
    await orThrowResponse(async () => assertSimulatorAllowed());
    // Only back to a monthly gift's own page in this app: never another site.
    const returnTo = cardUpdateReturnPath(new URL(request.url).searchParams.get("return"), request.url);
    return { locale, cardUpdate: { returnTo }, checkout: null };
  }
  const db = await getDb();
  const checkout = await orThrowResponse(() => simulatedCheckout(db, id));
  return { locale, cardUpdate: null, checkout };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const what = String(form.get("do") ?? "");
  if (!["pay", "decline", "swish_timeout"].includes(what)) return data({ declined: false, error: "unknown_action" }, { status: 400 });
  const db = await getDb();
  const result = await orThrowResponse(() => simulateCheckout(db, params.id ?? "", what as SimulatorAction));
  if (result.redirect) return redirect(result.redirect);
  return data({ declined: !!result.declined, error: null });
}

export default function SimulatedCheckout() {
  const { locale, checkout, cardUpdate } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = simulatorMessages(locale);
  if (cardUpdate) {
    return (
      <section className="simulator" aria-labelledby="sim-title">
        <p className="simulator-label">{t.label}</p>
        <h1 id="sim-title">{t.cardUpdateTitle}</h1>
        <p>{t.cardUpdateText}</p>
        <p>
          <Link className="button" to={cardUpdate.returnTo}>
            {t.back}
          </Link>
        </p>
      </section>
    );
  }
  if (!checkout) return null;
  const goal = (locale === "en" ? checkout.goalTitleEn : checkout.goalTitleSv) ?? t.whereNeeded;
  const swish = checkout.mode === "payment" && checkout.method === "swish";
  return (
    <section className="simulator" aria-labelledby="sim-title">
      <p className="simulator-label">{t.label}</p>
      <h1 id="sim-title">{t.title}</h1>
      <p>{t.intro}</p>
      <p>
        <strong>{fill(t.summary, { kind: checkout.mode === "subscription" ? t.monthly : t.oneOff, amount: formatOre(checkout.amountOre), goal })}</strong>
      </p>
      {actionData?.declined ? (
        <p className="form-error" role="alert">
          {t.declined}
        </p>
      ) : null}
      {checkout.status !== "pending" ? (
        <p className="notice" data-testid="simulator-done" data-status={checkout.status}>
          {fill(t.done, { status: simulatorStatusLabel(locale, checkout.status) })}
        </p>
      ) : (
        <Form method="post" className="button-row">
          <button className="button" type="submit" name="do" value="pay">
            {swish ? t.paySwish : t.payCard}
          </button>
          <button className="button secondary" type="submit" name="do" value="decline">
            {swish ? t.declineSwish : t.declineCard}
          </button>
          {swish ? (
            <button className="button secondary" type="submit" name="do" value="swish_timeout">
              {t.timeout}
            </button>
          ) : null}
        </Form>
      )}
      <p>
        <Link to={`/give/cancelled?ref=${encodeURIComponent(checkout.paymentToken)}`}>{t.cancel}</Link>
      </p>
    </section>
  );
}
