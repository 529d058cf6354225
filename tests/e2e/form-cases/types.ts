import type { Page } from "playwright-core";
import { signIn } from "../../setup/dev-mailbox";

/**
 * One row of the forms table (issue 10 item 2): a form, a bad value for one of its fields, and the
 * app's message that must end up next to that field, with JavaScript off and on.
 * Each area's rows live in `./<area>.ts` (exporting `cases: FormCase[]`); `./index.ts` gathers them.
 */
export type Persona = "anonymous" | keyof typeof personaEmails;

/** Who a signed-in persona is in the demo data (each is signed in once per run, by magic link). */
export const personaEmails = {
  admin: "admin@example.com",
  /** Owns the collection demo-varruset (db/demo/collections.ts). */
  collector: "demo.insamlare1@example.com",
  /** The demo employer's payroll contact (db/demo/workplace.ts). */
  payroll: "lon@exempelverkstaden.example.com",
  /** One of the demo employer's employees with a pledge. */
  employee: "demo-anstalld-01@example.com",
} as const;

export interface FormCase {
  name: string;
  persona: Persona;
  /** The page (with ?lang=en for an English case), or a function that opens it. */
  open: string | ((page: Page, base: string) => Promise<void>);
  /** The field: its label, or a radio group's legend (`group: true`). */
  field: string;
  group?: boolean;
  /** What to do to it (fill is the default), and anything else the form needs first. */
  fill?: string;
  act?: (page: Page) => Promise<void>;
  submit: string;
  message: string;
  /**
   * The form's id, when the page has more than one form with the same label or button; `prefix*` is the
   * first form whose id starts with prefix (forms numbered by a row id the case cannot know).
   */
  form?: string;
  /** A filter form sends a GET (the loader answers 400 with the message); the default is a POST. */
  method?: "get";
}

/** One staff session per server, for openers that prepare data over HTTP (sign-ins are rate limited per client). */
const staffCookies = new Map<string, Promise<string>>();
export function staffSession(base: string): Promise<string> {
  if (!staffCookies.has(base)) staffCookies.set(base, signIn(base, personaEmails.admin));
  return staffCookies.get(base)!;
}

/**
 * Opens `url` (absolute) in the tab. A tab whose app is running (JavaScript on, a page of the app loaded) goes there
 * as a reader of the app does, by its client-side navigation (Remix's router; flushSync, so the new page is rendered
 * when it resolves): no new document, so Chromium neither compiles the app's scripts nor hydrates again, and the
 * server runs the page's loaders without rendering HTML. The forms on screen before are marked `data-left` first:
 * the case then takes only a form that this visit rendered (forms.test.ts: the `fresh` field of what its in-page lookup finds).
 * To the path the tab is on (another case of the same page, or its ?lang=en twin) it goes by way of the home page,
 * so the page's route is unmounted and rendered anew, its forms without the last case's values or messages: two
 * client-side navigations cost Chromium 0.13–0.18 CPU-s against 0.38–0.53 for loading and hydrating the page
 * again (forms2's probe, /admin/settings, load 16–20). A tab without JavaScript, or with no page of the app yet,
 * loads the document.
 */
export async function visit(page: Page, url: string): Promise<void> {
  const target = new URL(url);
  const current = URL.canParse(page.url()) ? new URL(page.url()) : null;
  const samePath = current?.pathname === target.pathname;
  const navigated =
    current?.origin === target.origin &&
    (await page.evaluate(
      async ({ to, via }) => {
        const router = (window as { __remixRouter?: { navigate: (to: string, options: { flushSync: boolean }) => Promise<void> } }).__remixRouter;
        if (!router) return false;
        for (const form of document.querySelectorAll("form")) form.setAttribute("data-left", "");
        if (via) await router.navigate(via, { flushSync: true });
        await router.navigate(to, { flushSync: true });
        return true;
      },
      { to: target.pathname + target.search, via: samePath ? (target.pathname === "/" ? "/give" : "/") : null },
    ));
  if (!navigated) await page.goto(url);
}

const followedPaths = new Map<string, Promise<string>>();
/**
 * Opens a page that is reached by following links (`follow` ends on it): the first case per server follows
 * them, later cases go to the address it ended on. The lists on the way cost a page load each and are not
 * what the cases test.
 */
export async function openFollowed(page: Page, base: string, key: string, follow: (page: Page) => Promise<void>): Promise<void> {
  const id = `${base} ${key}`;
  const known = followedPaths.get(id);
  if (known) return visit(page, `${base}${await known}`);
  const found = follow(page).then(() => {
    const url = new URL(page.url());
    return url.pathname + url.search;
  });
  followedPaths.set(id, found);
  found.catch(() => followedPaths.delete(id));
  await found;
}

/** The demo company's page at /admin/organisations/<id>, reached from the list. */
export const orgPage = (page: Page, base: string) =>
  openFollowed(page, base, "organisation", async (page) => {
    await visit(page, `${base}/admin/organisations`);
    await page.getByRole("link", { name: "Demoföretaget Exempel AB" }).click();
    await page.getByRole("heading", { level: 1, name: "Demoföretaget Exempel AB" }).waitFor();
  });

/** The demo company's edit form. */
export const orgEditPage = (page: Page, base: string) =>
  openFollowed(page, base, "organisation edit", async (page) => {
    await orgPage(page, base);
    await page.getByRole("link", { name: "Ändra uppgifter" }).click();
    await page.getByRole("heading", { level: 1, name: "Ändra uppgifter: Demoföretaget Exempel AB" }).waitFor();
  });
