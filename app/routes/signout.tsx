import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearedSessionCookie } from "#core/auth/session-cookie.ts";
import { invalidateSession } from "#core/auth/session.service.ts";

export function loader() {
  // Signing out changes state, so it is a POST; a visit by link just goes home.
  throw redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  const { services } = context;
  if (context.viewer) await invalidateSession(services.db, context.viewer.session.id);
  throw redirect("/", {
    headers: { "Set-Cookie": clearedSessionCookie(services.config.cookieSecure) },
  });
}
