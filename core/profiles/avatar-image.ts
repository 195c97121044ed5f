import sharp from "sharp";
import { err, ok, type Result } from "../result.ts";

/** Uploads larger than this are refused before any decoding. */
export const AVATAR_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
/** Images whose header declares more pixels are refused before decoding (decompression bombs). */
export const AVATAR_MAX_INPUT_PIXELS = 50_000_000;
/** Every avatar is stored as a square WebP of this many pixels a side. */
export const AVATAR_SIZE = 256;
/** Decoding and re-encoding one avatar may take at most this long. */
const PROCESSING_TIMEOUT_SECONDS = 10;

/** The image formats an avatar may be uploaded in. */
export type UploadImageType = "image/png" | "image/jpeg" | "image/webp" | "image/gif";

export const ACCEPTED_UPLOAD_TYPES: readonly UploadImageType[] = [
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/gif",
];

/** An uploaded file as either door receives it. */
export type AvatarUpload = {
  bytes: Uint8Array;
  /** The type the client declared (the part's Content-Type); checked against the bytes. */
  contentType: string;
};

/** A re-encoded avatar, ready to store: metadata stripped, AVATAR_SIZE square, WebP. */
export type AvatarImage = {
  bytes: Uint8Array;
  contentType: "image/webp";
  width: number;
  height: number;
};

export type AvatarImageProblem =
  | "empty"
  | "too_large"
  | "unsupported_type"
  | "type_mismatch"
  | "not_an_image"
  | "too_many_pixels"
  | "undecodable";

export type AvatarImageFailure = {
  kind: "invalid-image";
  code: AvatarImageProblem;
  message: string;
};

const typeNames: Record<UploadImageType, string> = {
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/webp": "WebP",
  "image/gif": "GIF",
};

const acceptedList = "PNG, JPEG, WebP or GIF";

function failure(
  code: AvatarImageProblem,
  message: string,
): { ok: false; error: AvatarImageFailure } {
  return err({ kind: "invalid-image", code, message });
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** What the bytes say they are, from their magic numbers; null when none of the accepted formats. */
export function sniffImageType(bytes: Uint8Array): UploadImageType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "image/gif";
  return null;
}

/** The declared type in canonical form (`image/jpg` is a common alias), or null when not accepted. */
function acceptedDeclaredType(contentType: string): UploadImageType | null {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "image/jpg" || type === "image/pjpeg") return "image/jpeg";
  return (ACCEPTED_UPLOAD_TYPES as readonly string[]).includes(type)
    ? (type as UploadImageType)
    : null;
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/**
 * Whether a file of `size` bytes is refused for its size alone, so a caller that knows
 * the size before reading the bytes (a parsed multipart file) need not read them.
 */
export function uploadSizeProblem(size: number): AvatarImageFailure | null {
  if (size === 0)
    return { kind: "invalid-image", code: "empty", message: "Choose an image to upload." };
  if (size > AVATAR_UPLOAD_MAX_BYTES) {
    return {
      kind: "invalid-image",
      code: "too_large",
      message: `The image is larger than ${megabytes(AVATAR_UPLOAD_MAX_BYTES)}. Choose a smaller one.`,
    };
  }
  return null;
}

/**
 * Checks an uploaded avatar and re-encodes it: the declared and the sniffed type must
 * both be PNG, JPEG, WebP or GIF and agree; at most AVATAR_UPLOAD_MAX_BYTES; at most
 * AVATAR_MAX_INPUT_PIXELS as declared by its header (checked before decoding, and again
 * by the decoder). The result is the first frame, turned upright by its EXIF orientation,
 * cropped to a square around its centre, AVATAR_SIZE a side, WebP, with no metadata.
 * Bad input is a failure value, never a throw.
 */
export async function prepareAvatarImage(
  upload: AvatarUpload,
): Promise<Result<AvatarImage, AvatarImageFailure>> {
  const { bytes } = upload;
  const sizeProblem = uploadSizeProblem(bytes.byteLength);
  if (sizeProblem) return err(sizeProblem);
  const declared = acceptedDeclaredType(upload.contentType);
  if (!declared) {
    return failure("unsupported_type", `Upload a ${acceptedList} image.`);
  }
  const sniffed = sniffImageType(bytes);
  if (!sniffed) {
    return failure(
      "not_an_image",
      `The file is not a ${acceptedList} image, whatever its name says.`,
    );
  }
  if (sniffed !== declared) {
    return failure(
      "type_mismatch",
      `The file says it is ${typeNames[declared]} but its contents are ${typeNames[sniffed]}. Save it again as a ${typeNames[sniffed]} file or choose another image.`,
    );
  }

  const input = { limitInputPixels: AVATAR_MAX_INPUT_PIXELS, failOn: "error" as const };
  let width: number | undefined;
  let height: number | undefined;
  try {
    // Reads only the header: the size an image claims, before any pixel is decoded. (With
    // the pixel limit set, sharp would refuse an over-large header without saying its size.)
    ({ width, height } = await sharp(bytes, { ...input, limitInputPixels: false }).metadata());
  } catch {
    return failure("undecodable", "The image could not be read; it may be damaged.");
  }
  if (!width || !height) {
    return failure("undecodable", "The image could not be read; it may be damaged.");
  }
  if (width * height > AVATAR_MAX_INPUT_PIXELS) {
    return failure(
      "too_many_pixels",
      `The image is ${width}×${height} pixels; use one of at most ${AVATAR_MAX_INPUT_PIXELS / 1_000_000} megapixels.`,
    );
  }

  try {
    const { data, info } = await sharp(bytes, input)
      .timeout({ seconds: PROCESSING_TIMEOUT_SECONDS })
      .autoOrient()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "centre" })
      .webp({ quality: 82, effort: 4 })
      // sharp writes no metadata (EXIF, XMP, ICC, comments) unless asked to keep it.
      .toBuffer({ resolveWithObject: true });
    return ok({
      bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      contentType: "image/webp",
      width: info.width,
      height: info.height,
    });
  } catch {
    return failure("undecodable", "The image could not be read; it may be damaged.");
  }
}
