import { useFetcher } from "@remix-run/react";
import type { FormEvent } from "react";

export type RepostResult = { ok: true; repostCount: number } | { ok: false; error: string };

/**
 * Shares a post to the viewer's followers. Reposting twice keeps one repost, so the
 * button only ever reposts; a repost is undone from its own card's menu.
 */
export function RepostButton({
  postId,
  count: initialCount,
  isReposted: wasReposted,
  redirectTo,
}: {
  postId: string;
  count: number;
  /** The viewer already has a live repost of it (from the page's data). */
  isReposted: boolean;
  redirectTo: string;
}) {
  const action = `/posts/${postId}/repost`;
  const fetcher = useFetcher<RepostResult>({ key: `repost-${postId}` });
  const isReposting = fetcher.state !== "idle";
  const settled = fetcher.data?.ok ? fetcher.data : null;
  const isReposted = wasReposted || isReposting || settled !== null;
  const count = settled?.repostCount ?? initialCount + (isReposting && !wasReposted ? 1 : 0);
  const error = !isReposting && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isReposted) return;
    void fetcher.submit({}, { method: "post", action });
  }

  return (
    <form method="post" action={action} onSubmit={submit} className="flex items-center">
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button
        type="submit"
        aria-pressed={isReposted}
        aria-label={`Repost ${count} ${count === 1 ? "repost" : "reposts"}`}
        className="act act-repost"
      >
        <span>{count}</span>
      </button>
      {error ? (
        <span role="alert" className="ml-1 text-xs text-red-800">
          {error}
        </span>
      ) : null}
    </form>
  );
}
