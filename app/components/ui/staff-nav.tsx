import { NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Locale } from "~/i18n/messages";
import { staffNavMessages, uiMessages } from "~/i18n/ui";

type StaffNavKey = keyof ReturnType<typeof staffNavMessages>;

/**
 * The staff area's pages, in the side navigation's order. A new staff page adds a line here and its
 * name to staffNavMessages (app/i18n/ui.ts); `adminOnly` hides it from fundraisers.
 */
export const staffNavItems: { to: string; key: StaffNavKey; adminOnly?: boolean; end?: boolean }[] = [
  { to: "/admin", key: "overview", end: true },
  { to: "/admin/goals", key: "goals" },
  { to: "/admin/payments", key: "payments" },
  { to: "/admin/allocation", key: "allocation" },
  { to: "/admin/corrections", key: "corrections" },
  { to: "/admin/invoices", key: "invoices" },
  { to: "/admin/workplace/runs", key: "payrollRuns" },
  { to: "/admin/organisations", key: "organisations" },
  { to: "/admin/tasks", key: "tasks" },
  { to: "/admin/partnerships", key: "partnerships" },
  { to: "/admin/tiers", key: "tiers" },
  { to: "/admin/partner-terms", key: "partnerTerms" },
  { to: "/admin/workplace", key: "workplace" },
  { to: "/admin/collections", key: "collections" },
  { to: "/admin/impact", key: "impact" },
  { to: "/admin/reports", key: "reports" },
  { to: "/admin/exports", key: "exports" },
  { to: "/admin/settings", key: "settings" },
  { to: "/admin/people", key: "people", adminOnly: true },
  { to: "/admin/audit", key: "audit", adminOnly: true },
  { to: "/admin/email", key: "email", adminOnly: true },
];

function StaffNavList({ locale, admin }: { locale: Locale; admin: boolean }) {
  const t = staffNavMessages(locale);
  return (
    <ul className="staff-nav-list">
      {staffNavItems
        .filter((item) => admin || !item.adminOnly)
        .map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end}>
              {t[item.key]}
            </NavLink>
          </li>
        ))}
    </ul>
  );
}

/**
 * The staff pages' frame: a side navigation next to the page on wide screens; on a phone the
 * navigation folds into a disclosure above the page (details/summary: no JavaScript needed).
 */
export function StaffLayout({ locale, admin, children }: { locale: Locale; admin: boolean; children: ReactNode }) {
  const t = uiMessages(locale);
  const { pathname } = useLocation();
  return (
    <div className="staff-layout">
      <nav className="staff-nav" aria-label={t.staffNav}>
        <StaffNavList locale={locale} admin={admin} />
      </nav>
      {/* Keyed by the path, so the menu is closed again on the page a link in it opened. */}
      <details className="staff-menu" key={pathname}>
        <summary>{t.staffMenu}</summary>
        <nav aria-label={t.staffNav}>
          <StaffNavList locale={locale} admin={admin} />
        </nav>
      </details>
      <div className="staff-main">{children}</div>
    </div>
  );
}
