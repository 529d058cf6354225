import { randomInt } from "node:crypto";

/** Letters and digits that cannot be mistaken for each other when typed from a poster (no 0/o, 1/l/i). */
const ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
const LENGTH = 10;

/** A join code: 10 of 31 characters ≈ 49 bits, enough that guessing a live code is hopeless. */
export function newInviteCode(): string {
  let code = "";
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Whether a string could be a code at all (the URL's part is checked before any query). */
export function looksLikeInviteCode(code: string): boolean {
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c));
}
