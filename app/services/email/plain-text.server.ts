import { cloneElement, Fragment, isValidElement, type ReactElement, type ReactNode } from "react";

/**
 * The plain-text version of an email, written straight from its React element tree instead of
 * rendering HTML and parsing it back (html-to-text with React Email's selectors, render.server.ts's
 * toPlainText). Same text, character for character: tests/email/render.test.ts compares the two
 * for every template and language, and for random texts in the props. The parse was most of the
 * cost: per receipt 0.13–0.20 ms of CPU for html-to-text against about 0.02 ms here.
 *
 * The rules are html-to-text's as React Email configures them (and as React Email's own
 * unstableToPlainText writes them, from which the block arithmetic is taken): whitespace runs fold
 * to one space; a block (p, div, table, td, h1 …) asks for line breaks before and after it and the
 * larger of two neighbours' wishes wins; headings are upper-cased; a link's address follows its text
 * unless the text is the address; `data-skip-in-text` (the preview line), img and head are left out.
 *
 * Only what our templates use is handled. Anything else (a list, `pre`, a class component, a hook,
 * raw HTML other than an Outlook comment) returns null, and the caller falls back to html-to-text:
 * a template may use any markup, it only costs more.
 */
export function plainTextOf(element: ReactNode): string | null {
  try {
    const writer = new TextWriter();
    writer.node(element);
    return writer.finish();
  } catch {
    // Unsupported markup, or a component that cannot be called outside React (a hook): the
    // html-to-text path renders it.
    return null;
  }
}

/**
 * The element with every component called, down to HTML elements and text (null if a part cannot be
 * called outside React: a class, a hook, a context). React's renderToStaticMarkup writes the same HTML
 * from it, and the plain text is written from it too, so each component runs once per email.
 */
export function resolveComponents(element: ReactElement): ReactNode | null {
  try {
    return resolve(element);
  } catch {
    return null;
  }
}

function resolve(node: ReactNode): ReactNode {
  if (node === null || node === undefined || typeof node !== "object") return node;
  if (Array.isArray(node)) return node.map(resolve);
  if (!isValidElement(node)) return unsupported("child");
  const { type } = node;
  const props = node.props as Record<string, unknown>;
  if (typeof type === "string") {
    const children = props.children as ReactNode;
    if (children === undefined || children === null || typeof children !== "object") return node;
    // Several children are passed one by one, as JSX passed them (React checks keys only in lists).
    return Array.isArray(children) ? cloneElement(node, undefined, ...children.map(resolve)) : cloneElement(node, undefined, resolve(children));
  }
  if (type === Fragment) return resolve(props.children as ReactNode);
  return keyed(node.key, resolve(rendered(node, type, props)));
}

/** What a component returns for its props. */
function rendered(node: ReactElement, type: unknown, props: Record<string, unknown>): ReactNode {
  if (typeof type === "function") {
    if ((type as { prototype?: { isReactComponent?: unknown } }).prototype?.isReactComponent) return unsupported("class component");
    return (type as (p: unknown) => ReactNode)(props);
  }
  const exotic = type as { $$typeof?: symbol; render?: (p: unknown, ref: null) => ReactNode; type?: unknown };
  if (exotic.$$typeof === FORWARD_REF && exotic.render) return exotic.render(props, null);
  if (exotic.$$typeof === MEMO) return { ...node, type: exotic.type } as ReactElement;
  return unsupported("element type");
}

/** A component in a list had a key: the element it returned takes it over (React's key check in development). */
function keyed(key: string | null, node: ReactNode): ReactNode {
  return key !== null && isValidElement(node) && node.key === null ? cloneElement(node, { key }) : node;
}

class Unsupported extends Error {}
const unsupported = (what: string): never => {
  throw new Unsupported(what);
};

/** Line breaks a block wants before (open) and after (close) it: html-to-text's leading/trailing line breaks. */
const BLOCKS: Record<string, { open: number; close: number }> = {
  article: { open: 2, close: 2 },
  aside: { open: 2, close: 2 },
  div: { open: 2, close: 2 },
  footer: { open: 2, close: 2 },
  header: { open: 2, close: 2 },
  hr: { open: 2, close: 2 },
  main: { open: 2, close: 2 },
  nav: { open: 2, close: 2 },
  p: { open: 2, close: 2 },
  section: { open: 2, close: 2 },
  table: { open: 2, close: 2 },
  h1: { open: 3, close: 2 },
  h2: { open: 3, close: 2 },
  h3: { open: 3, close: 2 },
  h4: { open: 3, close: 2 },
  h5: { open: 3, close: 2 },
  h6: { open: 3, close: 2 },
  td: { open: 1, close: 1 },
  th: { open: 1, close: 1 },
};
/** Elements that only hold others (no line breaks of their own), and inline ones written as their text. */
const TRANSPARENT = new Set(["html", "body", "tbody", "thead", "tfoot", "tr", "span", "strong", "b", "em", "i", "u", "small"]);
const LEFT_OUT = new Set(["head", "img", "noscript", "script", "style", "template"]);
const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);
/** html-to-text's whitespace: space, tab, line breaks, form feed and the zero-width space (not the no-break space). */
const WHITESPACE = "[ \\t\\n\\r\\f\\u200b]";
const WHITESPACE_RUN = new RegExp(`(${WHITESPACE}+)`);
const EDGE_WHITESPACE = new RegExp(`^${WHITESPACE}+|${WHITESPACE}+$`, "g");
/** Raw HTML we accept and leave out: only comments (React Email's Button puts Outlook's `<!--[if mso]>` in spans). */
const ONLY_COMMENTS = /^(?:<!--(?:(?!-->)[\s\S])*-->)+$/;

const FORWARD_REF = Symbol.for("react.forward_ref");
const MEMO = Symbol.for("react.memo");

interface Block {
  open: number;
  close: number;
  text: string[];
  /** Breaks asked for before this block's first text (handed to the parent when the block closes). */
  leading: number;
  /** Breaks owed before the next word (a child block closed). */
  stash: number;
  /** A space is owed before the next word. */
  space: boolean;
}

class TextWriter {
  private blocks: Block[] = [{ open: 0, close: 0, text: [], leading: 0, stash: 0, space: false }];
  private upper = 0;

  finish(): string {
    return this.blocks[0].text.join("");
  }

  private top(): Block {
    return this.blocks[this.blocks.length - 1];
  }

  private word(value: string) {
    const block = this.top();
    if (block.stash > 0) block.text.push("\n".repeat(block.stash));
    else if (block.space && block.text.length > 0) block.text.push(" ");
    block.stash = 0;
    block.space = false;
    block.text.push(this.upper ? value.toUpperCase() : value);
  }

  private text(value: string) {
    const segments = value.split(WHITESPACE_RUN);
    for (let i = 0; i < segments.length; i++) {
      if (segments[i].length === 0) continue;
      if (i % 2 === 1) this.top().space = true;
      else this.word(segments[i]);
    }
  }

  node(node: ReactNode): void {
    if (node === null || node === undefined || typeof node === "boolean") return;
    if (typeof node === "string") return this.text(node);
    if (typeof node === "number") return this.text(String(node));
    if (Array.isArray(node)) {
      for (const child of node) this.node(child);
      return;
    }
    if (!isValidElement(node)) return unsupported(typeof node);
    const { type } = node;
    const props = node.props as Record<string, unknown>;
    if (typeof type === "string") return this.host(type, props);
    if (type === Fragment) return this.node(props.children as ReactNode);
    return this.node(rendered(node, type, props));
  }

  private host(tag: string, props: Record<string, unknown>) {
    if (LEFT_OUT.has(tag) || tag === "meta" || tag === "title" || tag === "link") return;
    if (props["data-skip-in-text"] !== undefined && String(props["data-skip-in-text"]) === "true") return;
    const raw = props.dangerouslySetInnerHTML as { __html?: unknown } | undefined;
    if (raw !== undefined) {
      if (typeof raw?.__html === "string" && ONLY_COMMENTS.test(raw.__html)) return;
      return unsupported("raw HTML");
    }
    if (tag === "br") {
      if (this.upper) unsupported("br in a heading");
      this.top().space = false;
      this.top().text.push("\n");
      return;
    }
    const block = BLOCKS[tag];
    if (!block && !TRANSPARENT.has(tag) && tag !== "a") return unsupported(tag);
    if (this.upper && (tag === "a" || tag === "hr")) unsupported(`${tag} in a heading`);
    if (block) this.blocks.push({ open: block.open, close: block.close, text: [], leading: block.open, stash: 0, space: false });
    if (tag === "hr") this.word("-".repeat(40));
    const heading = HEADINGS.has(tag);
    if (heading) this.upper++;
    const textFrom = this.top().text.length;
    this.node(props.children as ReactNode);
    if (heading) this.upper--;
    if (tag === "a") this.linkAddress(typeof props.href === "string" ? props.href : "", textFrom);
    if (block) this.closeBlock();
  }

  /** After a link's text: its address, unless it is a page anchor or the text already is the address. */
  private linkAddress(rawHref: string, textFrom: number) {
    const href = rawHref.replace(/^mailto:/, "");
    if (href.length === 0 || href.startsWith("#")) return;
    // Trimmed of html-to-text's whitespace only: a no-break space is text to it (String.prototype.trim
    // would drop it, and a link labelled with one would lose the space before its address).
    const anchorText = this.top().text.slice(textFrom).join("").replace(EDGE_WHITESPACE, "");
    if (anchorText === href) return;
    if (anchorText.length > 0) this.top().space = true;
    this.word(href);
  }

  private closeBlock() {
    const child = this.blocks.pop()!;
    const parent = this.top();
    const content = child.text.join("");
    const breaks = Math.max(parent.stash, child.leading);
    if (parent.text.length > 0) {
      parent.text.push("\n".repeat(breaks));
      if (content.length > 0) parent.text.push(content);
    } else {
      if (content.length > 0) parent.text.push(content);
      parent.leading = breaks;
    }
    parent.stash = Math.max(child.stash, child.close);
  }
}
