import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getDb } from "~db/client.server";
import { getLocale } from "~/i18n/locale.server";
import { defineMessages, fill } from "~/i18n/messages";
import { assertSimulatorAllowed, simulateCheckout, simulatedCheckout, type SimulatorAction } from "~/services/payments/simulator.server";
import { orThrowResponse, readForm } from "~/utils/http.server";
import { formatOre } from "~/utils/money";

const messages = defineMessages({
  sv: {
    title: "Betalningssimulator",
    label: "SIMULATOR – inga riktiga pengar",
    intro: "Det här är appens lokala betalningssimulator. Den visas eftersom ingen Stripe-nyckel är satt. Knapparna skapar samma händelser som Stripe skulle skicka och hanteras av samma kod som webhooken.",
    summary: "{kind} på {amount} till {goal}.",
    oneOff: "Engångsgåva",
    monthly: "Månadsgåva (kort)",
    whereNeeded: "där behovet är störst",
    payCard: "Betala med kort",
    paySwish: "Betala med Swish",
    declineCard: "Kortet nekas",
    declineSwish: "Avböj i Swish-appen",
    timeout: "Låt Swish-betalningen gå ut (3 minuter)",
    cancel: "Avbryt och gå tillbaka",
    declined: "Kortet nekades (simulerat). Försök igen eller avbryt.",
    done: "Den här betalningen är redan avslutad ({status}).",
    cardUpdateTitle: "Uppdatera kort (simulerat)",
    cardUpdateText: "I skarpt läge öppnar Stripe här en sida där givaren byter kort. I simulatorn finns inget kort att byta.",
    back: "Tillbaka",
  },
  en: {
    title: "Payment simulator",
    label: "SIMULATOR – no real money",
    intro: "This is the app's local payment simulator. It is shown because no Stripe key is set. The buttons create the same events Stripe would send, handled by the same code as the webhook.",
    summary: "{kind} of {amount} to {goal}.",
    oneOff: "One-off gift",
    monthly: "Monthly gift (card)",
    whereNeeded: "where the need is greatest",
    payCard: "Pay by card",
    paySwish: "Pay with Swish",
    declineCard: "Card is declined",
    declineSwish: "Decline in the Swish app",
    timeout: "Let the Swish payment expire (3 minutes)",
    cancel: "Cancel and go back",
    declined: "The card was declined (simulated). Try again or cancel.",
    done: "This payment has already finished ({status}).",
    cardUpdateTitle: "Update card (simulated)",
    cardUpdateText: "In live mode Stripe opens a page here where the donor changes the card. The simulator has no card to change.",
    back: "Back",
  },
});

export const meta: MetaFunction = () => [{ title: "Betalningssimulator / Payment simulator" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const id = params.id ?? "";
  if (id === "card-update") {
    await orThrowResponse(async () => assertSimulatorAllowed());
    const back = new URL(request.url).searchParams.get("return") ?? "/";
    // Only back to a monthly gift's own page in this app: never another site.
    const returnTo = /^\/give\/monthly\/[A-Za-z0-9._-]+$/.test(back) ? back : "/";
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
  const t = messages(locale);
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
        <p className="notice">{fill(t.done, { status: checkout.status })}</p>
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
