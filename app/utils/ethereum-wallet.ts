import { useSyncExternalStore } from "react";
import { getAddress, isAddress, stringToHex } from "viem";
import { writeSiweMessage } from "#shared/siwe-message-text.ts";

/** The part of EIP-1193 we use: a browser wallet's injected `window.ethereum`. */
export type Eip1193Provider = {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
};

declare global {
  interface Window {
    ethereum?: Eip1193Provider;
  }
}

export const WHAT_IS_A_WALLET_URL = "https://ethereum.org/en/wallets/";

function subscribeToProvider(onChange: () => void): () => void {
  // MetaMask and others announce a late injection with this event.
  window.addEventListener("ethereum#initialized", onChange);
  return () => window.removeEventListener("ethereum#initialized", onChange);
}

/**
 * Whether the browser has an injected wallet: null while rendering on the server and
 * hydrating (we cannot know yet), then true or false.
 */
export function useHasInjectedWallet(): boolean | null {
  return useSyncExternalStore(
    subscribeToProvider,
    () => typeof window.ethereum?.request === "function",
    () => null,
  );
}

/** A step of the flow went wrong; `message` is in words to show the user. */
export class WalletFlowError extends Error {}

type NonceHint = { nonce: string; expiresAt: string; statement: string };
type Failure = { ok: false; error: { code: string; message: string } };

/** POSTs a form to one of our resource routes and reads its JSON answer. */
export async function postWalletForm<T extends { ok: true }>(
  url: string,
  fields: Record<string, string>,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { accept: "application/json" },
      body: new URLSearchParams(fields),
    });
  } catch {
    throw new WalletFlowError(
      "Tributary could not be reached. Check your connection and try again.",
    );
  }
  const isJson = response.headers.get("content-type")?.includes("application/json") ?? false;
  if (!isJson) {
    // A redirect to the sign-in page (the session ended) or an error page.
    throw new WalletFlowError(
      response.redirected
        ? "Your session has ended. Sign in again, then try once more."
        : "Something went wrong on our side. Please try again in a moment.",
    );
  }
  const body = (await response.json()) as T | Failure;
  if (!body.ok) throw new WalletFlowError(body.error.message);
  return body;
}

function providerErrorCode(error: unknown): number | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : null;
}

/** Words for a wallet's refusal (EIP-1193 error codes). */
export function describeWalletError(error: unknown): string {
  if (error instanceof WalletFlowError) return error.message;
  switch (providerErrorCode(error)) {
    case 4001:
      return "You declined the request in your wallet, so nothing changed.";
    case 4100:
      return "Your wallet did not allow Tributary to use that account. Unlock it and try again.";
    case -32002:
      return "Your wallet is already showing a request. Open it to continue.";
    default:
      return "Your wallet could not complete the request. Please try again.";
  }
}

/**
 * Asks the wallet for its address and chain, fetches a nonce from `endpoint`, writes the
 * EIP-4361 message for this page's host and origin, and asks the wallet to sign it.
 */
export async function signInWithEthereumMessage(
  provider: Eip1193Provider,
  endpoint: string,
): Promise<{ address: `0x${string}`; message: string; signature: string }> {
  const accounts = await provider.request({ method: "eth_requestAccounts" });
  const first = Array.isArray(accounts) ? accounts[0] : undefined;
  if (typeof first !== "string" || !isAddress(first, { strict: false })) {
    throw new WalletFlowError("Your wallet did not share an address. Unlock it and try again.");
  }
  const address = getAddress(first);
  const chainHex = await provider.request({ method: "eth_chainId" });
  const chainId = typeof chainHex === "string" ? Number.parseInt(chainHex, 16) : Number.NaN;
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new WalletFlowError("Your wallet did not say which network it is on. Try again.");
  }

  const { nonce, expiresAt, statement } = await postWalletForm<{ ok: true } & NonceHint>(endpoint, {
    intent: "nonce",
  });
  // Our own writer: viem's refuses IPv6 hosts like "[::1]:3000", which the server accepts.
  const message = writeSiweMessage({
    domain: window.location.host,
    uri: window.location.origin,
    address,
    chainId,
    nonce,
    statement,
    issuedAt: new Date(),
    expirationTime: new Date(expiresAt),
  });
  const signature = await provider.request({
    method: "personal_sign",
    params: [stringToHex(message), address],
  });
  if (typeof signature !== "string") {
    throw new WalletFlowError("Your wallet returned no signature. Try again.");
  }
  return { address, message, signature };
}

/** "0x12ab…89cd". */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
