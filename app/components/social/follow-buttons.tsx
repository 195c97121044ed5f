import { useFetcher } from "@remix-run/react";
import type { FormEvent } from "react";

export type FollowResult =
  { ok: true; following: boolean; followerCount: number } | { ok: false; error: string };
export type MuteResult = { ok: true; muted: boolean } | { ok: false; error: string };

/** The follow state a button shows: what the server said, or what is on its way. */
export function useFollowState(handle: string, initial: { following: boolean; count: number }) {
  const fetcher = useFetcher<FollowResult>({ key: `follow-${handle}` });
  const settled = fetcher.data?.ok ? fetcher.data : null;
  let following = settled?.following ?? initial.following;
  let count = settled?.followerCount ?? initial.count;
  const wanted = fetcher.formData?.get("intent");
  if (wanted === "follow" || wanted === "unfollow") {
    const wantsFollowing = wanted === "follow";
    if (wantsFollowing !== following) count = Math.max(0, count + (wantsFollowing ? 1 : -1));
    following = wantsFollowing;
  }
  const error =
    fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  return { fetcher, following, count, error };
}

/**
 * Follow / Following. Optimistic with JavaScript (the follower count moves at once);
 * without it a form that comes back to `redirectTo`.
 */
export function FollowButton({
  handle,
  displayName,
  isFollowing,
  followerCount,
  redirectTo,
  size = "md",
}: {
  handle: string;
  displayName: string;
  isFollowing: boolean;
  followerCount: number;
  redirectTo: string;
  size?: "sm" | "md";
}) {
  const { fetcher, following, error } = useFollowState(handle, {
    following: isFollowing,
    count: followerCount,
  });
  const action = `/u/${handle}/follow`;
  const intent = following ? "unfollow" : "follow";
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void fetcher.submit({ intent }, { method: "post", action });
  }
  const padding = size === "sm" ? "px-3 py-1 text-sm" : "px-5 py-2 text-sm";
  return (
    <form method="post" action={action} onSubmit={submit} className="flex flex-col items-end gap-1">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button
        type="submit"
        aria-label={`${following ? "Following" : "Follow"} ${displayName}`}
        className={`group rounded-full font-semibold ${padding} ${
          following
            ? "border border-slate-300 bg-white text-slate-900 hover:border-red-300 hover:bg-red-50 hover:text-red-800"
            : "bg-slate-900 text-white hover:bg-slate-700"
        }`}
      >
        {following ? (
          <>
            <span className="group-hover:hidden">Following</span>
            <span className="hidden group-hover:inline" aria-hidden="true">
              Unfollow
            </span>
          </>
        ) : (
          "Follow"
        )}
      </button>
      {error ? (
        <span role="alert" className="text-xs text-red-800">
          {error}
        </span>
      ) : null}
    </form>
  );
}

/** Mute / Unmute: a muted person's posts leave the viewer's feeds. */
export function MuteButton({
  handle,
  isMuted: initialMuted,
  redirectTo,
}: {
  handle: string;
  isMuted: boolean;
  redirectTo: string;
}) {
  const fetcher = useFetcher<MuteResult>({ key: `mute-${handle}` });
  let isMuted = fetcher.data?.ok ? fetcher.data.muted : initialMuted;
  const wanted = fetcher.formData?.get("intent");
  if (wanted === "mute" || wanted === "unmute") isMuted = wanted === "mute";
  const action = `/u/${handle}/mute`;
  const intent = isMuted ? "unmute" : "mute";
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void fetcher.submit({ intent }, { method: "post", action });
  }
  return (
    <form method="post" action={action} onSubmit={submit}>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button
        type="submit"
        className="rounded-full border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50"
      >
        {isMuted ? "Unmute" : "Mute"}
        <span className="sr-only"> @{handle}</span>
      </button>
    </form>
  );
}
