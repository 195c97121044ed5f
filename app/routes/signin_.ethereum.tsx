import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { safeRedirectPath } from "#shared/safe-redirect.ts";
import {
  answerNonceRequest,
  signedMessageInput,
  walletFlowFailure,
} from "#app/utils/wallet-link.server.ts";
import { sessionCookie } from "#core/auth/session-cookie.ts";
import { siweExpectationsFromRequest } from "#core/wallet/siwe.ts";
import { signInWithEthereum } from "#core/wallet/wallet-link.service.ts";

// The sign-in page's "Sign in with Ethereum" button talks to this resource route:
// "nonce", then "sign-in" with the signed message. Answers are JSON.

export function loader() {
  throw redirect("/signin");
}

const signInInput = signedMessageInput.extend({ redirectTo: z.string().nullish() });

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, config } = context.services;
  const form = await request.formData();
  const intent = form.get("intent");
  const expected = siweExpectationsFromRequest(request, { trustProxy: config.trustProxy });

  if (intent === "nonce") {
    return answerNonceRequest(
      context.services,
      { purpose: "sign-in", ip: context.client.ip },
      expected,
    );
  }

  if (intent === "sign-in") {
    const parsed = signInInput.safeParse({
      message: form.get("message"),
      signature: form.get("signature"),
      redirectTo: form.get("redirectTo"),
    });
    if (!parsed.success) {
      return walletFlowFailure(400, "invalid_message", parsed.error.issues[0]!.message);
    }
    const { message, signature, redirectTo } = parsed.data;
    const result = await signInWithEthereum(
      db,
      config,
      { message, signature, expected },
      { ...context.client, currentSessionId: context.viewer?.session.id ?? null },
    );
    if (!result.ok) {
      const { error } = result;
      return error.kind === "siwe"
        ? walletFlowFailure(400, error.code, error.message)
        : walletFlowFailure(401, "no_account_for_address", error.message);
    }
    return Response.json(
      { ok: true, redirectTo: safeRedirectPath(redirectTo) },
      { headers: { "Set-Cookie": sessionCookie(result.value, config.cookieSecure) } },
    );
  }

  return walletFlowFailure(400, "unknown_intent", "That form is not one this page knows.");
}
