import { useState } from "react";
import {
  describeWalletError,
  postWalletForm,
  signInWithEthereumMessage,
  useHasInjectedWallet,
} from "#app/utils/ethereum-wallet.ts";
import type { FlowStatus } from "./linked-wallet.tsx";

const SIGN_IN_ENDPOINT = "/signin/ethereum";

/**
 * "Sign in with Ethereum" for accounts with a linked wallet: only shown when the browser
 * has a wallet (EIP-1193) to sign with, since it cannot work without one.
 */
export function SignInWithEthereum({ redirectTo }: { redirectTo: string }) {
  const hasWallet = useHasInjectedWallet();
  const [status, setStatus] = useState<FlowStatus>({ kind: "idle" });
  if (!hasWallet) return null;

  async function signIn() {
    const provider = window.ethereum;
    if (!provider) return;
    setStatus({
      kind: "working",
      text: "Check your wallet: allow Tributary to see your address, then sign the message.",
    });
    try {
      const signed = await signInWithEthereumMessage(provider, SIGN_IN_ENDPOINT);
      setStatus({ kind: "working", text: "Checking the signature…" });
      const answer = await postWalletForm<{ ok: true; redirectTo: string }>(SIGN_IN_ENDPOINT, {
        intent: "sign-in",
        message: signed.message,
        signature: signed.signature,
        redirectTo,
      });
      setStatus({ kind: "done", text: "Signed in. Taking you there…" });
      // A full load, so every part of the page (the header too) sees the new session.
      window.location.assign(answer.redirectTo);
    } catch (error) {
      setStatus({ kind: "failed", text: describeWalletError(error) });
    }
  }

  return (
    <div className="mt-6 border-t border-slate-200 pt-6">
      <p className="text-sm text-slate-700">Linked an Ethereum wallet? Sign in with it instead.</p>
      <button
        type="button"
        onClick={() => void signIn()}
        disabled={status.kind === "working" || status.kind === "done"}
        className="mt-3 w-full rounded-md border border-slate-800 px-4 py-2 font-semibold text-slate-900 hover:bg-slate-100 disabled:opacity-70"
      >
        {status.kind === "working" ? "Waiting for your wallet…" : "Sign in with Ethereum"}
      </button>
      <p
        role="status"
        data-testid="siwe-status"
        className={`mt-3 text-sm empty:mt-0 ${status.kind === "failed" ? "text-red-800" : "text-slate-800"}`}
      >
        {status.kind === "idle" ? "" : status.text}
      </p>
    </div>
  );
}
