export * from "./goals";
export * from "./ledger";
export * from "./identity";
export * from "./email";
export * from "./payments";
export * from "./invoices";
export * from "./jobs";
