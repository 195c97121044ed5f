import type { LoaderFunctionArgs } from "@remix-run/node";
import { getServableImage } from "#core/profiles/profile.service.ts";

// Uploaded images (avatars), served from the database so every app instance has them.
// An image never changes under its id (a new upload gets a new id), so caches keep it.

export async function loader({ params, context }: LoaderFunctionArgs) {
  const image = await getServableImage(context.services.db, params.imageId ?? "");
  if (!image) {
    return new Response("No such image.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  // Database drivers hand back bytes over a plain ArrayBuffer, never a shared one.
  return new Response(image.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      "Content-Type": image.contentType,
      "Content-Length": String(image.bytes.byteLength),
      // X-Content-Type-Options: nosniff comes with every response (helmet, server/http-app.ts).
      "Cache-Control": "public, max-age=31536000, immutable",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
