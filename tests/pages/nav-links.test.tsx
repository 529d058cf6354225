import { Link, NavLink } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { FrameLink, FrameNavLink, isActivePath } from "~/components/ui/nav-link";

/**
 * The frame's links are written by hand on the server (app/components/ui/nav-link.tsx) and are Remix's
 * NavLink and Link in the browser, which hydrates the server's markup: the two must be the same bytes.
 * Each case renders Remix's link and the frame's next to each other, at one location, through the
 * router the server renders pages with (a static handler), and compares them.
 */
async function renderAt(pathname: string, page: () => JSX.Element): Promise<string> {
  const handler = createStaticHandler([{ path: "*", Component: page }]);
  const context = await handler.query(new Request(`http://localhost${pathname}`));
  if (context instanceof Response) throw new Error(`static handler answered ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(<StaticRouterProvider router={router} context={context} hydrate={false} />);
}

const locations = ["/", "/give", "/give/", "/give/monthly", "/Give", "/giver", "/about", "/admin", "/admin/goals/3", "/goals/alla-ar-trygga", "/account"];
const links: { to: string; end?: boolean }[] = [
  { to: "/", end: true },
  { to: "/" },
  { to: "/give" },
  { to: "/give/" },
  { to: "/about" },
  { to: "/admin", end: true },
  { to: "/admin/goals" },
  { to: "/account" },
];

describe("the frame's links on the server", () => {
  it("write NavLink's markup, active or not, at every location", async () => {
    let actives = 0;
    for (const pathname of locations) {
      for (const { to, end } of links) {
        const theirs = await renderAt(pathname, () => (
          <NavLink to={to} end={end}>
            Text
          </NavLink>
        ));
        const ours = await renderAt(pathname, () => (
          <FrameNavLink to={to} end={end}>
            Text
          </FrameNavLink>
        ));
        expect(ours, `${to}${end ? " end" : ""} at ${pathname}`).toBe(theirs);
        if (theirs.includes('aria-current="page"')) actives++;
      }
    }
    // Both kinds were compared: links that are active (NavLink's class and aria-current) and links that are not.
    expect(actives).toBeGreaterThan(5);
    expect(actives).toBeLessThan(locations.length * links.length);
  });

  it("write Link's markup, with and without a class", async () => {
    for (const className of ["brand", undefined]) {
      const theirs = await renderAt("/give", () => (
        <Link to="/" className={className}>
          <span>Lokala mål</span>
        </Link>
      ));
      const ours = await renderAt("/give", () => (
        <FrameLink to="/" className={className}>
          <span>Lokala mål</span>
        </FrameLink>
      ));
      expect(ours).toBe(theirs);
    }
  });

  it("write Link's markup for the pages' targets with a query or a fragment, and for ones left to Link", async () => {
    // The first ones FrameLink writes itself; from "/give?" on they are Remix's (an empty query or fragment, a
    // %-escape, a character Link's URL encoding changes, a `//` target, a relative or an outside target).
    const targets = [
      "/give?goal=alla-ar-trygga",
      "/partners/join?goal=alla-ar-trygga&tier=huvudpartner",
      "/collections/new?goal=x.y_z-1",
      "/about#stod",
      "/give?goal=a#form",
      "/give?",
      "/about#",
      "/partners/join?goal=v%C3%A4n",
      "/give?goal=väst",
      "/give?goal=a b",
      "//evil.example/x",
      "give?goal=a",
      "https://example.org/x?a=1",
    ];
    for (const to of targets) {
      for (const className of ["button secondary", undefined]) {
        const theirs = await renderAt("/goals/alla-ar-trygga", () => (
          <Link to={to} className={className}>
            Text
          </Link>
        ));
        const ours = await renderAt("/goals/alla-ar-trygga", () => (
          <FrameLink to={to} className={className}>
            Text
          </FrameLink>
        ));
        expect(ours, `${to} ${className ?? ""}`).toBe(theirs);
      }
    }
  });

  it("leave anything but a plain path to Remix's links", async () => {
    const to = "/give?collection=x#form";
    const theirs = await renderAt("/give", () => <NavLink to={to}>Text</NavLink>);
    expect(await renderAt("/give", () => <FrameNavLink to={to}>Text</FrameNavLink>)).toBe(theirs);
    expect(theirs).toContain('href="/give?collection=x#form"');
  });

  it("are active where NavLink is: the same path, or a path below it unless `end`", () => {
    expect(isActivePath("/give/monthly", "/give")).toBe(true);
    expect(isActivePath("/GIVE", "/give")).toBe(true);
    expect(isActivePath("/giver", "/give")).toBe(false);
    expect(isActivePath("/give/monthly", "/give", true)).toBe(false);
    expect(isActivePath("/about", "/", true)).toBe(false);
    expect(isActivePath("/give", "/give/")).toBe(false);
    expect(isActivePath("/give/x", "/give/")).toBe(true);
  });
});
