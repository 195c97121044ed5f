/**
 * Tributary's mark: two streams meeting and flowing on as one (a confluence), white on the
 * brand green. The header draws it inline; scripts/generate-icons.ts draws the favicon and
 * the installed app's icons from the same shapes.
 */
export const BRAND_MARK_VIEWBOX = 64;

/** The streams, drawn as round-capped strokes on a 64-unit square. */
export const BRAND_MARK_STREAMS = "M20 15c2 12 12 16 12 24M44 15c-2 12-12 16-12 24v11";
export const BRAND_MARK_STROKE_WIDTH = 6;

/** brand-600 and brand-800 from app/styles/app.css: the mark's green and its app bar. */
export const BRAND_GREEN = "#05805f";
export const BRAND_GREEN_DARK = "#045641";
