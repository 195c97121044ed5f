import type { SettlementView } from "#app/components/settlement-panel.tsx";
import type { UserId } from "#core/auth/ids.ts";
import { getClaimProof, getUserSettlement } from "#core/settlement/settlement.service.ts";
import type { AppServices } from "#runtime/app-services.ts";
import { displayAmount } from "#shared/money.ts";

/** The wallet page's "On chain" section: per address what is claimable, and each epoch. */
export async function loadSettlementView(
  services: AppServices,
  userId: UserId,
): Promise<SettlementView> {
  const { db, settlement, config } = services;
  const mine = await getUserSettlement(db, userId, { payoutLimit: 10 });
  const addresses = await Promise.all(
    mine.addresses.map(async (a) => {
      const proof = a.claimable > 0n ? await getClaimProof(db, a.address) : null;
      return {
        address: a.address,
        onChain: displayAmount(a.onChain),
        claimed: displayAmount(a.claimed),
        claimable: displayAmount(a.claimable),
        inFlight: displayAmount(a.inFlight),
        claim: proof
          ? {
              cumulative: proof.cumulative.toString(),
              proof: proof.proof,
              distributor: proof.distributor,
              chainId: proof.chainId,
            }
          : null,
      };
    }),
  );
  return {
    chain: settlement
      ? {
          chainId: settlement.chain.chainId,
          distributor: settlement.chain.distributor,
          microToken: settlement.chain.microToken,
          // Only the embedded chain's loopback URL is worth offering to a browser wallet.
          rpcUrl: config.chain.kind === "embedded" ? settlement.rpcUrl : null,
          intervalMinutes: Math.max(1, Math.round(config.settlement.intervalMs / 60_000)),
        }
      : null,
    totalClaimable: displayAmount(mine.totalClaimable),
    totalClaimed: displayAmount(mine.totalClaimed),
    addresses,
    payouts: mine.payouts.map((p) => ({
      epoch: p.epoch,
      address: p.address,
      amount: displayAmount(p.amount),
      status: p.status,
      txHash: p.txHash,
      settledAt: p.settledAt.toISOString(),
    })),
  };
}
