import { describe, expect, it } from "vitest";
import { readAvatarUpload } from "#app/utils/avatar-upload.server.ts";
import { AVATAR_UPLOAD_MAX_BYTES } from "#core/profiles/avatar-image.ts";

function multipartRequest(fields: Record<string, string | File>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return new Request("http://tributary.test/settings/profile", { method: "POST", body: form });
}

describe("reading an avatar upload", () => {
  it("hands over the chosen file's bytes and declared type", async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const read = await readAvatarUpload(
      multipartRequest({ avatar: new File([bytes], "me.png", { type: "image/png" }) }),
    );
    expect(read).toEqual({ ok: true, value: { bytes, contentType: "image/png" } });
  });

  it("cuts an oversize file one byte past the limit, so it is still known to be too large", async () => {
    const huge = new File([new Uint8Array(AVATAR_UPLOAD_MAX_BYTES + 4096)], "big.jpg", {
      type: "image/jpeg",
    });
    const read = await readAvatarUpload(multipartRequest({ avatar: huge }));
    if (!read.ok) throw new Error(read.error.message);
    expect(read.value.bytes.byteLength).toBe(AVATAR_UPLOAD_MAX_BYTES + 1);
  });

  it("asks for an image when the form holds no file, or only files under other names", async () => {
    const noFile = await readAvatarUpload(multipartRequest({ intent: "upload" }));
    expect(noFile).toEqual({ ok: false, error: { message: "Choose an image to upload." } });
    const emptyChoice = await readAvatarUpload(
      multipartRequest({ avatar: new File([], "", { type: "application/octet-stream" }) }),
    );
    expect(emptyChoice).toEqual({ ok: false, error: { message: "Choose an image to upload." } });
    const otherName = await readAvatarUpload(
      multipartRequest({ picture: new File([new Uint8Array(10)], "x.png", { type: "image/png" }) }),
    );
    expect(otherName).toEqual({ ok: false, error: { message: "Choose an image to upload." } });
  });

  it("says the upload broke off when the body is not a whole multipart form", async () => {
    const broken = new Request("http://tributary.test/settings/profile", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=nothing-follows" },
      body: '--nothing-follows\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\n',
    });
    expect(await readAvatarUpload(broken)).toEqual({
      ok: false,
      error: { message: "The upload did not arrive whole. Try again." },
    });
  });
});
