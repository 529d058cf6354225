import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { badInputOf } from "~/i18n/bad-input";
import { common, defaultLocale, type Locale } from "~/i18n/messages";
import { getLocale } from "~/i18n/locale.server";
import { localStandins } from "~/services/system/startup.server";
import { getCurrentUser, isStaff } from "~/utils/auth.server";
import { useNonce } from "~/utils/nonce";
import { identityNav } from "~/i18n/identity";
import { SiteHeader } from "~/components/ui/site-header";
import styles from "~/styles.css?url";
import tokens from "~/styles/tokens.css?url";
import ui from "~/styles/ui.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: tokens },
  { rel: "stylesheet", href: styles },
  { rel: "stylesheet", href: ui },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const user = await getCurrentUser(request);
  // Only what the frame shows (signed in, staff): the same for every signed-in person who is not staff, so
  // their pages share one render (utils/render-memo.server.ts), and no address travels in every page.
  return { locale, standins: localStandins(), user: user ? { staff: isStaff(user) } : null };
}

type RootData = Awaited<ReturnType<typeof loader>>;

/** The heading and text of the error page for a status, in the reader's language. */
function errorTexts(status: number, locale: Locale): [string, string] {
  const t = common(locale);
  const n = identityNav(locale);
  if (status === 404) return [t.notFoundTitle, t.notFoundText];
  if (status === 403) return [n.forbiddenTitle, n.forbiddenText];
  if (status >= 400 && status < 500) return [t.badRequestTitle, t.badRequestText];
  return [t.errorTitle, t.errorText];
}

const statusOf = (error: unknown) => (isRouteErrorResponse(error) ? error.status : 500);

/**
 * The site name for pages without their own title, and the error page's title: when a route's loader
 * throws (a 404 from $.tsx, a 403), only the root's meta is rendered, so the title must come from here.
 */
export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  const locale = data?.locale ?? (isRouteErrorResponse(error) ? badInputOf(error.data)?.locale : undefined) ?? defaultLocale;
  const site = common(locale).siteName;
  return [{ title: error ? `${errorTexts(statusOf(error), locale)[0]} – ${site}` : site }];
};

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData("root") as RootData | undefined;
  const error = useRouteError();
  const locale = data?.locale ?? (isRouteErrorResponse(error) ? badInputOf(error.data)?.locale : undefined) ?? defaultLocale;
  const t = common(locale);
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t.skipToContent}
        </a>
        {data && (data.standins.payments || data.standins.mail) ? (
          <div className="local-banner" role="note">
            {t.localBanner}{" "}
            {[data.standins.payments ? t.localBannerPayments : null, data.standins.mail ? t.localBannerMail : null]
              .filter(Boolean)
              .join(", ")}
          </div>
        ) : null}
        <SiteHeader locale={locale} user={data?.user ?? null} />
        <main id="main" tabIndex={-1} className="container">
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>
              {t.orgName} · {t.footerVision}
            </p>
            <nav aria-label={t.footerNav} className="footer-links">
              <a href="/insyn">{t.footerTransparency}</a>
              <a href="/about">{t.footerAbout}</a>
            </nav>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData("root") as RootData | undefined;
  // Refused input (readForm) says in which language to answer: the root loader does not run when an action fails.
  const refused = isRouteErrorResponse(error) ? badInputOf(error.data) : undefined;
  const locale = data?.locale ?? refused?.locale ?? defaultLocale;
  const t = common(locale);
  const status = statusOf(error);
  if (status >= 500) console.error(error);
  const [title, generic] = errorTexts(status, locale);
  const text = refused?.message ?? generic;
  return (
    <section className="error-page">
      <h1>{title}</h1>
      <p>{text}</p>
      <p>
        <Link to="/">{t.notFoundHome}</Link>
      </p>
    </section>
  );
}
