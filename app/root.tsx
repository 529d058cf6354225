import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { common, defaultLocale, type Locale } from "~/i18n/messages";
import { getLocale } from "~/i18n/locale.server";
import { localStandins } from "~/services/system/startup.server";
import { getCurrentUser, isStaff } from "~/utils/auth.server";
import { useNonce } from "~/utils/nonce";
import { identityNav } from "~/i18n/identity";
import styles from "~/styles.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const user = await getCurrentUser(request);
  return { locale, standins: localStandins(), user: user ? { email: user.email, staff: isStaff(user) } : null };
}

type RootData = Awaited<ReturnType<typeof loader>>;

function LanguageSwitch({ locale }: { locale: Locale }) {
  const location = useLocation();
  const t = common(locale);
  const next: Locale = locale === "sv" ? "en" : "sv";
  return (
    <form method="post" action="/lang" className="lang-switch">
      <input type="hidden" name="lang" value={next} />
      <input type="hidden" name="returnTo" value={location.pathname + location.search} />
      <button type="submit" aria-label={t.switchLanguageLabel} lang={next}>
        {t.switchLanguage}
      </button>
    </form>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData("root") as RootData | undefined;
  const locale = data?.locale ?? defaultLocale;
  const t = common(locale);
  const n = identityNav(locale);
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
        <header className="site-header">
          <div className="container header-inner">
            <Link to="/" className="brand">
              <span className="brand-name">{t.siteName}</span>
              <span className="brand-org">{t.orgName}</span>
            </Link>
            <nav aria-label={t.navMain}>
              <ul className="nav-list">
                <li>
                  <NavLink to="/" end>
                    {t.navGoals}
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/give">{t.navGive}</NavLink>
                </li>
                <li>
                  <NavLink to="/about">{t.navAbout}</NavLink>
                </li>
                {data?.user?.staff ? (
                  <li>
                    <NavLink to="/admin">{n.navAdmin}</NavLink>
                  </li>
                ) : null}
                <li>
                  {data?.user ? <NavLink to="/account">{n.navAccount}</NavLink> : <NavLink to="/login">{n.navLogin}</NavLink>}
                </li>
              </ul>
            </nav>
            <LanguageSwitch locale={locale} />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="container">
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>
              {t.orgName} · {t.footerVision}
            </p>
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
  const t = common(data?.locale ?? defaultLocale);
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const n = identityNav(data?.locale ?? defaultLocale);
  if (status >= 500) console.error(error);
  const [title, text] =
    status === 404
      ? [t.notFoundTitle, t.notFoundText]
      : status === 403
        ? [n.forbiddenTitle, n.forbiddenText]
        : status >= 400 && status < 500
          ? [t.badRequestTitle, t.badRequestText]
          : [t.errorTitle, t.errorText];
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
