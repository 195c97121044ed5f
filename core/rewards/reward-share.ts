/**
 * What one reward pays when it earns `shareThousandths` of its rule's amount (1–1000;
 * 1000, the default, is the whole amount). The payout and everything that shows an
 * amount before it is earned (the earning guide, the games, quests, the admin page)
 * compute it here, so what a page promises is what is paid. A share never rounds a
 * paying rule down to nothing.
 */
export function shareOfRuleAmount(ruleAmount: bigint, shareThousandths = 1000): bigint {
  const scaled = (ruleAmount * BigInt(shareThousandths)) / 1000n;
  return scaled === 0n && ruleAmount > 0n ? 1n : scaled;
}
