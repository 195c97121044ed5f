import { redirect, type AppLoadContext } from "@remix-run/node";
import type { ValidatedSession } from "#core/auth/session.service.ts";
import { parseId } from "#core/social/cursor.ts";
import type { SocialFailure } from "#core/social/social-types.ts";
import { safeRedirectPath } from "#shared/safe-redirect.ts";

/** The id in a `/p/<postId>`-style URL, or a 404 for anything that is not one. */
export function requireIdParam(value: string | undefined): bigint {
  const id = parseId(value);
  if (id === null) throw new Response("Not Found", { status: 404 });
  return id;
}

/** HTTP status for a refusal from core/social. */
export function failureStatus(failure: SocialFailure): number {
  switch (failure.code) {
    case "not_found":
      return 404;
    case "forbidden":
      return 403;
    default:
      return 400;
  }
}

/**
 * Where a form wants to go back to afterwards (its `redirectTo` field), else where the
 * request came from when that is our own page, else `fallback`.
 */
export function backTo(form: FormData, request: Request, fallback: string): string {
  const field = form.get("redirectTo");
  if (typeof field === "string" && field.length > 0) return safeRedirectPath(field);
  const referer = request.headers.get("referer");
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.origin === new URL(request.url).origin) {
        return safeRedirectPath(`${url.pathname}${url.search}${url.hash}`);
      }
    } catch {
      // A malformed Referer is ignored.
    }
  }
  return fallback;
}

/**
 * The signed-in viewer for a mutation; anyone else is sent to sign in and brought back
 * to the page the form was on (not to the resource route, which has no page).
 */
export function requireActor(
  context: AppLoadContext,
  request: Request,
  form: FormData,
  fallback: string,
): ValidatedSession {
  if (context.viewer) return context.viewer;
  const redirectTo = backTo(form, request, fallback);
  throw redirect(`/signin?${new URLSearchParams({ redirectTo })}`);
}
