import { formatDateTime } from "#shared/dates.ts";
import { Form, useFetcher, useRevalidator, useSearchParams } from "@remix-run/react";
import { useId, useState } from "react";
import {
  describeWalletError,
  postWalletForm,
  shortAddress,
  signInWithEthereumMessage,
  useHasInjectedWallet,
  WHAT_IS_A_WALLET_URL,
} from "#app/utils/ethereum-wallet.ts";
import { PayoutAddressForm, type PayoutAddressAnswer } from "./payout-address-form.tsx";

/** What the wallet page's loader sends about linked addresses (dates as ISO strings). */
export type WalletLinkView = {
  current: {
    address: string;
    /** "siwe": signed with a wallet; "pasted": confirmed with the password. */
    kind: "siwe" | "pasted";
    linkedAt: string;
    /** When settlements start reaching it: a pasted address waits out a cooling-off. */
    receivesFrom: string;
    /** Whether receivesFrom had passed when the page was loaded. */
    isReceiving: boolean;
  } | null;
  /** Earlier, unlinked addresses, newest first. */
  history: { id: string; address: string; linkedAt: string; unlinkedAt: string | null }[];
};

export type FlowStatus =
  | { kind: "idle" }
  | { kind: "working"; text: string }
  /** `address`: what the message is about, so it is not shown once that changes. */
  | { kind: "done"; text: string; address?: string }
  | { kind: "failed"; text: string };

const LINK_ENDPOINT = "/wallet/link";

const formatDate = (iso: string) => formatDateTime(iso);

type LinkAnswer = {
  ok: true;
  address: string;
  replacedAddress: string | null;
  isUnchanged: boolean;
};

/**
 * The wallet page's "Linked wallet" section: the address rewards settle to, a browser
 * wallet (EIP-1193) to link one by signing a Sign-In with Ethereum message, and a plain
 * form to unlink that works without JavaScript.
 */
export function LinkedWallet({ view }: { view: WalletLinkView }) {
  const hasWallet = useHasInjectedWallet();
  const revalidator = useRevalidator();
  const paste = useFetcher<PayoutAddressAnswer>();
  const [searchParams] = useSearchParams();
  const pasteNotice = payoutNotice(searchParams.get("payout"), view.current);
  const [status, setStatus] = useState<FlowStatus>({ kind: "idle" });
  const current = view.current;
  // "Linked 0x…" is news only while that address is the linked one (not after an unlink).
  const statusText =
    status.kind === "idle" || (status.kind === "done" && status.address !== current?.address)
      ? ""
      : status.text;

  async function connect() {
    const provider = window.ethereum;
    if (!provider) return;
    setStatus({
      kind: "working",
      text: "Check your wallet: allow Tributary to see your address, then sign the message.",
    });
    try {
      const signed = await signInWithEthereumMessage(provider, LINK_ENDPOINT);
      setStatus({ kind: "working", text: "Checking the signature…" });
      const linked = await postWalletForm<LinkAnswer>(LINK_ENDPOINT, {
        intent: "link",
        message: signed.message,
        signature: signed.signature,
      });
      revalidator.revalidate();
      const short = shortAddress(linked.address);
      setStatus({
        kind: "done",
        address: linked.address,
        text: linked.isUnchanged
          ? `${short} was already linked.`
          : linked.replacedAddress
            ? `Linked ${short} in place of ${shortAddress(linked.replacedAddress)}.`
            : `Linked ${short}.`,
      });
    } catch (error) {
      setStatus({ kind: "failed", text: describeWalletError(error) });
    }
  }

  return (
    <section
      aria-labelledby="linked-wallet-heading"
      data-testid="linked-wallet"
      className="rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="linked-wallet-heading" className="text-lg font-semibold">
        Linked wallet
      </h2>
      {current ? (
        <LinkedAddress current={current} canCopy={hasWallet !== null} />
      ) : (
        <p className="mt-1 text-sm text-slate-700">
          No wallet linked yet. Link an Ethereum address you control so your rewards can be settled
          on chain to it — and so you can sign in with it — or paste one below.
        </p>
      )}
      {pasteNotice ? (
        <p
          role="status"
          data-testid="payout-address-notice"
          className="mt-3 text-sm text-slate-800"
        >
          {pasteNotice}
        </p>
      ) : null}

      {hasWallet || current ? (
        <div className="mt-4 flex flex-wrap items-center gap-3">
          {hasWallet ? (
            <button
              type="button"
              onClick={() => void connect()}
              disabled={status.kind === "working"}
              className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-70"
            >
              {status.kind === "working"
                ? "Waiting for your wallet…"
                : current
                  ? "Link a different wallet"
                  : "Connect wallet"}
            </button>
          ) : null}
          {current ? (
            <Form method="post" action={LINK_ENDPOINT}>
              <button
                type="submit"
                name="intent"
                value="unlink"
                className="rounded-md border border-red-800 px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
              >
                {current.kind === "pasted" ? "Remove address" : "Unlink wallet"}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}

      {hasWallet === false ? (
        <p className="mt-3 text-sm text-slate-700" data-testid="no-browser-wallet">
          No browser wallet found. Paste an address below, or install a browser wallet — an
          extension or app that holds your Ethereum keys — and reload this page to link it by
          signing.{" "}
          <a
            href={WHAT_IS_A_WALLET_URL}
            className="font-medium text-brand-700 underline"
            rel="noreferrer"
          >
            What is a wallet?
          </a>
        </p>
      ) : null}
      {hasWallet === null ? (
        // Server HTML (and so pages without JavaScript); replaced once the page knows.
        <p className="mt-3 text-sm text-slate-700">
          Linking a wallet needs JavaScript and a browser wallet to sign with; you can paste an
          address below instead.
        </p>
      ) : null}

      <p
        role="status"
        data-testid="wallet-link-status"
        className={`mt-3 text-sm empty:mt-0 ${status.kind === "failed" ? "text-red-800" : "text-slate-800"}`}
      >
        {statusText}
      </p>

      <div className="mt-6 border-t border-slate-200 pt-4">
        {current ? (
          <details open={paste.data ? true : undefined}>
            <summary className="cursor-pointer text-sm font-medium text-slate-800">
              Paste a different address
            </summary>
            <div className="mt-3">
              <PasteForm fetcher={paste} />
            </div>
          </details>
        ) : (
          <PasteForm fetcher={paste} />
        )}
      </div>

      {view.history.length > 0 ? <EarlierAddresses history={view.history} /> : null}
    </section>
  );
}

function PasteForm({ fetcher }: { fetcher: ReturnType<typeof useFetcher<PayoutAddressAnswer>> }) {
  return (
    <PayoutAddressForm
      answer={fetcher.data ?? null}
      FormAs={fetcher.Form}
      isBusy={fetcher.state !== "idle"}
    />
  );
}

/** Words for the outcome the paste form redirected back with (works without JavaScript). */
function payoutNotice(outcome: string | null, current: WalletLinkView["current"]): string | null {
  if (!current || current.kind !== "pasted") return null;
  const short = shortAddress(current.address);
  if (outcome === "added") {
    return current.isReceiving
      ? `Saved: ${short} is your payout address. We emailed you that it was added.`
      : `Saved: ${short} receives settlements from ${formatDate(current.receivesFrom)}. We emailed you that it was added.`;
  }
  if (outcome === "unchanged") return `${short} was already your payout address.`;
  return null;
}

function LinkedAddress({
  current,
  canCopy,
}: {
  current: NonNullable<WalletLinkView["current"]>;
  canCopy: boolean;
}) {
  const { address, linkedAt } = current;
  const isPending = !current.isReceiving;
  const fullId = useId();
  const [copyNote, setCopyNote] = useState("");

  async function copy() {
    try {
      await navigator.clipboard.writeText(address);
      setCopyNote("Copied.");
    } catch {
      const full = document.getElementById(fullId);
      if (full) window.getSelection()?.selectAllChildren(full);
      setCopyNote("Selected: press Ctrl+C (⌘C on a Mac) to copy.");
    }
  }

  return (
    <div className="mt-2 flex flex-col gap-3">
      <p className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <span
          data-testid="linked-address"
          title={address}
          className="rounded bg-brand-50 px-2 py-0.5 font-mono text-lg font-semibold text-brand-800"
        >
          {shortAddress(address)}
        </span>
        <span className="text-sm text-slate-600">
          {current.kind === "pasted" ? "pasted" : "linked"} {formatDate(linkedAt)}
        </span>
      </p>
      {isPending ? (
        <p
          data-testid="payout-address-pending"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          <strong className="font-semibold">Cooling off:</strong> receives settlements from{" "}
          {formatDate(current.receivesFrom)}. Until then your available balance waits; nothing is
          lost. Not you? Remove it and change your password.
        </p>
      ) : (
        <p className="text-sm text-slate-700" data-testid="payout-address-active">
          {current.kind === "pasted"
            ? "Your rewards settle to this address."
            : "Your rewards settle to this address, and you can sign in with it."}
        </p>
      )}
      <dl className="flex flex-col gap-1 text-sm">
        <dt className="font-medium text-slate-800">Full address</dt>
        <dd className="flex flex-wrap items-start gap-2">
          {/* One tap or click selects all of it, ready to copy; long lines wrap on phones. */}
          <code
            id={fullId}
            data-testid="linked-address-full"
            className="min-w-0 flex-1 basis-64 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono break-all select-all text-slate-900"
          >
            {address}
          </code>
          {canCopy ? (
            <button
              type="button"
              onClick={() => void copy()}
              className="rounded-md border border-slate-400 px-3 py-2 font-medium text-slate-800 hover:bg-slate-100"
            >
              Copy
            </button>
          ) : null}
          <span role="status" className="self-center text-slate-700">
            {copyNote}
          </span>
        </dd>
      </dl>
    </div>
  );
}

function EarlierAddresses({ history }: { history: WalletLinkView["history"] }) {
  return (
    <details className="mt-4 text-sm">
      <summary className="cursor-pointer font-medium text-slate-800">
        Earlier addresses ({history.length})
      </summary>
      <ul className="mt-2 divide-y divide-slate-200">
        {history.map((link) => (
          <li key={link.id} className="py-2">
            <p className="font-mono break-all text-slate-900">{link.address}</p>
            <p className="text-slate-600">
              Linked {formatDate(link.linkedAt)}
              {link.unlinkedAt ? ` · unlinked ${formatDate(link.unlinkedAt)}` : ""}
            </p>
          </li>
        ))}
      </ul>
    </details>
  );
}
