import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { FieldErrors } from "#app/components/form-field.tsx";
import { Avatar } from "#app/components/social/avatar.tsx";
import { PostText } from "#app/components/social/post-text.tsx";
import type { ReportDecisionResult, ReportView } from "./moderation-views.ts";

const kindWords = { post: "Post", comment: "Comment", user: "Account" } as const;

/** One open report: who reported what and why, and the form that hides or dismisses it. */
export function ReportItem({
  report,
  noteMaxLength,
}: {
  report: ReportView;
  noteMaxLength: number;
}) {
  const navigation = useNavigation();
  const isBusy =
    navigation.state === "submitting" && navigation.formData?.get("reportId") === report.id;
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
      <ReportDecisionForm report={report} noteMaxLength={noteMaxLength} isBusy={isBusy} />
    </li>
  );
}

function ReportDecisionForm({
  report,
  noteMaxLength,
  isBusy,
}: {
  report: ReportView;
  noteMaxLength: number;
  isBusy: boolean;
}) {
  const actionData = useActionData<ReportDecisionResult>();
  const [form, fields] = useForm<{ reportId: string; decision: string; note: string }>({
    id: `decide-report-${report.id}`,
    lastResult: actionData?.reportId === report.id ? actionData.result : undefined,
  });
  // One message under the note, whichever part of the form it is about.
  const errors = [
    ...(fields.note.errors ?? []),
    ...(fields.decision.errors ?? []),
    ...(fields.reportId.errors ?? []),
    ...(form.errors ?? []),
  ];
  const hasErrors = errors.length > 0;
  const { key, ...noteProps } = getTextareaProps(fields.note);
  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="mt-3 flex flex-col gap-2"
      preventScrollReset
    >
      <input type="hidden" name="reportId" value={report.id} />
      <label htmlFor={fields.note.id} className="text-sm font-medium text-slate-800">
        Note on report #{report.id} (optional, for the record)
      </label>
      <textarea
        key={key}
        {...noteProps}
        rows={2}
        maxLength={noteMaxLength}
        aria-invalid={hasErrors ? true : undefined}
        aria-describedby={hasErrors ? fields.note.errorId : undefined}
        className="rounded-xl border border-slate-300 bg-white px-3 py-2 text-base"
      />
      <FieldErrors id={fields.note.errorId} errors={hasErrors ? errors : undefined} />
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
  );
}
