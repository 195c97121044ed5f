import { redirect, type AppLoadContext } from "@remix-run/node";
import type { ValidatedSession } from "#core/auth/session.service.ts";

/** The signed-in session, or a redirect to sign-in that comes back here afterwards. */
export function requireViewer(context: AppLoadContext, request: Request): ValidatedSession {
  if (context.viewer) return context.viewer;
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  throw redirect(`/signin?${new URLSearchParams({ redirectTo })}`);
}

/** Only same-site paths, so a crafted link cannot bounce a user to another site. */
export function safeRedirectPath(value: FormDataEntryValue | string | null | undefined): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//")) return "/";
  if (value.startsWith("/\\")) return "/";
  return value;
}
