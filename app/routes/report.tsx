import {
  data,
  type ActionFunctionArgs,
  type AppLoadContext,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
} from "@remix-run/react";
import { useId } from "react";
import { FieldErrors } from "#app/components/form-field.tsx";
import { Avatar } from "#app/components/social/avatar.tsx";
import { PostText, type TextPiece } from "#app/components/social/post-text.tsx";
import type { PersonSummary } from "#app/components/social/types.ts";
import { personSummary, toPieces } from "#app/utils/social-cards.server.ts";
import { failureStatus } from "#app/utils/social-requests.server.ts";
import { requireViewer } from "#app/utils/viewer.server.ts";
import { getProfileByHandle, getProfilesByIds } from "#core/profiles/profile.service.ts";
import { parseId } from "#core/social/cursor.ts";
import { report, type ReportTarget } from "#core/social/moderation.ts";
import { REPORT_REASON_MAX } from "#shared/text-limits.ts";
import { getCommentsByIds } from "#core/social/comments.ts";
import { getPostsByIds } from "#core/social/posts.ts";
import { isLive } from "#core/social/visibility.ts";
import { segmentText } from "#core/social/post-text.ts";

export const meta: MetaFunction = () => [{ title: "Report · Tributary" }];

type Reported = {
  target: ReportTarget;
  kind: "post" | "comment" | "user";
  /** Where the reported thing lives, to go back to. */
  href: string;
  author: PersonSummary;
  pieces: TextPiece[] | null;
};

/** What `?post=<id>`, `?comment=<id>` or `?user=<handle>` points at, or a 404. */
async function findReported(context: AppLoadContext, url: URL): Promise<Reported> {
  const { db } = context.services;
  const notFound = () => new Response("Not Found", { status: 404 });
  const handle = url.searchParams.get("user");
  if (handle !== null) {
    const profile = await getProfileByHandle(db, handle);
    if (!profile) throw notFound();
    return {
      target: { kind: "user", id: profile.id },
      kind: "user",
      href: `/u/${profile.handle}`,
      author: personSummary(profile),
      pieces: null,
    };
  }
  const commentId = parseId(url.searchParams.get("comment"));
  if (commentId !== null) {
    const [comment] = await getCommentsByIds(db, [commentId]);
    if (!comment || !isLive(comment)) throw notFound();
    const [author] = await getProfilesByIds(db, [comment.authorId]);
    if (!author) throw notFound();
    return {
      target: { kind: "comment", id: comment.id },
      kind: "comment",
      href: `/p/${comment.postId}#comment-${comment.id}`,
      author: personSummary(author),
      pieces: toPieces(segmentText(comment.body)),
    };
  }
  const postId = parseId(url.searchParams.get("post"));
  if (postId !== null) {
    const [post] = await getPostsByIds(db, [postId]);
    if (!post || !isLive(post)) throw notFound();
    const [author] = await getProfilesByIds(db, [post.authorId]);
    if (!author) throw notFound();
    return {
      target: { kind: "post", id: post.id },
      kind: "post",
      href: `/p/${post.repostOfId ?? post.id}`,
      author: personSummary(author),
      pieces: toPieces(segmentText(post.body)),
    };
  }
  throw notFound();
}

export async function loader({ context, request }: LoaderFunctionArgs) {
  requireViewer(context, request);
  const reported = await findReported(context, new URL(request.url));
  return {
    kind: reported.kind,
    href: reported.href,
    author: reported.author,
    pieces: reported.pieces,
    maxLength: REPORT_REASON_MAX,
  };
}

type ActionData = { isReported: true } | { isReported: false; error: string; reason: string };

export async function action({ context, request }: ActionFunctionArgs) {
  const viewer = requireViewer(context, request);
  const reported = await findReported(context, new URL(request.url));
  const form = await request.formData();
  const reason = form.get("reason");
  const result = await report(context.services.db, viewer.user.id, reported.target, reason);
  if (!result.ok) {
    return data(
      {
        isReported: false,
        error: result.error.fieldErrors?.reason?.[0] ?? result.error.message,
        reason: typeof reason === "string" ? reason : "",
      } satisfies ActionData,
      { status: failureStatus(result.error) },
    );
  }
  return { isReported: true } satisfies ActionData;
}

const kindWords = { post: "post", comment: "comment", user: "account" } as const;

export default function ReportPage() {
  const { kind, href, author, pieces, maxLength } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const location = useLocation();
  const id = useId();
  const error = actionData && !actionData.isReported ? actionData.error : null;
  return (
    <div className="mx-auto flex w-full max-w-xl flex-col gap-4">
      <h1 className="text-2xl font-bold tracking-tight">Report this {kindWords[kind]}</h1>
      <section
        aria-label={`The ${kindWords[kind]} you are reporting`}
        className="flex gap-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
      >
        <Avatar person={author} />
        <div className="min-w-0 flex-1">
          <p>
            <span className="font-semibold">{author.displayName}</span>{" "}
            <span className="text-sm text-slate-600">@{author.handle}</span>
          </p>
          {pieces ? <PostText pieces={pieces} className="mt-1 text-slate-900" /> : null}
        </div>
      </section>
      {actionData?.isReported ? (
        <div
          role="status"
          className="rounded-2xl border border-brand-100 bg-brand-50 p-4 text-brand-800"
        >
          <p className="font-semibold">Thank you — the moderators will look at it.</p>
          <p className="mt-1 text-sm">
            <Link to={href} className="font-medium underline">
              Go back
            </Link>
          </p>
        </div>
      ) : (
        <Form
          method="post"
          action={`${location.pathname}${location.search}`}
          className="flex flex-col gap-3 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
        >
          <label htmlFor={id} className="font-medium text-slate-800">
            What is wrong with it?
          </label>
          <p id={`${id}-hint`} className="-mt-2 text-sm text-slate-600">
            Moderators read every report. Say what breaks the rules: spam, abuse, scams… (up to{" "}
            {maxLength} characters)
          </p>
          <textarea
            id={id}
            name="reason"
            rows={4}
            defaultValue={actionData && !actionData.isReported ? actionData.reason : ""}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
            className="rounded-xl border border-slate-300 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-700"
          />
          {error ? <FieldErrors id={`${id}-error`} errors={[error]} /> : null}
          <div className="flex items-center justify-end gap-3">
            <Link to={href} className="text-sm font-medium text-slate-700 underline">
              Cancel
            </Link>
            <button
              type="submit"
              disabled={navigation.state === "submitting"}
              className="rounded-full bg-red-800 px-5 py-2 text-sm font-semibold text-white hover:bg-red-900 disabled:opacity-60"
            >
              {navigation.state === "submitting" ? "Sending…" : "Send report"}
            </button>
          </div>
        </Form>
      )}
    </div>
  );
}
