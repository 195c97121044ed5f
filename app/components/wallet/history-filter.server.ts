import { isRewardStream, type RewardStream } from "#core/rewards/reward-streams.ts";

/** `?stream=` as one of the streams; anything else (or nothing) shows every stream. */
export function streamParam(url: URL): RewardStream | null {
  const value = url.searchParams.get("stream");
  return value !== null && isRewardStream(value) ? value : null;
}
