import { useFetcher } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import type { LikeResult, RewardNote } from "./types.ts";

const NOTE_MS = 6000;

/**
 * Like / unlike a post or comment. Without JavaScript it is a form that posts and comes
 * back to `redirectTo`; with it, a fetcher flips the button and count at once and then
 * shows what the like earned ("+0.0002 MICRO pending") for a few seconds.
 */
export function LikeButton({
  kind,
  id,
  isLiked: initialLiked,
  count: initialCount,
  redirectTo,
  isCompact = false,
}: {
  kind: "post" | "comment";
  id: string;
  isLiked: boolean;
  count: number;
  redirectTo: string;
  isCompact?: boolean;
}) {
  const action = kind === "post" ? `/posts/${id}/like` : `/comments/${id}/like`;
  // Keyed by what is liked: the same post shown twice on a page flips in both places.
  const fetcher = useFetcher<LikeResult>({ key: `like-${kind}-${id}` });
  const settled = fetcher.data?.ok ? fetcher.data : null;
  let isLiked = settled?.liked ?? initialLiked;
  let count = settled?.likeCount ?? initialCount;
  const wanted = fetcher.formData?.get("intent");
  if (wanted === "like" || wanted === "unlike") {
    const wantsLiked = wanted === "like";
    if (wantsLiked !== isLiked) count = Math.max(0, count + (wantsLiked ? 1 : -1));
    isLiked = wantsLiked;
  }

  // What the last like earned shows for a few seconds, then makes way.
  const [expired, setExpired] = useState<unknown>(null);
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const note: RewardNote | null =
    answer?.ok && answer.liked && answer !== expired ? answer.reward : null;
  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setExpired(answer), NOTE_MS);
    return () => clearTimeout(timer);
  }, [note, answer]);
  const error =
    fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;

  const intent = isLiked ? "unlike" : "like";
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // No redirectTo: the route answers a fetcher with the new state instead of a redirect.
    void fetcher.submit({ intent }, { method: "post", action });
  }

  // The intent rides on the button (name/value), which is what the form sends without
  // JavaScript; the icon is drawn by CSS from `act-like` and `aria-pressed`.
  return (
    <form
      method="post"
      action={action}
      onSubmit={submit}
      className="relative flex items-center gap-1"
    >
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button
        type="submit"
        name="intent"
        value={intent}
        aria-pressed={isLiked}
        aria-label={`Like ${count} ${count === 1 ? "like" : "likes"}`}
        data-testid={`like-${kind}-${id}`}
        className={isCompact ? "act act-like act-compact" : "act act-like"}
      >
        <span data-testid="like-count">{count}</span>
      </button>
      <span role="status" className="text-xs font-medium" data-testid="like-reward">
        {note ? (
          <span
            title={note.detail}
            className={`inline-block rounded-full px-2 py-0.5 ${
              note.status === "none" ? "bg-slate-100 text-slate-700" : "bg-brand-50 text-brand-800"
            }`}
          >
            {note.text}
          </span>
        ) : error ? (
          <span className="text-red-800">{error}</span>
        ) : null}
      </span>
    </form>
  );
}
