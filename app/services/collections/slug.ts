/**
 * Readable addresses for collections: "Löparglädje för Ingen ensamhet!" → "loparglädje…" → 
 * "lopargladje-for-ingen-ensamhet". Swedish letters lose their dots and ring (å ä → a, ö → o), as
 * people write them in addresses; other accents likewise; anything else becomes a hyphen.
 */
const SPECIAL: Record<string, string> = { æ: "ae", ø: "o", ß: "ss", œ: "oe", ł: "l", đ: "d", þ: "th" };

export const SLUG_MAX = 60;

export function slugify(text: string): string {
  const base = text
    .toLowerCase()
    .replace(/[æøßœłđþ]/g, (c) => SPECIAL[c] ?? c)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, "");
  return base.length >= 3 ? base : `insamling${base ? `-${base}` : ""}`;
}

/** The n-th candidate for a taken slug: the slug, then slug-2, slug-3, … (still at most SLUG_MAX). */
export function slugCandidate(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = `-${n}`;
  return `${base.slice(0, SLUG_MAX - suffix.length).replace(/-+$/g, "")}${suffix}`;
}
