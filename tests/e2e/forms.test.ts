import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, it, vi } from "vitest";
import { chromiumAvailable, launchBrowser } from "../setup/browser";
import { signIn } from "../setup/dev-mailbox";
import { freshDataDir, startServer, type RunningServer } from "../setup/server";
import { allCases as cases, personaEmails, visit, type FormCase, type Persona } from "./form-cases";
import { flagUnderpaidInvoice } from "./form-cases/workplace";

/**
 * Every form of the app (issue 10, item 2), submitted in Chromium with JavaScript off and on, each
 * with a bad value: the app's message (never the browser's) ends up next to the field, and the
 * field's `aria-describedby` names an element holding it, with `aria-invalid` set. Without
 * JavaScript the message comes from the server (a POST answered 4xx); with it, from the same schema
 * in the browser or from the server, whichever refuses first: the text is the same.
 * The rows live per area in ./form-cases/<area>.ts.
 *
 * The cases run concurrently (vitest's maxConcurrency, 5), each in its own page of one browser: a case
 * mostly waits on the server or on Chromium, so five at once keep both busy. No case writes anything
 * (every value is refused), so they cannot disturb each other. A page is reused by the next case of
 * its context once its case passed (a new page costs Chromium more than a case, see takePage). With
 * JavaScript the next case moves there by the app's client-side navigation (`visit`), as a reader of the
 * app does, rather than loading, compiling and hydrating the app again (to the page the tab is already on, by
 * way of the home page); a case takes only a form that its own visit rendered, with no message on it before
 * its submit. Each page's server-rendered form is still
 * submitted by the case without JavaScript.
 */

/** What a case names on its page: its form (by id, or `prefix*`), the field by its label (a group by its legend), the button. */
type Target = Pick<FormCase, "form" | "field" | "group" | "submit">;

/**
 * Runs in the page (its main world, by one `page.evaluate`): finds the case's field and button as Playwright's
 * `getByLabel(field, { exact: true })` / `getByRole("group" | "button", { name, exact: true })` in the case's form
 * do (whitespace-normalised names; a label, aria-labelledby or aria-label; a group's legend; buttons hidden from
 * the accessibility tree left out; more or fewer than one is no match), and then:
 * - `state`: what the case reads of the field (below);
 * - `focus`: focuses the field and selects its text, as Playwright's fill does before it types (the field must be
 *   visible, enabled and editable);
 * - `aim`: scrolls the button into view and gives the point a click there lands on the button (enabled, and the
 *   element at that point is the button or inside it, as Playwright's hit-target check), or why not.
 * Why not Playwright's locators: the first locator call in each document builds Playwright's injected script in a
 * world of its own, 0.16 CPU-s of Chromium against 0.007 for a first `page.evaluate` (tests/e2e, forms15's probe),
 * and a case without JavaScript has two documents (its page and the server's answer).
 *
 * The field's state, in one call:
 * - `parsed`: the document is parsed to its end (`readyState` past "loading"). Without JavaScript the server's answer
 *   is streamed: the field may already be aria-invalid while its hint and message are still on the way (a run read the
 *   hint as '' and found no message element), so nothing is read of a document still being parsed;
 * - `fresh`: the field's form was rendered by this case's visit (not marked `data-left`, as `visit` marks the
 *   forms of the page it leaves by client-side navigation);
 * - `hydrated`: React handles the form (it keeps its props on the element, `__reactProps…`, from then on; AppForm
 *   also marks itself, data-hydrated, but a plain Remix <Form> has no marker, and before hydration a click is a
 *   plain POST);
 * - `described`: the texts of the elements its aria-describedby names (an id that is not exactly one element's
 *   reads as that, so it matches no message);
 * - `wrapper`: the text of the field's own wrapper (its parent; a radio group's fieldset itself).
 */
function onPage({ target, op }: { target: Target; op: "state" | "focus" | "aim" }) {
  const plain = (text: string | null | undefined) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");
  const norm = (text: string | null | undefined) => plain(text).replace(/\s+/g, " ").trim();
  const byIds = (ids: string) =>
    ids
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" ");
  const { form, field, group, submit } = target;
  const forms: ParentNode[] = !form
    ? [document]
    : form.endsWith("*")
      ? [...document.forms].filter((f) => (f.getAttribute("id") ?? "").startsWith(form.slice(0, -1))).slice(0, 1)
      : [...document.forms].filter((f) => f.getAttribute("id") === form);
  if (forms.length !== 1) return { problem: `${forms.length} forms ${form}` } as const;
  const root = forms[0];
  const names = (el: Element): string[] => {
    const found: string[] = [];
    const labelledBy = el.getAttribute("aria-labelledby");
    if (labelledBy) found.push(byIds(labelledBy));
    const label = el.getAttribute("aria-label");
    if (label) found.push(label);
    return found;
  };
  const controls = group
    ? [...root.querySelectorAll("fieldset, [role=group]")].filter((el) => {
        if (el.tagName === "FIELDSET" && el.hasAttribute("role") && el.getAttribute("role") !== "group") return false;
        const own = names(el);
        const legend = el.tagName === "FIELDSET" ? [...el.children].find((c) => c.tagName === "LEGEND") : undefined;
        return [...own, ...(own.length || !legend ? [] : [legend.textContent])].some((n) => norm(n) === field);
      })
    : [...root.querySelectorAll("*")].filter((el) =>
        [...names(el), ...[...((el as HTMLInputElement).labels ?? [])].map((l) => l.textContent)].some((n) => norm(n) === field),
      );
  if (controls.length !== 1) return { problem: `${controls.length} fields labelled ${field}` } as const;
  const el = controls[0] as HTMLInputElement;
  if (op === "state") {
    const owner = el.form ?? el.closest("form");
    const described = (el.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
    return {
      parsed: document.readyState !== "loading",
      fresh: !!owner && !owner.hasAttribute("data-left"),
      hydrated: !!owner && Object.keys(owner).some((k) => k.startsWith("__reactProps")),
      invalid: el.getAttribute("aria-invalid"),
      described: described.map((id) => {
        const found = document.querySelectorAll(`[id="${CSS.escape(id)}"]`);
        return found.length === 1 ? plain(found[0].textContent).trim() : `${found.length} elements with the id ${id}`;
      }),
      wrapper: plain((el.tagName === "FIELDSET" ? el : el.parentElement)?.textContent),
      noValidate: el.form?.noValidate ?? true,
    } as const;
  }
  if (op === "focus") {
    if (!el.checkVisibility() || el.disabled || el.readOnly || !("select" in el)) return { problem: `the field ${field} is not a visible, enabled, editable text field` } as const;
    el.focus();
    el.select();
    return { focused: document.activeElement === el } as const;
  }
  const buttons = [...root.querySelectorAll("button, input[type=submit], input[type=button], input[type=reset], input[type=image], [role=button]")].filter((b) => {
    if (b.closest("[aria-hidden=true]") || !b.checkVisibility({ visibilityProperty: true })) return false;
    const own = names(b);
    const name = own.length ? own[0] : b instanceof HTMLInputElement ? b.value || b.alt : b.textContent;
    return norm(name) === submit;
  });
  if (buttons.length !== 1) return { problem: `${buttons.length} buttons named ${submit}` } as const;
  const button = buttons[0] as HTMLButtonElement;
  if (button.disabled) return { problem: `the button ${submit} is disabled` } as const;
  let box = button.getBoundingClientRect();
  if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth) {
    button.scrollIntoView({ block: "center", inline: "center" });
    box = button.getBoundingClientRect();
  }
  const x = box.left + box.width / 2;
  const y = box.top + box.height / 2;
  const hit = document.elementFromPoint(x, y);
  if (!hit || !button.contains(hit)) return { problem: `a click on ${submit} lands on ${hit?.outerHTML.slice(0, 80)}` } as const;
  return { x, y } as const;
}
type Found = Exclude<ReturnType<typeof onPage>, { problem: string }>;
interface FoundBy {
  state: Extract<Found, { fresh: boolean }>;
  focus: Extract<Found, { focused: boolean }>;
  aim: Extract<Found, { x: number }>;
}

/** `onPage` once it finds what it looks for and `ready` holds (polled, as Playwright's own waits are). */
function whenOnPage<Op extends keyof FoundBy>(page: Page, target: Target, op: Op, ready: (found: FoundBy[Op]) => boolean, what: string): Promise<FoundBy[Op]> {
  return vi.waitFor(
    async () => {
      const found = await page.evaluate(onPage, { target, op });
      if ("problem" in found) throw new Error(found.problem);
      if (!ready(found as FoundBy[Op])) throw new Error(`${what}: ${JSON.stringify(found)}`);
      return found as FoundBy[Op];
    },
    { timeout: 30_000, interval: 50 },
  );
}

const viewport = { width: 1280, height: 900 };

describe.runIf(chromiumAvailable())("every form, JavaScript off and on: a bad value gets the app's message next to the field", () => {
  const journey = {} as { server: RunningServer; browser: Browser };
  // useUiJourney's fixtures with a longer wait: on the shared 2-core machine, loaded by seven people's
  // work, the server's start (PGlite, demo data) has taken over 110 s.
  beforeAll(async () => {
    // From the run's demo template (so the server skips its seeders: DEMO_DATA_PRELOADED, tests/setup/server.ts),
    // plus the one flag flagUnderpaidInvoice writes.
    const dataDir = freshDataDir({});
    const browser = launchBrowser();
    await flagUnderpaidInvoice(dataDir);
    [journey.server, journey.browser] = await Promise.all([startServer({ DATA_DIR: dataDir }, 240_000), browser]);
  }, 250_000);
  afterAll(async () => {
    await journey.browser?.close();
    await journey.server?.stop();
  });
  /** One context per persona and JavaScript setting, made before the cases run. */
  const contexts = new Map<string, BrowserContext>();
  const keyOf = (persona: Persona, javaScript: boolean) => `${persona}:${javaScript}`;

  beforeAll(async () => {
    const browser: Browser = journey.browser;
    const personas = [...new Set(cases.map((c) => c.persona))];
    await Promise.all(
      personas.map(async (persona) => {
        if (persona === "anonymous") {
          for (const javaScriptEnabled of [false, true]) contexts.set(keyOf(persona, javaScriptEnabled), await browser.newContext({ javaScriptEnabled, viewport }));
          return;
        }
        // Signed in once, by the emailed link over HTTP (the browser's sign-in is identity-journey's; here a context
        // and four page loads per persona only to get the cookie); both contexts get the same session cookie.
        const [name, ...value] = (await signIn(journey.server.url, personaEmails[persona])).split("=");
        for (const javaScriptEnabled of [false, true]) {
          const context = await browser.newContext({ javaScriptEnabled, viewport });
          await context.addCookies([{ name, value: value.join("="), url: journey.server.url }]);
          contexts.set(keyOf(persona, javaScriptEnabled), context);
        }
      }),
    );
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts.values()) await c.close();
  });

  /**
   * Pages whose case is done, per context, for the next case of that context, and the cases waiting for one. A
   * context has at most `tabsPerContext` pages: a new page is a new renderer, and its first load compiles the
   * app's scripts again (about 1.4 + 1.5 CPU-s of Chromium against 0.5–0.9 for a load in a used page, measured
   * under load), so a case waits for one of its context's pages rather than open another. The cases of other
   * contexts run meanwhile.
   */
  const tabsPerContext = 2;
  const idlePages = new Map<string, Page[]>();
  const openPages = new Map<string, number>();
  const waitingForPage = new Map<string, ((page: Page | undefined) => void)[]>();
  async function takePage(key: string): Promise<Page> {
    const idle = idlePages.get(key)?.pop();
    if (idle) return idle;
    if ((openPages.get(key) ?? 0) >= tabsPerContext) {
      const handedOn = await new Promise<Page | undefined>((resolve) => waitingForPage.set(key, [...(waitingForPage.get(key) ?? []), resolve]));
      if (handedOn) return handedOn;
    }
    openPages.set(key, (openPages.get(key) ?? 0) + 1);
    const page = await contexts.get(key)!.newPage();
    // Playwright's 30 s is for one page on a free machine; on the shared one a load has waited longer (the
    // runs with load 40–60 failed only by page.goto timeouts).
    page.setDefaultTimeout(120_000);
    return page;
  }
  /** Hands the page to the next case waiting in its context, or keeps it; a page closed (undefined) frees its place. */
  function returnPage(key: string, page: Page | undefined) {
    if (!page) openPages.set(key, (openPages.get(key) ?? 1) - 1);
    const next = waitingForPage.get(key)?.shift();
    if (next) next(page);
    else if (page) idlePages.set(key, [...(idlePages.get(key) ?? []), page]);
  }

  const names = cases.map((c) => c.name);
  it("every row has its own name", ({ expect }) => {
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  describe.each([false, true])("JavaScript %s", (javaScript) => {
    it.concurrent.for(cases)("$name", { timeout: 300_000 }, async (c: FormCase, { expect }) => {
      const key = keyOf(c.persona, javaScript);
      const page = await takePage(key);
      let passed = false;
      try {
        if (typeof c.open === "string") await visit(page, `${journey.server.url}${c.open}`);
        else await c.open(page, journey.server.url);
        const target: Target = { form: c.form, field: c.field, group: c.group, submit: c.submit };
        // The field's form is this visit's (with JavaScript, once hydrated, so the click is handled by React), and
        // fresh: no message on it before this case's submit (the page may be the last case's tab).
        const before = await whenOnPage(page, target, "state", (s) => s.parsed && s.fresh && (!javaScript || s.hydrated), javaScript ? "the field is not yet this visit's and hydrated" : "the field is not yet this visit's");
        expect(before.invalid).not.toBe("true");
        expect(before.described).not.toContain(c.message);
        if (c.fill !== undefined) {
          // Playwright's fill, without its locator: focus and select, then type the value (an empty one deletes).
          await whenOnPage(page, target, "focus", (f) => f.focused, "the field did not take the focus");
          if (c.fill === "") await page.keyboard.press("Delete");
          else await page.keyboard.insertText(c.fill);
        }
        await c.act?.(page);
        const method = (c.method ?? "post").toUpperCase();
        const posted = javaScript ? null : page.waitForResponse((r) => r.request().method() === method && r.request().isNavigationRequest());
        // A click as Playwright's: the mouse pressed on the button's centre, once the button is there, enabled and on top.
        const aim = await whenOnPage(page, target, "aim", () => true, "the button is not there");
        await page.mouse.click(aim.x, aim.y);
        // Without JavaScript nothing but the server can refuse: the POST (a filter's GET) must come back 4xx.
        if (posted) expect((await posted).status()).toBeGreaterThanOrEqual(400);
        const after = await whenOnPage(page, target, "state", (s) => s.parsed && s.invalid === "true", "the page is not yet parsed with the field aria-invalid");
        expect(after.described).toContain(c.message);
        // Next to the field: the message is inside the field's own wrapper.
        expect(after.wrapper).toContain(c.message);
        expect(after.noValidate).toBe(true);
        passed = true;
      } finally {
        // A failed case's page may be anywhere (a dialog, a half-sent form): it is not handed on.
        if (passed) returnPage(key, page);
        else {
          await page.close();
          returnPage(key, undefined);
        }
      }
    });
  });
});
