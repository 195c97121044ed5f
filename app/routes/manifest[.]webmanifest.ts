import { BRAND_GREEN_DARK } from "#shared/brand-mark.ts";

/**
 * The web app manifest: what a phone or desktop needs to install Tributary as an app (its
 * name, where it starts, its icons). The icons are files in public/, drawn by
 * scripts/generate-icons.ts; the colours are the page background and the brand's green.
 */
const manifest = {
  id: "/",
  name: "Tributary",
  short_name: "Tributary",
  description: "Everyday actions that earn micro income streams.",
  lang: "en-GB",
  start_url: "/",
  scope: "/",
  display: "standalone",
  // slate-50, the page's background, shown while the app starts.
  background_color: "#f8fafc",
  theme_color: BRAND_GREEN_DARK,
  icons: [
    { src: "/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
    { src: "/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
    { src: "/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
    { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
  ],
} as const;

export function loader() {
  return new Response(JSON.stringify(manifest), {
    headers: {
      "Content-Type": "application/manifest+json; charset=utf-8",
      "Cache-Control": "public, max-age=3600",
    },
  });
}
