import { parseUserId } from "#core/auth/ids.ts";
import type { RewardError, RewardRequest } from "./reward-types.ts";

const MAX_MEMO = 200;
const MAX_CAUSE = 200;
const kindPattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

/** Why a request cannot be decided at all, or null when it is well formed. */
export function invalidRewardRequest(request: RewardRequest): RewardError | null {
  if (
    typeof request.actionKind !== "string" ||
    !kindPattern.test(request.actionKind) ||
    request.actionKind.length > 40
  ) {
    return {
      code: "invalid_request",
      message: `"${String(request.actionKind)}" is not an action kind.`,
    };
  }
  if (typeof request.userId !== "string" || parseUserId(request.userId) === null) {
    return { code: "invalid_request", message: "The user id is not valid." };
  }
  if (
    typeof request.causeId !== "string" ||
    request.causeId.length === 0 ||
    request.causeId.length > MAX_CAUSE
  ) {
    return { code: "invalid_request", message: `A cause id has 1–${MAX_CAUSE} characters.` };
  }
  if (
    typeof request.memo !== "string" ||
    request.memo.trim().length === 0 ||
    request.memo.length > MAX_MEMO
  ) {
    return { code: "invalid_request", message: `A memo has 1–${MAX_MEMO} characters.` };
  }
  if (
    request.targetKey != null &&
    (typeof request.targetKey !== "string" || request.targetKey.length > MAX_CAUSE)
  ) {
    return {
      code: "invalid_request",
      message: `A target key has at most ${MAX_CAUSE} characters.`,
    };
  }
  if (
    request.shareThousandths !== undefined &&
    (!Number.isInteger(request.shareThousandths) ||
      request.shareThousandths < 1 ||
      request.shareThousandths > 1000)
  ) {
    return {
      code: "invalid_request",
      message: "A share is a whole number of thousandths, 1–1000.",
    };
  }
  if (
    request.dailyCapBonus !== undefined &&
    (!Number.isInteger(request.dailyCapBonus) ||
      request.dailyCapBonus < 0 ||
      request.dailyCapBonus > 1000)
  ) {
    return {
      code: "invalid_request",
      message: "A daily cap bonus is a whole number, 0–1000.",
    };
  }
  if (
    request.shareReason !== undefined &&
    (typeof request.shareReason !== "string" ||
      request.shareReason.trim().length === 0 ||
      request.shareReason.length > MAX_MEMO)
  ) {
    return { code: "invalid_request", message: `A share's reason has 1–${MAX_MEMO} characters.` };
  }
  if (
    request.engagerId != null &&
    (typeof request.engagerId !== "string" || parseUserId(request.engagerId) === null)
  ) {
    return { code: "invalid_request", message: "The engager's user id is not valid." };
  }
  return null;
}
