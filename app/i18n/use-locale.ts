import { useRouteLoaderData } from "@remix-run/react";
import { defaultLocale, type Locale } from "./messages";

/** The page's language, as the root loader decided it. */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: Locale } | undefined;
  return data?.locale ?? defaultLocale;
}
