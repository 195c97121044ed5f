/**
 * Draws the favicon and the installed app's icons from the brand mark (shared/brand-mark.ts)
 * into public/. Run once after changing the mark: `npx tsx scripts/generate-icons.ts`; the
 * files are committed, so neither the build nor the server needs sharp for them.
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import {
  BRAND_GREEN,
  BRAND_MARK_STREAMS,
  BRAND_MARK_STROKE_WIDTH,
  BRAND_MARK_VIEWBOX,
} from "#shared/brand-mark.ts";

const publicDir = path.resolve("public");
const size = BRAND_MARK_VIEWBOX;

const streams = (transform = "") =>
  `<path d="${BRAND_MARK_STREAMS}" fill="none" stroke="#fff" stroke-width="${BRAND_MARK_STROKE_WIDTH}" stroke-linecap="round" stroke-linejoin="round"${transform ? ` transform="${transform}"` : ""}/>`;

/** A green disc with the streams: the favicon and the "any" purpose icons. */
const roundMark = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}"><circle cx="32" cy="32" r="32" fill="${BRAND_GREEN}"/>${streams()}</svg>\n`;

/**
 * A full-bleed green square with the streams inside the maskable safe zone (a circle of 40% radius), for launchers
 * that cut icons to their own shape (maskable) and for iOS, which fills transparency black.
 */
const squareMark = (scale: number) => {
  const offset = (size * (1 - scale)) / 2;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}"><rect width="${size}" height="${size}" fill="${BRAND_GREEN}"/>${streams(`translate(${offset} ${offset}) scale(${scale})`)}</svg>\n`;
};

async function png(svg: string, pixels: number): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: (72 * pixels) / size })
    .resize(pixels, pixels)
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** An ICO holding PNG images (every browser since 2009 reads them). */
function ico(images: { pixels: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ pixels, data }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(pixels >= 256 ? 0 : pixels, 0);
    entry.writeUInt8(pixels >= 256 ? 0 : pixels, 1);
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((image) => image.data)]);
}

async function main() {
  fs.mkdirSync(publicDir, { recursive: true });
  const write = (name: string, data: string | Buffer) => {
    fs.writeFileSync(path.join(publicDir, name), data);
    console.log(`public/${name}`);
  };
  write("icon.svg", roundMark);
  write("icon-192.png", await png(roundMark, 192));
  write("icon-512.png", await png(roundMark, 512));
  write("icon-maskable-512.png", await png(squareMark(0.8), 512));
  write("apple-touch-icon.png", await png(squareMark(0.8), 180));
  const favicon = await Promise.all(
    [16, 32, 48].map(async (pixels) => ({ pixels, data: await png(roundMark, pixels) })),
  );
  write("favicon.ico", ico(favicon));
}

await main();
