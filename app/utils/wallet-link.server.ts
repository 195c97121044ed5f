import { z } from "zod";
import type { WalletLinkView } from "#app/components/linked-wallet.tsx";
import type { UserId } from "#core/auth/ids.ts";
import type { SiweExpectations } from "#core/wallet/siwe.ts";
import {
  issueSiweNonce,
  listWalletLinkHistory,
  type NonceRequest,
} from "#core/wallet/wallet-link.service.ts";
import type { Db } from "#db/create-db.ts";
import type { AppServices } from "#runtime/app-services.ts";

const HISTORY_SHOWN = 10;

/** The active link (and whether it receives yet) and the last few before it, for the wallet page. */
export async function loadWalletLinkView(
  db: Db,
  userId: UserId,
  now = new Date(),
): Promise<WalletLinkView> {
  // One read: the active link, if any, is the newest row (linking ends the previous one first).
  const links = await listWalletLinkHistory(db, userId, { limit: HISTORY_SHOWN + 1 });
  const active = links.find((link) => link.unlinkedAt === null) ?? null;
  return {
    current: active
      ? {
          address: active.address,
          kind: active.kind,
          linkedAt: active.linkedAt.toISOString(),
          receivesFrom: active.receivesFrom.toISOString(),
          isReceiving: active.receivesFrom.getTime() <= now.getTime(),
        }
      : null,
    history: links
      .filter((link) => link.unlinkedAt !== null)
      .slice(0, HISTORY_SHOWN)
      .map((link) => ({
        id: link.id,
        address: link.address,
        linkedAt: link.linkedAt.toISOString(),
        unlinkedAt: link.unlinkedAt?.toISOString() ?? null,
      })),
  };
}

// What the wallet-link and Ethereum sign-in resource routes share: their input and the
// JSON answers their scripts read (app/utils/ethereum-wallet.ts, postWalletForm).

export const signedMessageInput = z.object({
  message: z.string({ error: "Sign the message in your wallet first." }).min(1),
  signature: z.string({ error: "Sign the message in your wallet first." }).min(1),
});

export function walletFlowFailure(
  status: number,
  code: string,
  message: string,
  headers?: HeadersInit,
) {
  return Response.json({ ok: false, error: { code, message } }, { status, headers });
}

/**
 * The "nonce" step both scripts start with, for signing in and for linking alike: a fresh
 * nonce bound to this site and purpose, or 429 with when to try again.
 */
export async function answerNonceRequest(
  { db, config }: Pick<AppServices, "db" | "config">,
  nonceRequest: NonceRequest,
  expected: SiweExpectations,
): Promise<Response> {
  const result = await issueSiweNonce(db, config, nonceRequest, expected);
  if (!result.ok) {
    return walletFlowFailure(429, "rate_limited", result.error.message, {
      "Retry-After": String(result.error.retryAfterSeconds),
    });
  }
  const issued = result.value;
  return Response.json({
    ok: true,
    nonce: issued.nonce,
    expiresAt: issued.expiresAt.toISOString(),
    statement: issued.statement,
  });
}
