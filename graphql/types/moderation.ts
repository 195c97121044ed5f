import { encodeGlobalID } from "@pothos/plugin-relay";
import type { UserId } from "#core/auth/ids.ts";
import {
  decideReport,
  listOpenReports,
  report,
  type Report,
  type ReportTarget,
  getReportsByIds,
} from "#core/social/moderation.ts";
import { REPORT_REASON_MAX } from "#shared/text-limits.ts";
import { parseId } from "#core/social/cursor.ts";
import type { ReportStatus, ReportTargetKind } from "#db/schema-social.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { loadUser, socialLoaders } from "../loaders.ts";
import { CommentRef } from "./comment.ts";
import { ForbiddenError, NotFoundError, NotSignedInError, ValidationError } from "./errors.ts";
import { PostRef } from "./post.ts";
import {
  idFromGlobal,
  requireViewerId,
  SelfActionError,
  throwSocialFailure,
  userIdFromGlobal,
} from "./social-errors.ts";
import { pageConnection, pageOrThrow } from "./social-pages.ts";
import { UserRef } from "./user.ts";

// Reports by anyone, decided by admins. An admin sees reported things as they are,
// hidden or not, so the queue shows what was reported even after it was hidden.

const ReportStatusEnum = builder.enumType("ReportStatus", {
  values: {
    OPEN: { value: "open", description: "Waiting for a moderator." },
    HIDDEN: { value: "hidden", description: "A moderator hid what was reported." },
    DISMISSED: { value: "dismissed", description: "A moderator left it up." },
  } as const satisfies Record<string, { value: ReportStatus; description: string }>,
});

const ReportTargetKindEnum = builder.enumType("ReportTargetKind", {
  values: {
    POST: { value: "post" },
    COMMENT: { value: "comment" },
    USER: { value: "user" },
  } as const satisfies Record<string, { value: ReportTargetKind }>,
});

const ReportDecisionEnum = builder.enumType("ReportDecision", {
  values: {
    HIDE: {
      value: "hide",
      description:
        "Hides what was reported (a person: their profile, posts and comments), reverses the rewards still held for it, and closes every open report about it.",
    },
    DISMISS: { value: "dismiss", description: "Closes this report and leaves the content up." },
  } as const,
});

const ReportRef = builder.objectRef<Report>("Report");

builder.node(ReportRef, {
  description: "A report of a post, comment or person. Admins only.",
  authScopes: { admin: true },
  id: { resolve: (r) => r.id.toString() },
  loadMany: async (ids, context) => {
    const wanted = ids.map((id) => parseId(id));
    const found = await getReportsByIds(
      context.services.db,
      context.viewer?.user ?? null,
      wanted.filter((id): id is bigint => id !== null),
    );
    const byId = new Map(found.map((r) => [r.id, r]));
    return wanted.map((id) => (id === null ? null : (byId.get(id) ?? null)));
  },
  fields: (t) => ({
    reason: t.exposeString("reason", { description: "What the reporter said is wrong." }),
    status: t.expose("status", { type: ReportStatusEnum }),
    targetKind: t.field({ type: ReportTargetKindEnum, resolve: (r) => r.target.kind }),
    post: t.field({
      type: PostRef,
      nullable: true,
      description: "The reported post, hidden or not.",
      resolve: async (r, _args, context) =>
        r.target.kind === "post" ? socialLoaders(context).posts.load(r.target.id) : null,
    }),
    comment: t.field({
      type: CommentRef,
      nullable: true,
      description: "The reported comment, hidden or not.",
      resolve: async (r, _args, context) =>
        r.target.kind === "comment" ? socialLoaders(context).comments.load(r.target.id) : null,
    }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description: "The reported person.",
      resolve: (r, _args, context) =>
        r.target.kind === "user" ? loadUser(context, r.target.id) : null,
    }),
    reporter: t.field({
      type: UserRef,
      resolve: (r, _args, context) => loadUser(context, r.reporterId),
    }),
    decidedBy: t.field({
      type: UserRef,
      nullable: true,
      resolve: (r, _args, context) => (r.decidedBy ? loadUser(context, r.decidedBy) : null),
    }),
    decidedAt: t.expose("decidedAt", { type: "DateTime", nullable: true }),
    decisionNote: t.exposeString("decisionNote", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.queryField("moderationQueue", (t) =>
  t.connection(
    {
      type: ReportRef,
      description: "Open reports, oldest first. Admins only.",
      authScopes: { admin: true },
      resolve: (_root, args, context) =>
        pageConnection(
          args,
          "Reports",
          async (page) =>
            pageOrThrow(await listOpenReports(context.services.db, context.viewer!.user, page)),
          async (reports) => reports,
        ),
    },
    { name: "ReportConnection" },
    { name: "ReportEdge" },
  ),
);

const ReportFiledPayloadRef = builder
  .objectRef<{ report: Report }>("ReportFiledPayload")
  .implement({
    fields: (t) => ({
      reportId: t.id({
        description: "The report's id. Reporting the same thing again while it is open returns it.",
        resolve: (payload) => encodeGlobalID("Report", payload.report.id.toString()),
      }),
      message: t.string({
        resolve: () => "Thank you. A moderator will look at it.",
      }),
    }),
  });

const DecideReportPayloadRef = builder
  .objectRef<{ report: Report }>("DecideReportPayload")
  .implement({
    fields: (t) => ({ report: t.field({ type: ReportRef, resolve: (payload) => payload.report }) }),
  });

async function fileReport(
  context: GraphQLContext,
  reporterId: UserId,
  target: ReportTarget,
  reason: string,
) {
  const result = await report(context.services.db, reporterId, target, reason);
  if (!result.ok) throwSocialFailure(result.error);
  return { report: result.value };
}

const reasonArg = { required: true, description: `1–${REPORT_REASON_MAX} characters.` } as const;
const reportErrors = {
  types: [NotSignedInError, ValidationError, NotFoundError, SelfActionError],
};

builder.mutationFields((t) => ({
  reportPost: t.field({
    type: ReportFiledPayloadRef,
    description: "Reports a post to the moderators.",
    args: { postId: t.arg.id({ required: true }), reason: t.arg.string(reasonArg) },
    errors: reportErrors,
    resolve: (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const id = idFromGlobal(args.postId, "Post", "postId");
      return fileReport(context, viewerId, { kind: "post", id }, args.reason);
    },
  }),
  reportComment: t.field({
    type: ReportFiledPayloadRef,
    description: "Reports a comment to the moderators.",
    args: { commentId: t.arg.id({ required: true }), reason: t.arg.string(reasonArg) },
    errors: reportErrors,
    resolve: (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const id = idFromGlobal(args.commentId, "Comment", "commentId");
      return fileReport(context, viewerId, { kind: "comment", id }, args.reason);
    },
  }),
  reportUser: t.field({
    type: ReportFiledPayloadRef,
    description: "Reports a person to the moderators.",
    args: { userId: t.arg.id({ required: true }), reason: t.arg.string(reasonArg) },
    errors: reportErrors,
    resolve: (_root, args, context) => {
      const viewerId = requireViewerId(context);
      const id = userIdFromGlobal(args.userId, "userId");
      return fileReport(context, viewerId, { kind: "user", id }, args.reason);
    },
  }),
  decideReport: t.field({
    type: DecideReportPayloadRef,
    description:
      "Decides an open report: HIDE hides what was reported and takes back its held rewards; DISMISS leaves it up. Admins only.",
    args: {
      reportId: t.arg.id({ required: true }),
      decision: t.arg({ type: ReportDecisionEnum, required: true }),
      note: t.arg.string({ required: false, description: "Why, for the other moderators." }),
    },
    errors: { types: [NotSignedInError, ForbiddenError, ValidationError, NotFoundError] },
    resolve: async (_root, args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      const moderator = context.viewer.user;
      if (!moderator.isAdmin) throw new ForbiddenError("Only moderators can decide reports.");
      const reportId = idFromGlobal(args.reportId, "Report", "reportId");
      const result = await decideReport(
        context.services.db,
        moderator,
        reportId,
        args.decision,
        args.note ?? null,
      );
      if (!result.ok) throwSocialFailure(result.error);
      // What was hidden must not be served from this request's cache as still live.
      const loaders = socialLoaders(context);
      loaders.posts.clearAll();
      loaders.comments.clearAll();
      return { report: result.value };
    },
  }),
}));
