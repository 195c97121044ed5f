import type { Db } from "#db/create-db.ts";
import type { WalletLinkRow } from "#db/schema.ts";
import type { UserId } from "../auth/ids.ts";

/** A pasted address: no message, signature or chain; it receives from `receivesFrom`. */
export function insertPastedLink(
  trx: Db,
  link: { userId: UserId; address: string; now: Date; receivesFrom: Date },
): Promise<WalletLinkRow> {
  return trx
    .insertInto("wallet_links")
    .values({
      user_id: link.userId,
      kind: "pasted",
      address: link.address,
      chain_id: null,
      siwe_message: null,
      signature: null,
      linked_at: link.now,
      receives_from: link.receivesFrom,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
