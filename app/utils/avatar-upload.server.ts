import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { AVATAR_UPLOAD_MAX_BYTES, type AvatarUpload } from "#core/profiles/avatar-image.ts";
import { err, ok, type Result } from "#core/result.ts";

// The avatar form's multipart body, read without trusting its size: what the image must be
// (type, pixels, size once re-encoded) is core/profiles' rule, not this file's.

/** Text parts of the avatar form are tiny; anything longer is cut here and refused later. */
const MAX_TEXT_PART_BYTES = 16 * 1024;

/**
 * Reads at most `limit + 1` bytes of a part and drains the rest, so the browser finishes
 * sending before it gets the answer, and an oversize file is still known to be oversize.
 */
async function readAtMost(
  data: AsyncIterable<Uint8Array>,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    const room = limit + 1 - size;
    if (room <= 0) continue;
    const kept = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
    chunks.push(kept);
    size += kept.byteLength;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

const uploadHandler: UploadHandler = async ({ name, filename, contentType, data }) => {
  if (filename === undefined) {
    return new TextDecoder().decode(await readAtMost(data, MAX_TEXT_PART_BYTES));
  }
  if (name !== "avatar") {
    await readAtMost(data, 0);
    return undefined;
  }
  const bytes = await readAtMost(data, AVATAR_UPLOAD_MAX_BYTES);
  return new File([bytes], filename, { type: contentType });
};

/**
 * The chosen file of an avatar upload, cut one byte past the limit (core then refuses it as
 * too large), or the words to show when the upload broke off or held no file.
 */
export async function readAvatarUpload(
  request: Request,
): Promise<Result<AvatarUpload, { message: string }>> {
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(request, uploadHandler);
  } catch {
    return err({ message: "The upload did not arrive whole. Try again." });
  }
  const file = formData.get("avatar");
  if (!(file instanceof File) || (file.size === 0 && file.name === "")) {
    return err({ message: "Choose an image to upload." });
  }
  return ok({ bytes: new Uint8Array(await file.arrayBuffer()), contentType: file.type });
}
