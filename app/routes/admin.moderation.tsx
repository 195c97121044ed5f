import { parseWithZod } from "@conform-to/zod/v4";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import type { ReportDecisionResult } from "#app/components/moderation/moderation-views.ts";
import { ReportItem } from "#app/components/moderation/report-item.tsx";
import { loadReportViews } from "#app/utils/moderation-reports.server.ts";
import { failureStatus } from "#app/utils/social-requests.server.ts";
import { requireAdmin } from "#app/utils/viewer.server.ts";
import { InvalidCursorError } from "#core/social/cursor.ts";
import { decideReport, listOpenReports } from "#core/social/moderation.ts";
import { ROW_ID_TEXT } from "#core/row-id.ts";

export const meta: MetaFunction = () => [{ title: "Moderation · Tributary" }];

const PAGE_SIZE = 25;
const NOTE_MAX = 500;

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
  const views = await loadReportViews(db, listed.value.items);
  return { page: { items: views, nextCursor: listed.value.nextCursor }, isFirstPage: !after };
}

const decisionInput = z.object({
  reportId: z
    .string({ error: "That is not a report." })
    .regex(ROW_ID_TEXT, "That is not a report."),
  decision: z.enum(["hide", "dismiss"], { error: "Choose Hide or Dismiss." }),
  // An empty note reaches the schema as undefined (Conform drops empty fields).
  note: z
    .string()
    .trim()
    .max(NOTE_MAX, `A note has at most ${NOTE_MAX} characters.`)
    .optional()
    .default(""),
});

export async function action({ context, request }: ActionFunctionArgs) {
  const admin = requireAdmin(context, request);
  const formData = await request.formData();
  // Echoed back so the page knows which of its report forms the reply is for.
  const reportId = String(formData.get("reportId") ?? "");
  const submission = parseWithZod(formData, { schema: decisionInput });
  if (submission.status !== "success") {
    return data(
      { reportId, decided: null, result: submission.reply() } satisfies ReportDecisionResult,
      { status: 400 },
    );
  }
  const { value } = submission;
  const result = await decideReport(
    context.services.db,
    admin.user,
    BigInt(value.reportId),
    value.decision,
    value.note || null,
  );
  if (!result.ok) {
    const reply = submission.reply({ formErrors: [result.error.message] });
    return data({ reportId, decided: null, result: reply } satisfies ReportDecisionResult, {
      status: failureStatus(result.error),
    });
  }
  return {
    reportId,
    decided: value.decision,
    result: submission.reply(),
  } satisfies ReportDecisionResult;
}

export default function ModerationPage() {
  const { page, isFirstPage } = useLoaderData<typeof loader>();
  const actionData = useActionData<ReportDecisionResult>();
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
            <ReportItem key={report.key} report={report} noteMaxLength={NOTE_MAX} />
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
