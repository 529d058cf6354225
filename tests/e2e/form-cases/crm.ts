import type { FormCase } from "./types";

export const cases: FormCase[] = [];
