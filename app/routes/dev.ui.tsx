import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DoneToast } from "~/components/ui/toast";
import { UiSpecimens } from "~/components/ui/ui-specimens";
import { devUiMessages } from "~/i18n/dev-ui";
import { getLocale } from "~/i18n/locale.server";
import { requireLocalMode } from "~/services/system/local-only.server";
import { readForm } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: devUiMessages(data?.locale ?? "sv").title }];

export async function loader({ request }: LoaderFunctionArgs) {
  requireLocalMode();
  return { locale: await getLocale(request) };
}

/** The sample confirmation's second step: writes nothing, and shows the toast a real action would. */
export async function action({ request }: ActionFunctionArgs) {
  requireLocalMode();
  await readForm(request);
  return redirect("/dev/ui?done=removed");
}

export default function DevUi() {
  const { locale } = useLoaderData<typeof loader>();
  const t = devUiMessages(locale);
  return (
    <section aria-labelledby="ui-heading">
      <h1 id="ui-heading">{t.heading}</h1>
      <p>{t.intro}</p>
      <DoneToast />
      <div className="ui-columns">
        <UiSpecimens locale="sv" />
        <UiSpecimens locale="en" />
      </div>
    </section>
  );
}
