import {
  data,
  redirect,
  type ActionFunctionArgs,
  type AppLoadContext,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Avatar } from "#app/components/social/avatar.tsx";
import { PostText, type TextPiece } from "#app/components/social/post-text.tsx";
import type { PersonSummary, TimeStamp } from "#app/components/social/types.ts";
import { personSummary, toPieces } from "#app/utils/social-cards.server.ts";
import { failureStatus } from "#app/utils/social-requests.server.ts";
import { timeStamp } from "#app/utils/time-stamp.server.ts";
import { requireViewer } from "#app/utils/viewer.server.ts";
import type { UserId } from "#core/auth/ids.ts";
import type { ValidatedSession } from "#core/auth/session.service.ts";
import { getProfilesByIds } from "#core/profiles/profile.service.ts";
import { InvalidCursorError } from "#core/social/cursor.ts";
import { decideReport, listOpenReports, type Report } from "#core/social/moderation.ts";
import { getCommentsByIds } from "#core/social/comments.ts";
import { getPostsByIds } from "#core/social/posts.ts";
import { segmentText } from "#core/social/post-text.ts";

export const meta: MetaFunction = () => [{ title: "Moderation · Tributary" }];

const PAGE_SIZE = 25;
const NOTE_MAX = 500;

/** Admins only; to anyone else the page does not exist. */
function requireAdmin(context: AppLoadContext, request: Request): ValidatedSession {
  const viewer = requireViewer(context, request);
  if (!viewer.user.isAdmin) throw new Response("Not Found", { status: 404 });
  return viewer;
}

type ReportView = {
  key: string;
  id: string;
  kind: Report["target"]["kind"];
  reason: string;
  time: TimeStamp;
  reporter: PersonSummary | null;
  target: {
    author: PersonSummary | null;
    pieces: TextPiece[] | null;
    href: string | null;
    /** "deleted" / "hidden" when there is nothing left to hide. */
    state: "live" | "deleted" | "hidden";
  };
};

export async function loader({ context, request }: LoaderFunctionArgs) {
  const admin = requireAdmin(context, request);
  const { db } = context.services;
  const after = new URL(request.url).searchParams.get("after");
  let listed;
  try {
    listed = await listOpenReports(db, admin.user, { limit: PAGE_SIZE, after });
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    throw redirect("/admin/moderation");
  }
  if (!listed.ok) throw new Response("Not Found", { status: 404 });
  const reports = listed.value.items;
  const postIds = reports.flatMap((r) => (r.target.kind === "post" ? [r.target.id] : []));
  const commentIds = reports.flatMap((r) => (r.target.kind === "comment" ? [r.target.id] : []));
  const [posts, comments] = await Promise.all([
    getPostsByIds(db, postIds),
    getCommentsByIds(db, commentIds),
  ]);
  const people = await getProfilesByIds(db, [
    ...new Set<string>([
      ...reports.map((r) => r.reporterId),
      ...reports.flatMap((r) => (r.target.kind === "user" ? [r.target.id] : [])),
      ...posts.map((p) => p.authorId),
      ...comments.map((c) => c.authorId),
    ]),
  ]);
  const personById = new Map(people.flatMap((p) => (p ? [[p.id as UserId, p] as const] : [])));
  const postById = new Map(posts.map((p) => [String(p.id), p]));
  const commentById = new Map(comments.map((c) => [String(c.id), c]));
  const summary = (id: UserId) => {
    const person = personById.get(id);
    return person ? personSummary(person) : null;
  };
  const now = new Date();

  const views = reports.map((report): ReportView => {
    const base = {
      key: String(report.id),
      id: String(report.id),
      kind: report.target.kind,
      reason: report.reason,
      time: timeStamp(report.createdAt, now),
      reporter: summary(report.reporterId),
    };
    const target = report.target;
    if (target.kind === "user") {
      const person = summary(target.id);
      return {
        ...base,
        target: {
          author: person,
          pieces: null,
          href: person ? `/u/${person.handle}` : null,
          state: person ? "live" : "hidden",
        },
      };
    }
    const item =
      target.kind === "post" ? postById.get(String(target.id)) : commentById.get(String(target.id));
    const postId = item ? ("postId" in item ? item.postId : (item.repostOfId ?? item.id)) : null;
    return {
      ...base,
      target: {
        author: item ? summary(item.authorId) : null,
        pieces: item ? toPieces(segmentText(item.body)) : null,
        href: postId
          ? `/p/${postId}${target.kind === "comment" ? `#comment-${target.id}` : ""}`
          : null,
        state: !item || item.deletedAt ? "deleted" : item.hiddenAt ? "hidden" : "live",
      },
    };
  });
  return { page: { items: views, nextCursor: listed.value.nextCursor }, isFirstPage: !after };
}

const decisionInput = z.object({
  reportId: z.string().regex(/^[1-9][0-9]{0,18}$/, "That is not a report."),
  decision: z.enum(["hide", "dismiss"], { error: "Choose Hide or Dismiss." }),
  note: z
    .string()
    .trim()
    .max(NOTE_MAX, `A note has at most ${NOTE_MAX} characters.`)
    .optional()
    .default(""),
});

type ActionData =
  | { reportId: string; decided: "hide" | "dismiss"; error: null }
  | { reportId: string; decided: null; error: string };

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const form = await request.formData();
  const reportId = String(form.get("reportId") ?? "");
  const fail = (error: string, status = 400) =>
    data({ reportId, decided: null, error } satisfies ActionData, { status });
  const parsed = decisionInput.safeParse(Object.fromEntries(form));
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "Check the decision.");
  const result = await decideReport(
    context.services.db,
    admin.user,
    BigInt(parsed.data.reportId),
    parsed.data.decision,
    parsed.data.note || null,
  );
  if (!result.ok) return fail(result.error.message, failureStatus(result.error));
  return { reportId, decided: parsed.data.decision, error: null } satisfies ActionData;
}

const kindWords = { post: "Post", comment: "Comment", user: "Account" } as const;

export default function ModerationPage() {
  const { page, isFirstPage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-2xl font-bold tracking-tight">Moderation</h1>
        <Link to="/admin/rewards" className="text-sm font-medium text-brand-800 underline">
          Rewards admin
        </Link>
      </div>
      <p className="text-sm text-slate-700">
        Open reports, oldest first. Hiding takes the content down everywhere, closes every open
        report about it, and reverses the rewards still held for it.
      </p>
      <p role="status" className="text-sm font-medium text-brand-800">
        {actionData?.decided
          ? `Report ${actionData.reportId}: ${actionData.decided === "hide" ? "content hidden" : "dismissed"}.`
          : ""}
      </p>
      {page.items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-700">
          {isFirstPage ? "No open reports. All clear." : "No more open reports."}
        </p>
      ) : (
        <ul aria-label="Open reports" className="flex flex-col gap-3">
          {page.items.map((report) => (
            <ReportItem
              key={report.key}
              report={report}
              error={actionData?.reportId === report.id ? actionData.error : null}
            />
          ))}
        </ul>
      )}
      {page.nextCursor ? (
        <Link
          to={`/admin/moderation?${new URLSearchParams({ after: page.nextCursor })}`}
          className="self-center rounded-full border border-slate-300 bg-white px-4 py-2 text-sm font-semibold shadow-sm"
        >
          More reports
        </Link>
      ) : null}
    </div>
  );
}

function ReportItem({ report, error }: { report: ReportView; error: string | null }) {
  const navigation = useNavigation();
  const isBusy =
    navigation.state === "submitting" && navigation.formData?.get("reportId") === report.id;
  const noteId = `note-${report.id}`;
  const { target } = report;
  return (
    <li
      data-testid={`report-${report.id}`}
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <h2 className="font-semibold">
          {kindWords[report.kind]} reported by{" "}
          {report.reporter ? (
            <Link to={`/u/${report.reporter.handle}`} className="text-brand-800 underline">
              @{report.reporter.handle}
            </Link>
          ) : (
            "a hidden account"
          )}
        </h2>
        <p className="text-sm text-slate-600">
          <time dateTime={report.time.iso} title={report.time.full}>
            {report.time.ago}
          </time>{" "}
          · #{report.id}
        </p>
      </div>
      <p className="mt-1 text-slate-900">
        <span className="font-medium">Why:</span> “{report.reason}”
      </p>
      <div className="mt-3 flex gap-3 rounded-xl border border-slate-200 bg-slate-50 p-3">
        {target.author ? <Avatar person={target.author} size="sm" /> : null}
        <div className="min-w-0 flex-1">
          <p className="text-sm">
            {target.author ? (
              <>
                <span className="font-semibold">{target.author.displayName}</span>{" "}
                <span className="text-slate-600">@{target.author.handle}</span>
              </>
            ) : (
              <span className="text-slate-600">Unknown author</span>
            )}
            {target.state !== "live" ? (
              <span className="ml-2 rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-800">
                already {target.state}
              </span>
            ) : null}
          </p>
          {target.pieces ? (
            <PostText pieces={target.pieces} className="mt-1 line-clamp-6 text-sm text-slate-900" />
          ) : null}
          {target.href && target.state === "live" ? (
            <Link
              to={target.href}
              className="mt-1 inline-block text-sm font-medium text-brand-800 underline"
            >
              Open {report.kind === "user" ? "profile" : report.kind}
            </Link>
          ) : null}
        </div>
      </div>
      <Form method="post" className="mt-3 flex flex-col gap-2" preventScrollReset>
        <input type="hidden" name="reportId" value={report.id} />
        <label htmlFor={noteId} className="text-sm font-medium text-slate-800">
          Note on report #{report.id} (optional, for the record)
        </label>
        <textarea
          id={noteId}
          name="note"
          rows={2}
          maxLength={NOTE_MAX}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${noteId}-error` : undefined}
          className="rounded-xl border border-slate-300 bg-white px-3 py-2 text-base"
        />
        {error ? (
          <p id={`${noteId}-error`} className="text-sm text-red-800">
            {error}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <button
            type="submit"
            name="decision"
            value="hide"
            disabled={isBusy}
            className="rounded-full bg-red-800 px-4 py-1.5 text-sm font-semibold text-white hover:bg-red-900 disabled:opacity-60"
          >
            Hide {report.kind === "user" ? "account" : report.kind}
          </button>
          <button
            type="submit"
            name="decision"
            value="dismiss"
            disabled={isBusy}
            className="rounded-full border border-slate-300 bg-white px-4 py-1.5 text-sm font-semibold text-slate-800 hover:bg-slate-50 disabled:opacity-60"
          >
            Dismiss
          </button>
        </div>
      </Form>
    </li>
  );
}
