import { Text as ReactEmailText } from "@react-email/text";
import type { ComponentPropsWithoutRef, CSSProperties, ReactElement } from "react";

type TextProps = ComponentPropsWithoutRef<typeof ReactEmailText>;

const finalStyles = new WeakMap<CSSProperties, CSSProperties>();

/**
 * React Email's Text (a `<p>`), with its style worked out once per style object rather than on every
 * render: Text merges its default margins into the given style with several object spreads, which
 * made it the costliest part of rendering a receipt (about a third of the components' CPU). Our styles
 * are constants (emailStyles, the layout's styles), so each is worked out once, by React Email's own
 * Text, and the markup is the same (tests/email/render.test.ts compares it). A style object must not be
 * changed after it was first rendered.
 */
export function Text({ style, ...props }: TextProps): ReactElement {
  if (!style) return <ReactEmailText {...props} />;
  let final = finalStyles.get(style);
  if (!final) {
    const rendered = (ReactEmailText as unknown as { render(p: TextProps, ref: null): ReactElement<{ style: CSSProperties }> }).render({ style }, null);
    final = rendered.props.style;
    finalStyles.set(style, final);
  }
  return <p {...props} style={final} />;
}
