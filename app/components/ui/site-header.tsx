import { useLocation } from "@remix-run/react";
import { identityNav } from "~/i18n/identity";
import { common, type Locale } from "~/i18n/messages";
import { uiMessages } from "~/i18n/ui";
import { FrameLink, FrameNavLink } from "~/components/ui/nav-link";

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

function NavItems({ locale, user }: { locale: Locale; user: { staff: boolean } | null }) {
  const t = common(locale);
  const n = identityNav(locale);
  return (
    <ul className="nav-list">
      <li>
        <FrameNavLink to="/" end>
          {t.navGoals}
        </FrameNavLink>
      </li>
      <li>
        <FrameNavLink to="/give">{t.navGive}</FrameNavLink>
      </li>
      <li>
        <FrameNavLink to="/about">{t.navAbout}</FrameNavLink>
      </li>
      {user?.staff ? (
        <li>
          <FrameNavLink to="/admin">{n.navAdmin}</FrameNavLink>
        </li>
      ) : null}
      <li>{user ? <FrameNavLink to="/account">{n.navAccount}</FrameNavLink> : <FrameNavLink to="/login">{n.navLogin}</FrameNavLink>}</li>
    </ul>
  );
}

/**
 * The site's header. Wide screens show the navigation in a row; at 600 px and narrower it folds into a
 * "Meny" disclosure (details/summary, so it opens without JavaScript). The two copies of the list are
 * never visible at once (display: none hides the other from screen readers too).
 */
export function SiteHeader({ locale, user }: { locale: Locale; user: { staff: boolean } | null }) {
  const t = common(locale);
  const location = useLocation();
  return (
    <header className="site-header">
      <div className="container header-inner">
        <FrameLink to="/" className="brand">
          <span className="brand-name">{t.siteName}</span>
          <span className="brand-org">{t.orgName}</span>
        </FrameLink>
        <nav aria-label={t.navMain} className="site-nav">
          <NavItems locale={locale} user={user} />
        </nav>
        <LanguageSwitch locale={locale} />
        {/* Keyed by the path: following a link from the open menu shows the new page with it closed. */}
        <details className="site-menu" key={location.pathname}>
          <summary>{uiMessages(locale).menu}</summary>
          <nav aria-label={t.navMain}>
            <NavItems locale={locale} user={user} />
          </nav>
        </details>
      </div>
    </header>
  );
}
