import { Link, NavLink, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * The header's links on every page, and the plain links of the busiest pages. In the browser they are Remix's NavLink
 * and Link, with everything those do there (client navigation, prefetch, the active class following the
 * location). On the server a link does nothing but render its `<a>`, and Remix's pair costs a dozen
 * hooks per link for it (useHref, useResolvedPath, useNavigate through useLinkClickHandler, path
 * resolution of `to` against the route matches): the header draws its list twice, and these hooks were
 * about 9 % of a signed-in page's CPU (issue 10 item 6). So the server writes the same `<a>` itself, for
 * the plain absolute paths the frame links to (anything else still goes through Remix). The markup is
 * byte for byte NavLink's and Link's, so hydration finds what it expects:
 * tests/pages/nav-links.test.tsx holds that for active, inactive, nested and differently cased paths.
 */
const onServer = typeof document === "undefined";
const PLAIN_PATH = /^\/[A-Za-z0-9/_-]*$/;
/**
 * What FrameLink writes itself: a plain absolute path (not `//`, which a URL reads as a host), with a query and
 * a fragment of characters that Link's path resolution and URL encoding leave as they are. The pages' own
 * links (a goal's give button, the partner wall's join links, the home page's goal cards) are these.
 */
const PLAIN_TARGET = /^\/(?!\/)[A-Za-z0-9/_-]*(\?[A-Za-z0-9_.=&-]+)?(#[A-Za-z0-9_-]+)?$/;

/**
 * Whether NavLink (react-router-dom 6, caseSensitive false, no basename) marks `to` active at `pathname`:
 * the same path, or (without `end`) a path below it.
 */
export function isActivePath(pathname: string, to: string, end = false): boolean {
  const location = pathname.toLowerCase();
  const target = to.toLowerCase();
  // A trailing slash in `to` is looked at in place; otherwise the slash after it (NavLink's endSlashPosition).
  const slashAt = target !== "/" && target.endsWith("/") ? target.length - 1 : target.length;
  return location === target || (!end && location.startsWith(target) && location.charAt(slashAt) === "/");
}

export function FrameNavLink({ to, end, children }: { to: string; end?: boolean; children: ReactNode }) {
  if (!onServer || !PLAIN_PATH.test(to)) {
    return (
      <NavLink to={to} end={end}>
        {children}
      </NavLink>
    );
  }
  return <ServerNavLink to={to} end={end}>{children}</ServerNavLink>;
}

function ServerNavLink({ to, end, children }: { to: string; end?: boolean; children: ReactNode }) {
  const active = isActivePath(useLocation().pathname, to, end);
  // Attribute order as NavLink writes them (Remix's data-discover, then react-router-dom's).
  return (
    <a data-discover="true" aria-current={active ? "page" : undefined} className={active ? "active" : ""} href={to}>
      {children}
    </a>
  );
}

/**
 * Remix's Link in the browser; on the server, for a plain target (PLAIN_TARGET), the same `<a>` written
 * directly. Used by the frame and by the pages rendered for every visitor (home, a goal's page).
 */
export function FrameLink({ to, className, children }: { to: string; className?: string; children: ReactNode }) {
  if (!onServer || !PLAIN_TARGET.test(to)) {
    return (
      <Link to={to} className={className}>
        {children}
      </Link>
    );
  }
  return (
    <a className={className} data-discover="true" href={to}>
      {children}
    </a>
  );
}
