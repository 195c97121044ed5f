import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of the page being rendered: entry.server provides it,
 * and every inline script Remix writes (Scripts, ScrollRestoration) carries it. Undefined
 * in the browser, where React hydrates the scripts the server already wrote.
 */
export const CspNonceContext = createContext<string | undefined>(undefined);

export function useCspNonce(): string | undefined {
  return useContext(CspNonceContext);
}
