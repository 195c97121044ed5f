import { redirect, type AppLoadContext } from "@remix-run/node";
import type { ValidatedSession } from "#core/auth/session.service.ts";

/** The signed-in session, or a redirect to sign-in that comes back here afterwards. */
export function requireViewer(context: AppLoadContext, request: Request): ValidatedSession {
  if (context.viewer) return context.viewer;
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  throw redirect(`/signin?${new URLSearchParams({ redirectTo })}`);
}

/** An admin's session; to anyone else signed in the page does not exist (404). */
export function requireAdmin(context: AppLoadContext, request: Request): ValidatedSession {
  const viewer = requireViewer(context, request);
  if (!viewer.user.isAdmin) throw new Response("Not Found", { status: 404 });
  return viewer;
}
