import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireViewer } from "#app/utils/viewer.server.ts";
import {
  answerNonceRequest,
  signedMessageInput,
  walletFlowFailure,
} from "#app/utils/wallet-link.server.ts";
import { siweExpectationsFromRequest } from "#core/wallet/siwe.ts";
import { linkWallet, unlinkWallet } from "#core/wallet/wallet-link.service.ts";

// The wallet page's linked-wallet section talks to this resource route: "nonce" and
// "link" from its script (JSON answers), "unlink" from a plain form (works without JS).

export function loader() {
  throw redirect("/wallet");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { db, config } = context.services;
  const form = await request.formData();
  const intent = form.get("intent");
  const expected = siweExpectationsFromRequest(request, { trustProxy: config.trustProxy });

  if (intent === "nonce") {
    return answerNonceRequest(
      context.services,
      { purpose: "link", userId: viewer.user.id },
      expected,
    );
  }

  if (intent === "link") {
    const parsed = signedMessageInput.safeParse({
      message: form.get("message"),
      signature: form.get("signature"),
    });
    if (!parsed.success) {
      return walletFlowFailure(400, "invalid_message", parsed.error.issues[0]!.message);
    }
    const result = await linkWallet(db, viewer.user.id, { ...parsed.data, expected });
    if (!result.ok) {
      const { error } = result;
      return error.kind === "siwe"
        ? walletFlowFailure(400, error.code, error.message)
        : walletFlowFailure(409, "address_taken", error.message);
    }
    const { link, replaced, isUnchanged } = result.value;
    return Response.json({
      ok: true,
      address: link.address,
      replacedAddress: replaced?.address ?? null,
      isUnchanged,
    });
  }

  if (intent === "unlink") {
    // Unlinking twice (two tabs) ends where the user wanted: no wallet linked.
    await unlinkWallet(db, viewer.user.id);
    throw redirect("/wallet");
  }

  return walletFlowFailure(400, "unknown_intent", "That form is not one this page knows.");
}
