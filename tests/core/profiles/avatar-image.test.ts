import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  AVATAR_SIZE,
  AVATAR_UPLOAD_MAX_BYTES,
  prepareAvatarImage,
  sniffImageType,
} from "#core/profiles/avatar-image.ts";
import { identiconSvg } from "#core/profiles/identicon.ts";
import { testImage } from "./images.ts";

/** A PNG whose header claims `width`×`height` pixels, with a few bytes of pixel data. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    // Deflated zeros: each row would inflate to 150 kB; the whole image to 7.5 GB.
    chunk("IDAT", deflateSync(Buffer.alloc(64 * 1024))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function expectAvatar(result: Awaited<ReturnType<typeof prepareAvatarImage>>) {
  if (!result.ok) throw new Error(`expected an avatar, got ${result.error.code}`);
  const avatar = result.value;
  expect(avatar).toMatchObject({
    contentType: "image/webp",
    width: AVATAR_SIZE,
    height: AVATAR_SIZE,
  });
  expect(sniffImageType(avatar.bytes)).toBe("image/webp");
  const metadata = await sharp(avatar.bytes).metadata();
  expect(metadata).toMatchObject({ format: "webp", width: AVATAR_SIZE, height: AVATAR_SIZE });
  return { avatar, metadata };
}

describe("preparing an uploaded avatar", () => {
  it.each(["png", "jpeg", "webp", "gif"] as const)(
    "re-encodes a %s into a 256×256 WebP",
    async (format) => {
      const bytes = await testImage(format, { width: 640, height: 480 });
      await expectAvatar(await prepareAvatarImage({ bytes, contentType: `image/${format}` }));
    },
  );

  it("crops to a square around the centre (cover), not squashing", async () => {
    // A wide image: red left third, green middle, blue right third.
    const third = (r: number, g: number, b: number) =>
      sharp({ create: { width: 300, height: 300, channels: 3, background: { r, g, b } } })
        .png()
        .toBuffer();
    const bytes = await sharp({
      create: { width: 900, height: 300, channels: 3, background: "#000" },
    })
      .composite([
        { input: await third(255, 0, 0), left: 0, top: 0 },
        { input: await third(0, 255, 0), left: 300, top: 0 },
        { input: await third(0, 0, 255), left: 600, top: 0 },
      ])
      .png()
      .toBuffer();
    const result = await prepareAvatarImage({ bytes, contentType: "image/png" });
    const { avatar } = await expectAvatar(result);
    const { channels } = await sharp(avatar.bytes).stats();
    expect(channels[0]!.mean).toBeLessThan(20);
    expect(channels[1]!.mean).toBeGreaterThan(230);
    expect(channels[2]!.mean).toBeLessThan(20);
  });

  it("strips EXIF and other metadata, after turning the photo upright", async () => {
    // 200×100 stored, EXIF orientation 6 (rotate 90°): shown as 100×200.
    const bytes = await sharp({
      create: { width: 200, height: 100, channels: 3, background: "#3366cc" },
    })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Copyright: "secret location", Artist: "someone" } })
      .toBuffer();
    const before = await sharp(bytes).metadata();
    expect(before.exif).toBeDefined();
    const { metadata } = await expectAvatar(
      await prepareAvatarImage({ bytes, contentType: "image/jpeg" }),
    );
    expect(metadata.exif).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
  });

  it("accepts image/jpg as the common alias of image/jpeg", async () => {
    const bytes = await testImage("jpeg");
    await expectAvatar(await prepareAvatarImage({ bytes, contentType: "image/jpg" }));
  });

  it("refuses a file over 5 MB before looking at it", async () => {
    const bytes = new Uint8Array(AVATAR_UPLOAD_MAX_BYTES + 1);
    bytes.set(await testImage("png"));
    const result = await prepareAvatarImage({ bytes, contentType: "image/png" });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: "invalid-image",
        code: "too_large",
        message: "The image is larger than 5 MB. Choose a smaller one.",
      },
    });
  });

  it("refuses an empty file", async () => {
    const result = await prepareAvatarImage({ bytes: new Uint8Array(), contentType: "image/png" });
    expect(!result.ok && result.error.code).toBe("empty");
  });

  it("refuses bytes that are not an image even when declared image/png", async () => {
    const bytes = new TextEncoder().encode("definitely not a PNG, just some text\n".repeat(20));
    const result = await prepareAvatarImage({ bytes, contentType: "image/png" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("not_an_image");
    expect(result.error.message).toMatch(/not a PNG, JPEG, WebP or GIF image/);
  });

  it("refuses an SVG or HTML upload, by declared type or by contents", async () => {
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    const html = new TextEncoder().encode("<!doctype html><script>alert(1)</script>");
    for (const [bytes, contentType, code] of [
      [svg, "image/svg+xml", "unsupported_type"],
      [html, "text/html", "unsupported_type"],
      [svg, "image/png", "not_an_image"],
      [html, "image/jpeg", "not_an_image"],
      [html, "", "unsupported_type"],
    ] as const) {
      const result = await prepareAvatarImage({ bytes, contentType });
      expect(!result.ok && result.error.code, `${contentType}`).toBe(code);
    }
  });

  it("refuses a file whose contents disagree with its declared type", async () => {
    const bytes = await testImage("jpeg");
    const result = await prepareAvatarImage({ bytes, contentType: "image/png" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("type_mismatch");
    expect(result.error.message).toMatch(/says it is PNG but its contents are JPEG/);
  });

  it("refuses a decompression bomb (a tiny PNG claiming 50000×50000) without decoding it", async () => {
    const bytes = pngClaiming(50_000, 50_000);
    expect(bytes.byteLength).toBeLessThan(2_000);
    const started = performance.now();
    const result = await prepareAvatarImage({ bytes, contentType: "image/png" });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("too_many_pixels");
    expect(result.error.message).toMatch(/50000×50000 pixels/);
  });

  it("refuses a damaged image with a clear message", async () => {
    const whole = await testImage("png", { width: 400, height: 400, noise: true });
    const result = await prepareAvatarImage({
      bytes: whole.subarray(0, 200),
      contentType: "image/png",
    });
    expect(result).toMatchObject({ ok: false, error: { code: "undecodable" } });
    expect(!result.ok && result.error.message).toBe(
      "The image could not be read; it may be damaged.",
    );
  });
});

describe("identicons", () => {
  it("are the same SVG for the same user id, and differ between ids", () => {
    const id = "6f1c1d8e-2f6b-4c4e-9d55-0c9a1e1b2a3c";
    const svg = identiconSvg(id);
    expect(svg).toBe(identiconSvg(id));
    expect(svg).toBe(identiconSvg(id.toUpperCase()));
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).not.toMatch(/<script|on\w+=/i);
    const others = new Set(
      Array.from({ length: 20 }, (_, i) =>
        identiconSvg(`00000000-0000-4000-8000-${String(i).padStart(12, "0")}`),
      ),
    );
    expect(others.size).toBeGreaterThan(15);
  });
});
