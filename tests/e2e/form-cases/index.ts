import { cases as collections } from "./collections";
import { cases as competitions } from "./competitions";
import { cases as crm } from "./crm";
import { cases as foundation } from "./foundation";
import { cases as partners } from "./partners";
import { cases as reporting } from "./reporting";
import type { FormCase } from "./types";
import { cases as workplace } from "./workplace";

export { personaEmails, visit, type FormCase, type Persona } from "./types";

/** Every area's rows; a row's name is its test's name, so names must be unique across areas. */
export const allCases: FormCase[] = [...foundation, ...partners, ...crm, ...collections, ...competitions, ...workplace, ...reporting];
