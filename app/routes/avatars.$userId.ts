import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseUserId } from "#core/auth/ids.ts";
import { identiconSvg } from "#core/profiles/identicon.ts";

// The avatar of a user without an uploaded one: an identicon computed from the id alone,
// so it needs no database and is the same on every instance.

export function loader({ params }: LoaderFunctionArgs) {
  const userId = parseUserId((params.userId ?? "").replace(/\.svg$/, ""));
  if (!userId) {
    return new Response("No such avatar.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  return new Response(identiconSvg(userId), {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      // X-Content-Type-Options: nosniff comes with every response (helmet, server/http-app.ts).
      "Cache-Control": "public, max-age=2592000",
      // Opened on its own, the SVG may run nothing and load nothing.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
