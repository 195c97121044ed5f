import { randomBytes } from "node:crypto";
import sharp from "sharp";

/** A real image made with sharp: a solid colour, or noise that does not compress. */
export async function testImage(
  format: "png" | "jpeg" | "webp" | "gif",
  options: { width?: number; height?: number; noise?: boolean } = {},
): Promise<Uint8Array> {
  const width = options.width ?? 64;
  const height = options.height ?? 64;
  const image = options.noise
    ? sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    : sharp({ create: { width, height, channels: 3, background: { r: 20, g: 120, b: 90 } } });
  const buffer = await image.toFormat(format).toBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
