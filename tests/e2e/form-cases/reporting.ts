import type { FormCase } from "./types";

/** Reporting (issue 14). Owned by consent: impact, costs, effektrapport and exports forms. */
export const cases: FormCase[] = [];
