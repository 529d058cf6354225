/**
 * Where to send someone after signing in or switching language: only a path on this site, never an
 * open redirect. The value is parsed as a URL against a placeholder origin and must stay on it;
 * control characters (browsers drop tabs and newlines, so "/\t/evil.example" would become
 * "//evil.example"; NUL, CR and LF also break the database and headers) and backslashes (read as "/"
 * by browsers) are refused outright. The answer is the parsed path, query and fragment, so what ends
 * up in a Location header is what the URL parser made of it.
 */
const PLACEHOLDER = "http://return-to.invalid";

export function safeReturnTo(value: unknown, opts: { allowAuthPages?: boolean } = {}): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > 500) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(value)) return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER);
  } catch {
    return null;
  }
  if (url.origin !== PLACEHOLDER) return null;
  const path = url.pathname + url.search + url.hash;
  // "/.//evil.example" parses to the path "//evil.example": still another site to a browser.
  if (!path.startsWith("/") || path.startsWith("//")) return null;
  if (!opts.allowAuthPages && /^\/(login|logout)(?![^/?#])/.test(path)) return null;
  return path;
}
