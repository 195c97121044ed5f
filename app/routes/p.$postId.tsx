import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { useEffect } from "react";
import { EditPostSection } from "#app/components/post-page/edit-post-section.tsx";
import { CommentThread } from "#app/components/social/comment-thread.tsx";
import { TextComposer } from "#app/components/social/composer.tsx";
import { useClientNavigation } from "#app/utils/plain-links.ts";
import { InfiniteList } from "#app/components/social/infinite-list.tsx";
import { PostCard, type DeleteResult } from "#app/components/social/post-card.tsx";
import { commentThreads } from "#app/utils/comment-threads.server.ts";
import {
  bodyErrors,
  commentInput,
  deleteCommentInput,
  editPostInput,
  firstError,
} from "#app/utils/post-forms.server.ts";
import { loadPostCards, personSummary } from "#app/utils/social-cards.server.ts";
import {
  backTo,
  failureStatus,
  requireActor,
  requireIdParam,
} from "#app/utils/social-requests.server.ts";
import { getOwnProfile } from "#core/profiles/profile.service.ts";
import { createComment, deleteComment, listComments } from "#core/social/comments.ts";
import { InvalidCursorError } from "#core/social/cursor.ts";
import { viewComments } from "#core/social/post-views.ts";
import { COMMENT_MAX_LENGTH, POST_MAX_LENGTH } from "#shared/text-limits.ts";
import { deletePost, editPost, getVisiblePost } from "#core/social/posts.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.post.author.displayName}: “${data.preview}” · Tributary`
      : "Post · Tributary",
  },
];

const COMMENT_PAGE_SIZE = 30;

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const postId = requireIdParam(params.postId);
  const { db } = context.services;
  const post = await getVisiblePost(context.services, postId);
  if (!post) throw new Response("Not Found", { status: 404 });
  // A repost has nothing of its own to discuss: show what it shares.
  if (post.repostOfId !== null) throw redirect(`/p/${post.repostOfId}`);

  const url = new URL(request.url);
  const viewerId = context.viewer?.user.id ?? null;
  let comments;
  try {
    comments = await listComments(db, postId, {
      limit: COMMENT_PAGE_SIZE,
      after: url.searchParams.get("after"),
    });
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw redirect(`/p/${postId}#comments`);
  }
  const [cards, commentViews, me] = await Promise.all([
    loadPostCards(context, [post]),
    viewComments(db, viewerId, comments.items),
    viewerId ? getOwnProfile(db, viewerId) : null,
  ]);
  const card = cards[0];
  if (!card) throw new Response("Not Found", { status: 404 });
  const isEditing = url.searchParams.has("edit") && card.canEdit;
  return {
    post: card,
    preview: post.body.length > 60 ? `${post.body.slice(0, 60)}…` : post.body,
    editBody: isEditing ? post.body : null,
    me: me ? personSummary(me) : null,
    page: {
      items: commentThreads(comments.items, commentViews, viewerId, new Date()),
      nextCursor: comments.nextCursor,
    },
    isFirstPage: !url.searchParams.get("after"),
    limits: { post: POST_MAX_LENGTH, comment: COMMENT_MAX_LENGTH },
  };
}

type ActionData =
  | { intent: "comment" | "edit-post"; result: SubmissionResult<string[]> }
  | { intent: "reply"; parentId: string; result: SubmissionResult<string[]> }
  | { intent: "delete-comment" | "unknown"; error: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  const postId = requireIdParam(params.postId);
  const form = await request.formData();
  const viewer = requireActor(context, request, form, `/p/${postId}`);
  const userId = viewer.user.id;
  const intent = form.get("intent");

  if (intent === "comment" || intent === "reply") {
    const submission = parseWithZod(form, { schema: commentInput(intent === "reply") });
    if (submission.status !== "success") {
      const error = firstError(submission.reply(), "That reply is not to a comment here.");
      return data({ intent: "unknown", error } satisfies ActionData, { status: 400 });
    }
    const { parentId, body } = submission.value;
    const result = await createComment(context.services, userId, { postId, parentId, body });
    if (!result.ok) {
      const reply = submission.reply({ fieldErrors: bodyErrors(result.error) });
      const failed: ActionData =
        parentId === null
          ? { intent: "comment", result: reply }
          : { intent: "reply", parentId: String(parentId), result: reply };
      return data(failed, { status: failureStatus(result.error) });
    }
    throw redirect(`/p/${postId}#comment-${result.value.comment.id}`, 303);
  }

  if (intent === "edit-post") {
    const submission = parseWithZod(form, { schema: editPostInput });
    if (submission.status !== "success") {
      return data({ intent, result: submission.reply() } satisfies ActionData, { status: 400 });
    }
    const result = await editPost(context.services, userId, postId, submission.value);
    if (!result.ok) {
      const reply = submission.reply({ fieldErrors: bodyErrors(result.error) });
      return data({ intent, result: reply } satisfies ActionData, {
        status: failureStatus(result.error),
      });
    }
    throw redirect(`/p/${postId}`, 303);
  }

  if (intent === "delete-post") {
    const result = await deletePost(context.services, userId, postId);
    const hasRedirect = typeof form.get("redirectTo") === "string";
    if (!result.ok) {
      const status = failureStatus(result.error);
      if (hasRedirect) throw new Response(result.error.message, { status });
      return data({ ok: false, error: result.error.message } satisfies DeleteResult, { status });
    }
    if (!hasRedirect) return { ok: true } satisfies DeleteResult;
    const back = backTo(form, request, "/feed");
    // The post's own page is gone with it.
    throw redirect(back.startsWith(`/p/${postId}`) ? "/feed" : back, 303);
  }

  if (intent === "delete-comment") {
    const submission = parseWithZod(form, { schema: deleteCommentInput });
    if (submission.status !== "success") {
      const error = firstError(submission.reply(), "That comment does not exist.");
      return data({ intent, error } satisfies ActionData, { status: 400 });
    }
    const result = await deleteComment(context.services, userId, submission.value.commentId);
    if (!result.ok) {
      return data({ intent, error: result.error.message } satisfies ActionData, {
        status: failureStatus(result.error),
      });
    }
    throw redirect(`/p/${postId}#comments`, 303);
  }

  return data(
    { intent: "unknown", error: "That form is not one this page knows." } satisfies ActionData,
    { status: 400 },
  );
}

export default function PostPage() {
  const { post, editBody, me, page, isFirstPage, limits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | DeleteResult | undefined;
  const navigate = useNavigate();
  const navigateInApp = useClientNavigation();
  const deletion = useFetcher<DeleteResult>({ key: `delete-post-${post.id}` });
  useEffect(() => {
    if (deletion.state === "idle" && deletion.data?.ok) navigate("/feed");
  }, [deletion.state, deletion.data, navigate]);

  const formErrors = actionData && "intent" in actionData ? actionData : null;
  const comment = composerReply(formErrors?.intent === "comment" ? formErrors.result : null);
  const edit = composerReply(formErrors?.intent === "edit-post" ? formErrors.result : null);
  const reply = formErrors?.intent === "reply" ? composerReply(formErrors.result) : null;
  const replyErrors =
    formErrors?.intent === "reply" && reply
      ? { parentId: formErrors.parentId, errors: reply.errors ?? [], body: reply.body ?? "" }
      : null;
  const pageError =
    formErrors && "error" in formErrors
      ? formErrors.error
      : actionData && "ok" in actionData && !actionData.ok
        ? actionData.error
        : null;

  return (
    // The post card's links are plain `<a>`s: navigated in the app from here.
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-4" onClick={navigateInApp}>
      <p className="text-sm">
        <Link to="/feed" className="font-medium text-brand-800 hover:underline">
          ← Feed
        </Link>
      </p>
      <h1 className="sr-only">Post by {post.author.displayName}</h1>
      {pageError ? (
        <p
          role="alert"
          className="rounded-xl border border-red-200 bg-red-50 p-3 text-sm text-red-900"
        >
          {pageError}
        </p>
      ) : null}
      {editBody !== null ? (
        <EditPostSection
          postId={post.id}
          body={edit.body ?? editBody}
          maxLength={limits.post}
          errors={edit.errors}
        />
      ) : (
        <PostCard post={post} isSignedIn={me !== null} />
      )}

      <section
        id="comments"
        aria-labelledby="comments-heading"
        className="scroll-mt-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
      >
        <h2 id="comments-heading" className="text-lg font-semibold">
          Comments <span className="font-normal text-slate-600">({post.commentCount})</span>
        </h2>
        {me ? (
          <div className="mt-3">
            <TextComposer
              intent="comment"
              label="Write a comment"
              placeholder="Add a comment…"
              submitLabel="Comment"
              maxLength={limits.comment}
              rows={2}
              author={me}
              errors={comment.errors}
              defaultValue={comment.body ?? ""}
            />
          </div>
        ) : (
          <p className="mt-2 text-sm text-slate-700">
            <Link
              to={`/signin?${new URLSearchParams({ redirectTo: `/p/${post.id}#comments` })}`}
              className="font-semibold text-brand-800 underline"
            >
              Sign in
            </Link>{" "}
            to comment.
          </p>
        )}
        <div className="mt-5">
          {page.items.length === 0 ? (
            <p className="text-sm text-slate-600">
              {isFirstPage ? "No comments yet. Start the conversation." : "No more comments."}
            </p>
          ) : (
            <InfiniteList
              first={page}
              label="Comments"
              moreLabel="More comments"
              className="flex flex-col gap-5"
              pageHref={(cursor) => `/p/${post.id}?${new URLSearchParams({ after: cursor })}`}
              renderItem={(thread) => (
                <CommentThread
                  thread={thread}
                  postId={post.id}
                  me={me}
                  maxLength={limits.comment}
                  replyErrors={replyErrors}
                />
              )}
            />
          )}
        </div>
      </section>
    </div>
  );
}

/** What a refused text box gets back: the server's messages and the text as it was sent. */
function composerReply(result: SubmissionResult<string[]> | null) {
  if (!result) return { errors: undefined, body: undefined };
  const body = result.initialValue?.body;
  return {
    errors: Object.values(result.error ?? {}).flatMap((errors) => errors ?? []),
    body: typeof body === "string" ? body : "",
  };
}
