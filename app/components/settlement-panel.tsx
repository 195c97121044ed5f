import { formatDateTime } from "#shared/dates.ts";
import { Form, useFetcher, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { claimWithBrowserWallet } from "#app/utils/claim-with-wallet.ts";
import { useHasInjectedWallet, WalletFlowError } from "#app/utils/ethereum-wallet.ts";
import type { DisplayAmount } from "#shared/money.ts";

export const CLAIM_ENDPOINT = "/wallet/claim";

type EpochStatus = "prepared" | "submitted" | "confirmed" | "final";

export type SettlementView = {
  chain: {
    chainId: number;
    distributor: string;
    microToken: string;
    rpcUrl: string | null;
    intervalMinutes: number;
  } | null;
  totalClaimable: DisplayAmount;
  totalClaimed: DisplayAmount;
  addresses: {
    address: string;
    onChain: DisplayAmount;
    claimed: DisplayAmount;
    claimable: DisplayAmount;
    inFlight: DisplayAmount;
    claim: { cumulative: string; proof: string[]; distributor: string; chainId: number } | null;
  }[];
  payouts: {
    epoch: number;
    address: string;
    amount: DisplayAmount;
    status: EpochStatus;
    txHash: string | null;
    settledAt: string;
  }[];
};

const epochWords: Record<EpochStatus, string> = {
  prepared: "Preparing",
  submitted: "Sent to the chain",
  confirmed: "Confirming",
  final: "On chain",
};

const short = (hex: string) => `${hex.slice(0, 8)}…${hex.slice(-6)}`;

/** Words for the outcome a claim form redirected back with (works without JavaScript). */
function claimNotice(params: URLSearchParams): { text: string; isError: boolean } | null {
  const outcome = params.get("claim");
  if (outcome === "sent") {
    const tx = params.get("tx");
    return {
      text: `Claim sent${tx ? ` in transaction ${short(tx)}` : ""}: the MICRO lands in your wallet once it is mined.`,
      isError: false,
    };
  }
  if (outcome === "refreshed") return { text: "Claims brought up to date.", isError: false };
  if (outcome === "failed") {
    return { text: params.get("message") ?? "The claim did not go through.", isError: true };
  }
  return null;
}

export function SettlementPanel({ view }: { view: SettlementView }) {
  const [searchParams] = useSearchParams();
  const notice = claimNotice(searchParams);
  return (
    <section
      aria-labelledby="settlement-heading"
      data-testid="settlement"
      className="rounded-lg border border-slate-200 bg-white p-6"
    >
      <h2 id="settlement-heading" className="text-lg font-semibold">
        On chain
      </h2>
      {view.chain ? (
        <p className="mt-1 text-sm text-slate-700">
          Every{" "}
          {view.chain.intervalMinutes === 1 ? "minute" : `${view.chain.intervalMinutes} minutes`},
          your available balance settles to your payout address as MICRO tokens (chain{" "}
          {view.chain.chainId}). Claim them whenever you like, with your own wallet or by asking us
          to send the claim and pay its gas.
        </p>
      ) : (
        <p className="mt-1 text-sm text-slate-700">This server does not settle on a chain.</p>
      )}

      <dl className="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-2">
        <div className="rounded-md bg-slate-50 p-3" data-testid="settlement-claimable">
          <dt className="text-sm font-medium text-slate-700">Claimable now</dt>
          <dd className="mt-1 font-semibold break-all">
            <MicroAmount amount={view.totalClaimable} />
          </dd>
        </div>
        <div className="rounded-md bg-slate-50 p-3" data-testid="settlement-claimed">
          <dt className="text-sm font-medium text-slate-700">Claimed</dt>
          <dd className="mt-1 font-semibold break-all">
            <MicroAmount amount={view.totalClaimed} />
          </dd>
        </div>
      </dl>

      {notice ? (
        <p
          role="status"
          data-testid="claim-notice"
          className={`mt-3 text-sm ${notice.isError ? "text-red-800" : "text-slate-800"}`}
        >
          {notice.text}
        </p>
      ) : null}

      {view.addresses.length > 0 ? (
        <ul className="mt-4 flex flex-col gap-3">
          {view.addresses.map((a) => (
            <AddressRow key={a.address} row={a} canRelay={view.chain !== null} />
          ))}
        </ul>
      ) : (
        <p className="mt-4 text-sm text-slate-700">
          Nothing settled yet. Link a wallet or paste an address above; the first settlement after
          it starts receiving moves your available balance to it.
        </p>
      )}

      {view.payouts.length > 0 ? <Payouts payouts={view.payouts} /> : null}
    </section>
  );
}

function AddressRow({
  row,
  canRelay,
}: {
  row: SettlementView["addresses"][number];
  canRelay: boolean;
}) {
  const hasWallet = useHasInjectedWallet();
  const navigation = useNavigation();
  const refresh = useFetcher();
  const [status, setStatus] = useState<{ text: string; isError: boolean } | null>(null);
  const [isWorking, setIsWorking] = useState(false);
  const claim = row.claim;
  const isRelaying =
    navigation.state !== "idle" && navigation.formData?.get("address") === row.address;

  async function claimMyself() {
    if (!claim) return;
    setIsWorking(true);
    setStatus({ text: "Confirm the claim in your wallet…", isError: false });
    try {
      const hash = await claimWithBrowserWallet({ account: row.address, ...claim });
      setStatus({ text: `Claim sent in transaction ${short(hash)}.`, isError: false });
      refresh.submit({ intent: "refresh" }, { method: "post", action: CLAIM_ENDPOINT });
    } catch (error) {
      setStatus({
        text:
          error instanceof WalletFlowError ? error.message : "Your wallet did not send the claim.",
        isError: true,
      });
    } finally {
      setIsWorking(false);
    }
  }

  return (
    <li className="rounded-md border border-slate-200 p-4" data-testid="settlement-address">
      <p className="font-mono text-sm break-all" title={row.address}>
        {row.address}
      </p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm lg:grid-cols-[auto_1fr_auto_1fr]">
        <dt className="text-slate-600">Settled</dt>
        <dd className="break-all">
          <MicroAmount amount={row.onChain} />
        </dd>
        <dt className="text-slate-600">Claimable</dt>
        <dd className="break-all font-semibold">
          <MicroAmount amount={row.claimable} />
        </dd>
        <dt className="text-slate-600">Claimed</dt>
        <dd className="break-all">
          <MicroAmount amount={row.claimed} />
        </dd>
        <dt className="text-slate-600">On its way</dt>
        <dd className="break-all">
          <MicroAmount amount={row.inFlight} />
        </dd>
      </dl>
      {claim ? (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          {hasWallet ? (
            <button
              type="button"
              onClick={() => void claimMyself()}
              disabled={isWorking}
              className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-70"
            >
              {isWorking ? "Waiting for your wallet…" : "Claim with my wallet"}
            </button>
          ) : null}
          {canRelay ? (
            <Form method="post" action={CLAIM_ENDPOINT}>
              <input type="hidden" name="address" value={row.address} />
              <button
                type="submit"
                name="intent"
                value="relay"
                disabled={isRelaying}
                className="rounded-md border border-brand-700 px-4 py-2 font-semibold text-brand-800 hover:bg-brand-50 disabled:opacity-70"
              >
                {isRelaying ? "Sending…" : "Claim for me (Tributary pays the gas)"}
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
      {status ? (
        <p
          role="status"
          className={`mt-2 text-sm ${status.isError ? "text-red-800" : "text-slate-800"}`}
        >
          {status.text}
        </p>
      ) : null}
    </li>
  );
}

function Payouts({ payouts }: { payouts: SettlementView["payouts"] }) {
  return (
    <div className="mt-6">
      <h3 className="font-semibold">Settlements</h3>
      <ul className="mt-2 divide-y divide-slate-200" data-testid="settlement-payouts">
        {payouts.map((p) => (
          <li key={p.epoch} className="flex flex-col gap-1 py-2 text-sm sm:flex-row sm:gap-4">
            <span className="font-medium">Epoch {p.epoch}</span>
            <span className="break-all">
              <MicroAmount amount={p.amount} />
            </span>
            <span>{epochWords[p.status]}</span>
            <span className="font-mono text-slate-700" title={p.txHash ?? undefined}>
              {p.txHash ? `tx ${short(p.txHash)}` : "no transaction yet"}
            </span>
            <span className="text-slate-600">{formatDateTime(p.settledAt)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
