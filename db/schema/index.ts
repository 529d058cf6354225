export * from "./goals";
export * from "./ledger";
