// The page's half of segmented randomness: when the game asks for a segment's seed, fetch
// it from GET /games/runs/:runId/segments/:segment, waiting as long as the server says when
// it is not due yet, and hand it to the game. Scenes never touch the network themselves.

/** Gives up on a segment after this many tries (the run then waits at its boundary). */
const MAX_TRIES = 8;

export type RevealedSegment = { runId: string; segment: number; seed: string };

/** Fetches one segment's seed, retrying while it is not due yet or the network hiccups. */
export async function requestSegment(
  runId: string,
  segment: number,
  isCancelled: () => boolean,
): Promise<RevealedSegment | null> {
  for (let attempt = 0; attempt < MAX_TRIES && !isCancelled(); attempt++) {
    let wait = 500 * (attempt + 1);
    try {
      const response = await fetch(`/games/runs/${encodeURIComponent(runId)}/segments/${segment}`, {
        headers: { accept: "application/json" },
      });
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (response.ok && typeof body.seed === "string") {
        return { runId, segment, seed: body.seed };
      }
      if (response.status !== 425) return null;
      if (typeof body.retryAfterMs === "number") wait = Math.max(50, body.retryAfterMs + 50);
    } catch {
      // A dropped connection: try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return null;
}
