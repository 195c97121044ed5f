/**
 * Badge art: small inline SVGs (a medal and a white glyph), built only from the constants
 * below — never from user input — so they are safe to inline in a page.
 */
const glyphs = {
  star: "M32 17l4.4 8.9 9.8 1.4-7.1 6.9 1.7 9.8L32 39.4l-8.8 4.6 1.7-9.8-7.1-6.9 9.8-1.4z",
  flame: "M32 15c2 6 10 10 10 19a10 10 0 0 1-20 0c0-5 3-8 4-12 1 3 2.5 5 4.5 6-.5-5-1-9 1.5-13z",
  flag: "M23 16h3v32h-3z M26 18h17l-4.5 6.5L43 31H26z",
  diamond: "M32 15l13 17-13 17-13-17z",
  trophy: "M23 17h18v7a9 9 0 0 1-18 0z M30 32h4v7h6v5H24v-5h6z",
  shield: "M32 15l13 4.5v9.5c0 8.5-5.5 15-13 18-7.5-3-13-9.5-13-18v-9.5z",
  chevron: "M32 15l13 13h-8v7H27v-7h-8z M21 38h22v6H21z",
  check: "M20 32.5l3.5-3.5 6 6 11-12 3.5 3.5-14.5 15.5z",
} as const;

export type BadgeGlyph = keyof typeof glyphs;

export const badgeColours = {
  level: "#6d28d9",
  streak: "#ea580c",
  quest: "#0f766e",
  trust: "#1d4ed8",
  first: "#15803d",
  bronze: "#b45309",
  silver: "#64748b",
  gold: "#ca8a04",
  perfect: "#be185d",
} as const;

export function badgeArt(glyph: BadgeGlyph, colour: keyof typeof badgeColours): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" aria-hidden="true">` +
    `<circle cx="32" cy="32" r="30" fill="${badgeColours[colour]}"/>` +
    `<circle cx="32" cy="32" r="25.5" fill="none" stroke="#fff" stroke-opacity="0.4" stroke-width="2"/>` +
    `<path d="${glyphs[glyph]}" fill="#fff"/></svg>`
  );
}
