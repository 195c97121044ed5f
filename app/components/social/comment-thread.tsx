import { Form, Link } from "@remix-run/react";
import { Avatar } from "./avatar.tsx";
import { TextComposer } from "./composer.tsx";
import { LikeButton } from "./like-button.tsx";
import { useHere } from "./post-card.tsx";
import { PostText } from "./post-text.tsx";
import type { PersonSummary, TimeStamp } from "./types.ts";
import type { TextPiece } from "./post-text.tsx";

export type CommentData = {
  key: string;
  id: string;
  author: PersonSummary;
  time: TimeStamp;
  pieces: TextPiece[];
  likeCount: number;
  viewerHasLiked: boolean;
  isOwn: boolean;
};

/** A top-level comment and its replies (replies go one level deep). */
export type CommentThreadData = CommentData & { replies: CommentData[] };

export type ReplyErrors = { parentId: string; errors: string[]; body: string } | null;

export function CommentThread({
  thread,
  postId,
  me,
  maxLength,
  replyErrors,
}: {
  thread: CommentThreadData;
  postId: string;
  me: PersonSummary | null;
  maxLength: number;
  replyErrors: ReplyErrors;
}) {
  return (
    <div className="flex flex-col gap-3">
      <Comment
        resetKey={thread.replies.length}
        comment={thread}
        postId={postId}
        me={me}
        maxLength={maxLength}
        replyErrors={replyErrors}
      />
      {thread.replies.length > 0 ? (
        <ul
          aria-label={`Replies to ${thread.author.displayName}`}
          className="ml-5 flex flex-col gap-3 border-l-2 border-slate-100 pl-4 sm:ml-14"
        >
          {thread.replies.map((reply) => (
            <li key={reply.key}>
              <Comment
                resetKey={thread.replies.length}
                comment={reply}
                postId={postId}
                me={me}
                maxLength={maxLength}
                replyErrors={replyErrors}
              />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Comment({
  resetKey,
  comment,
  postId,
  me,
  maxLength,
  replyErrors,
}: {
  /** Changes when a reply lands, which closes the reply form again. */
  resetKey: number;
  comment: CommentData;
  postId: string;
  me: PersonSummary | null;
  maxLength: number;
  replyErrors: ReplyErrors;
}) {
  const anchor = `comment-${comment.id}`;
  const here = useHere(anchor);
  const errors = replyErrors?.parentId === comment.id ? replyErrors : null;
  return (
    <article
      id={anchor}
      aria-labelledby={`${anchor}-by`}
      className="flex scroll-mt-4 gap-3"
      data-testid="comment"
    >
      <Avatar person={comment.author} size="sm" isLinked />
      <div className="min-w-0 flex-1">
        <div className="rounded-2xl bg-slate-100 px-3 py-2">
          <h3
            id={`${anchor}-by`}
            className="flex flex-wrap items-baseline gap-x-1.5 text-sm font-normal"
          >
            <Link
              to={`/u/${comment.author.handle}`}
              className="font-semibold text-slate-900 hover:underline"
            >
              {comment.author.displayName}
            </Link>
            <span className="text-slate-600">@{comment.author.handle}</span>
            <span aria-hidden="true" className="text-slate-500">
              ·
            </span>
            <time dateTime={comment.time.iso} title={comment.time.full} className="text-slate-600">
              {comment.time.ago}
            </time>
          </h3>
          <PostText
            pieces={comment.pieces}
            className="text-[15px] leading-relaxed text-slate-900"
          />
        </div>
        <div className="mt-1 flex flex-wrap items-center gap-x-3 text-sm">
          <LikeButton
            kind="comment"
            id={comment.id}
            isLiked={comment.viewerHasLiked}
            count={comment.likeCount}
            redirectTo={here}
            isCompact
          />
          {me ? (
            <details
              key={resetKey}
              className="open:order-last open:basis-full"
              open={errors !== null || undefined}
            >
              <summary className="cursor-pointer list-none rounded-full px-2 py-1 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 [&::-webkit-details-marker]:hidden">
                Reply<span className="sr-only"> to {comment.author.displayName}</span>
              </summary>
              <div className="mt-2">
                <TextComposer
                  action={`/p/${postId}`}
                  intent="reply"
                  hiddenFields={{ parentId: comment.id }}
                  label={`Reply to ${comment.author.displayName}`}
                  placeholder={`Reply to @${comment.author.handle}`}
                  submitLabel="Reply"
                  maxLength={maxLength}
                  rows={2}
                  errors={errors?.errors}
                  defaultValue={errors?.body ?? ""}
                />
              </div>
            </details>
          ) : null}
          {comment.isOwn ? (
            <Form method="post" action={`/p/${postId}`} preventScrollReset>
              <input type="hidden" name="intent" value="delete-comment" />
              <input type="hidden" name="commentId" value={comment.id} />
              <button
                type="submit"
                className="rounded-full px-2 py-1 font-medium text-slate-600 hover:bg-red-50 hover:text-red-800"
              >
                Delete<span className="sr-only"> your comment</span>
              </button>
            </Form>
          ) : me ? (
            <Link
              to={`/report?${new URLSearchParams({ comment: comment.id })}`}
              className="rounded-full px-2 py-1 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900"
            >
              Report<span className="sr-only"> comment by {comment.author.displayName}</span>
            </Link>
          ) : null}
        </div>
      </div>
    </article>
  );
}
