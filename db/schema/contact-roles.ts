/**
 * What a contact is for; a contact may have several roles, or none yet. Its own module without
 * imports, so the forms' schemas (app/validation, which run in the browser too) share the list.
 */
export const contactRoles = ["main", "invoicing", "payroll", "marketing"] as const;
export type ContactRole = (typeof contactRoles)[number];
