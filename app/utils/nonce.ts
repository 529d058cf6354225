import { createContext, createElement, useContext, type ReactNode } from "react";

/**
 * The CSP nonce of the current document, provided by entry.server.tsx. Never put it in loader
 * data (it would be cached and reused); in the browser it is simply undefined.
 */
const NonceContext = createContext<string | undefined>(undefined);

export function NonceProvider({ value, children }: { value: string | undefined; children: ReactNode }) {
  return createElement(NonceContext.Provider, { value }, children);
}

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
