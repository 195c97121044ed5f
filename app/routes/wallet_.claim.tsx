import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireViewer } from "#app/utils/viewer.server.ts";
import { indexClaims, relayClaim } from "#core/settlement/settlement.service.ts";

// The wallet page's "On chain" forms post here and are sent back to /wallet with the
// outcome in the query string, so they work the same with and without JavaScript.

export function loader() {
  throw redirect("/wallet");
}

function backToWallet(params: Record<string, string>) {
  return redirect(`/wallet?${new URLSearchParams(params).toString()}#settlement-heading`);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const { db, settlement } = context.services;
  const form = await request.formData();
  const intent = form.get("intent");
  if (!settlement) {
    return backToWallet({ claim: "failed", message: "This server does not settle on a chain." });
  }

  if (intent === "relay") {
    const result = await relayClaim(
      db,
      settlement.chain,
      viewer.user.id,
      String(form.get("address") ?? ""),
    );
    return result.ok
      ? backToWallet({ claim: "sent", tx: result.value.txHash })
      : backToWallet({ claim: "failed", message: result.error.message });
  }

  if (intent === "refresh") {
    // After a claim from the user's own wallet: read the chain's Claimed events now.
    await indexClaims(db, settlement.chain);
    return backToWallet({ claim: "refreshed" });
  }

  return backToWallet({ claim: "failed", message: "That form is not one this page knows." });
}
