import { useFetcher, useLocation, useSubmit, type FetcherWithComponents } from "@remix-run/react";
import type { FormEvent } from "react";
import { Avatar } from "./avatar.tsx";
import { RepostIcon } from "./icons.tsx";
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
 *
 * A feed page renders twenty of these, so each is kept lean: its styles are a few classes
 * from app.css (`card`, `act`, …), its icons are drawn by CSS, and its links are plain
 * `<a>`s that the list or page around it navigates in the app (useClientNavigation),
 * marked `data-discover` as `<Link>` marks its own, so that Remix learns their routes
 * ahead of a click.
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
  const profile = `/u/${post.author.handle}`;
  return (
    <article id={anchor} aria-labelledby={`${anchor}-by`} data-testid="post-card" className="card">
      {post.repost ? (
        <p className="card-repost">
          <RepostIcon className="icon-sm" />
          <span>
            <a href={`/u/${post.repost.by.handle}`} data-discover="true">
              {post.repost.isOwn ? "You" : post.repost.by.displayName}
            </a>{" "}
            reposted
          </span>
        </p>
      ) : null}
      <div className="card-row">
        <a
          href={profile}
          data-discover="true"
          tabIndex={-1}
          aria-hidden="true"
          className="shrink-0"
        >
          <Avatar person={post.author} />
        </a>
        <div className="card-main">
          <div className="card-head">
            <Heading id={`${anchor}-by`} className="card-by">
              <a href={profile} data-discover="true" className="card-name">
                {post.author.displayName}
              </a>
              <span className="card-handle">@{post.author.handle}</span>
              <a href={`/p/${post.id}`} data-discover="true" className="card-time">
                <time dateTime={post.time.iso} title={post.time.full}>
                  {post.time.ago}
                </time>
                <span className="sr-only"> — open post</span>
              </a>
              {post.isEdited ? <span className="card-edited">· edited</span> : null}
            </Heading>
            {isSignedIn ? (
              <PostMenu post={post} ownRowId={ownRowId} redirectTo={here} deletion={deletion} />
            ) : null}
          </div>
          <PostText pieces={post.pieces} className="card-text" />
          <div className="card-actions">
            <a
              href={`/p/${post.id}#comments`}
              data-discover="true"
              aria-label={`Comments: ${post.commentCount} ${post.commentCount === 1 ? "comment" : "comments"}`}
              className="act act-comment"
            >
              {post.commentCount}
            </a>
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

/**
 * Edit, delete, report, mute: a disclosure that works without JavaScript. Every card has
 * one, so it is kept small: plain forms whose intent rides on the button (what a form
 * sends without JavaScript; with it, the handlers submit the same fields) and the card's
 * own deletion fetcher.
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
    submit(
      { intent: "mute", redirectTo },
      { method: "post", action: `/u/${post.author.handle}/mute` },
    );
  }
  return (
    <details className="menu">
      <summary aria-label={`More options for the post by ${post.author.displayName}`} />
      <div className="menu-items">
        {post.canEdit && !isRepost ? (
          <a href={`/p/${post.id}?edit=1#edit`} data-discover="true" className="menu-item">
            Edit post
          </a>
        ) : null}
        {ownRowId ? (
          <form method="post" action={`/p/${ownRowId}`} onSubmit={confirmDelete}>
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <button
              type="submit"
              name="intent"
              value="delete-post"
              className="menu-item text-red-800"
            >
              {isRepost ? "Undo repost" : "Delete post"}
            </button>
          </form>
        ) : null}
        {!post.isOwn ? (
          <>
            <a href={`/report?post=${post.id}`} data-discover="true" className="menu-item">
              Report post
            </a>
            <form method="post" action={`/u/${post.author.handle}/mute`} onSubmit={mute}>
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <button type="submit" name="intent" value="mute" className="menu-item">
                Mute @{post.author.handle}
              </button>
            </form>
          </>
        ) : null}
      </div>
    </details>
  );
}
