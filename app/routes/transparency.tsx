import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

/** /transparency: the English way in to /insyn, in English, keeping the chosen period. */
export async function loader({ request }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams;
  q.set("lang", "en");
  return redirect(`/insyn?${q.toString()}`, 301);
}
