import type { CollectionImageType } from "~db/schema";

/**
 * An upload's type from its first bytes, never from its name or the browser's claim: a file that
 * says image/png but is HTML stays out. PNG's 8-byte signature, JPEG's SOI + marker, WebP's RIFF
 * container with the WEBP form type.
 */
export function imageTypeOf(bytes: Uint8Array): CollectionImageType | null {
  const starts = (sig: number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}
