import type { FormCase } from "./types";

/** Competitions (issue 12): starting one. */
export const cases: FormCase[] = [
  { name: "new competition: empty name", persona: "admin", open: "/competitions/new", field: "Tävlingens namn", fill: "", submit: "Starta tävlingen", message: "Fältet måste fyllas i." },
  { name: "new competition (en): bad target", persona: "admin", open: "/competitions/new?lang=en", field: "Shared target in kronor (optional; needed for Together and a match pot)", fill: "abc", submit: "Start the competition", message: "Write the target in kronor, for example 50 000." },
];
