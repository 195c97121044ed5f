import {
  Link,
  useFetcher,
  useLocation,
  useSubmit,
  type FetcherWithComponents,
} from "@remix-run/react";
import type { FormEvent } from "react";
import { Avatar } from "./avatar.tsx";
import { CommentIcon, MoreIcon, RepostIcon } from "./icons.tsx";
import { LikeButton } from "./like-button.tsx";
import { PostText } from "./post-text.tsx";
import { RepostButton } from "./repost-button.tsx";
import type { PostCardData } from "./types.ts";

export type DeleteResult = { ok: true } | { ok: false; error: string };

/** The page a card's forms come back to without JavaScript, scrolled to the card. */
export function useHere(anchor?: string) {
  const location = useLocation();
  return `${location.pathname}${location.search}${anchor ? `#${anchor}` : ""}`;
}

const deleteKey = (postId: string) => `delete-post-${postId}`;

/**
 * A post in a list or on its own page: who wrote it and when, its text with safe links,
 * hashtags and mentions, and what the viewer can do with it.
 */
export function PostCard({
  post,
  isSignedIn,
  headingLevel = 2,
}: {
  post: PostCardData;
  isSignedIn: boolean;
  headingLevel?: 2 | 3;
}) {
  const anchor = `post-${post.key}`;
  const here = useHere(anchor);
  // The row this card stands for: the repost itself when the viewer shared it.
  const ownRowId = post.repost
    ? post.repost.isOwn
      ? post.repost.id
      : null
    : post.isOwn
      ? post.id
      : null;
  const deletion = useFetcher<DeleteResult>({ key: deleteKey(ownRowId ?? "none") });
  const isGone = ownRowId !== null && (deletion.state !== "idle" || deletion.data?.ok === true);
  const Heading = `h${headingLevel}` as const;
  if (isGone) {
    return (
      <p
        role="status"
        className="rounded-2xl border border-dashed border-slate-300 bg-white px-4 py-3 text-sm text-slate-600"
      >
        {post.repost ? "Repost undone." : "Post deleted."}
      </p>
    );
  }
  return (
    <article
      id={anchor}
      aria-labelledby={`${anchor}-by`}
      data-testid="post-card"
      className="scroll-mt-4 rounded-2xl border border-slate-200 bg-white px-4 pt-3 pb-2 shadow-sm"
    >
      {post.repost ? (
        <p className="mb-1 flex items-center gap-2 pl-7 text-sm font-medium text-slate-600">
          <RepostIcon className="size-4" />
          <span>
            <Link to={`/u/${post.repost.by.handle}`} className="hover:underline">
              {post.repost.isOwn ? "You" : post.repost.by.displayName}
            </Link>{" "}
            reposted
          </span>
        </p>
      ) : null}
      <div className="flex gap-3">
        <Avatar person={post.author} isLinked />
        <div className="min-w-0 flex-1">
          <div className="flex items-start gap-2">
            <Heading
              id={`${anchor}-by`}
              className="flex min-w-0 flex-1 flex-wrap items-baseline gap-x-1.5 text-base font-normal"
            >
              <Link
                to={`/u/${post.author.handle}`}
                className="truncate font-semibold text-slate-900 hover:underline"
              >
                {post.author.displayName}
              </Link>
              <span className="truncate text-sm text-slate-600">@{post.author.handle}</span>
              <Link
                to={`/p/${post.id}`}
                className="text-sm text-slate-600 before:mr-1.5 before:text-slate-500 before:content-['·'] hover:underline"
              >
                <time dateTime={post.time.iso} title={post.time.full}>
                  {post.time.ago}
                </time>
                <span className="sr-only"> — open post</span>
              </Link>
              {post.isEdited ? <span className="text-sm text-slate-600">· edited</span> : null}
            </Heading>
            {isSignedIn ? (
              <PostMenu post={post} ownRowId={ownRowId} redirectTo={here} deletion={deletion} />
            ) : null}
          </div>
          <PostText
            pieces={post.pieces}
            className="mt-0.5 text-[15px] leading-relaxed text-slate-900"
          />
          <div className="mt-2 -ml-2 flex flex-wrap items-center gap-x-4 gap-y-1">
            <Link
              to={`/p/${post.id}#comments`}
              aria-label={`Comments: ${post.commentCount} ${post.commentCount === 1 ? "comment" : "comments"}`}
              className="flex items-center gap-1.5 rounded-full px-2 py-1.5 text-sm font-medium tabular-nums text-slate-600 hover:bg-sky-50 hover:text-sky-800"
            >
              <CommentIcon />
              {post.commentCount}
            </Link>
            <RepostButton
              postId={post.id}
              count={post.repostCount}
              isReposted={post.viewerHasReposted}
              redirectTo={here}
            />
            <LikeButton
              kind="post"
              id={post.id}
              isLiked={post.viewerHasLiked}
              count={post.likeCount}
              redirectTo={here}
            />
          </div>
        </div>
      </div>
    </article>
  );
}

const menuItem =
  "block w-full rounded-md px-3 py-2 text-left text-sm text-slate-800 hover:bg-slate-100";

/**
 * Edit, delete, report, mute: a disclosure that works without JavaScript. Every card has
 * one, so it is kept small: plain forms (submitted through `useSubmit` when scripts run) and
 * the card's own deletion fetcher.
 */
function PostMenu({
  post,
  ownRowId,
  redirectTo,
  deletion,
}: {
  post: PostCardData;
  ownRowId: string | null;
  redirectTo: string;
  deletion: FetcherWithComponents<DeleteResult>;
}) {
  const submit = useSubmit();
  const isRepost = post.repost !== null;
  function confirmDelete(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!ownRowId) return;
    if (
      !window.confirm(isRepost ? "Undo this repost?" : "Delete this post? This cannot be undone.")
    ) {
      return;
    }
    void deletion.submit({ intent: "delete-post" }, { method: "post", action: `/p/${ownRowId}` });
  }
  function mute(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submit(event.currentTarget);
  }
  return (
    <details className="group relative shrink-0">
      <summary
        className="-mr-2 flex cursor-pointer list-none items-center rounded-full p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 [&::-webkit-details-marker]:hidden"
        aria-label={`More options for the post by ${post.author.displayName}`}
      >
        <MoreIcon />
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-52 rounded-xl border border-slate-200 bg-white p-1 shadow-lg">
        {post.canEdit && !isRepost ? (
          <Link to={`/p/${post.id}?edit=1#edit`} className={menuItem}>
            Edit post
          </Link>
        ) : null}
        {ownRowId ? (
          <form method="post" action={`/p/${ownRowId}`} onSubmit={confirmDelete}>
            <input type="hidden" name="intent" value="delete-post" />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <button type="submit" className={`${menuItem} text-red-800`}>
              {isRepost ? "Undo repost" : "Delete post"}
            </button>
          </form>
        ) : null}
        {!post.isOwn ? (
          <>
            <Link to={`/report?post=${post.id}`} className={menuItem}>
              Report post
            </Link>
            <form method="post" action={`/u/${post.author.handle}/mute`} onSubmit={mute}>
              <input type="hidden" name="intent" value="mute" />
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <button type="submit" className={menuItem}>
                Mute @{post.author.handle}
              </button>
            </form>
          </>
        ) : null}
      </div>
    </details>
  );
}
