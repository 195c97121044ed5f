import type { UserId } from "#core/auth/ids.ts";
import type { User } from "#core/auth/user.ts";
import { withoutControlCharacters } from "#core/plain-text.ts";
import { err, ok, type Result } from "#core/result.ts";
import { isRowId } from "#core/row-id.ts";
import type { Db } from "#db/create-db.ts";
import type { ReportStatus } from "#db/schema-social.ts";
import { REPORT_REASON_MAX } from "#shared/text-limits.ts";
import { findUnhiddenCommentIdsBy, markCommentHidden } from "./comments.repository.ts";
import { decodeIdCursor, encodeCursor } from "./cursor.ts";
import { findLikerIds } from "./likes.repository.ts";
import {
  closeOpenReportsAsHidden,
  dismissOpenReport,
  findOpenReportBy,
  findOpenReports,
  findReportsByIds,
  findTargetOwner,
  insertReport,
  markUserHidden,
} from "./moderation.repository.ts";
import { bumpPostCounters, findLivePostIdsBy, markPostHidden } from "./posts.repository.ts";
import {
  reverseCommentReward,
  reverseLikeRewards,
  reversePostReward,
  socialReversalReasons,
} from "./social-rewards.ts";
import {
  notFound,
  type CommentId,
  type Page,
  type PostId,
  type SocialFailure,
} from "./social-types.ts";

export type ReportTarget =
  { kind: "post"; id: PostId } | { kind: "comment"; id: CommentId } | { kind: "user"; id: UserId };

export type Report = {
  id: bigint;
  reporterId: UserId;
  target: ReportTarget;
  reason: string;
  status: ReportStatus;
  decidedBy: UserId | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  createdAt: Date;
};

/**
 * Reports a post, comment or person to the moderators. Reporting the same thing again
 * while the first report is open returns that report.
 */
export async function report(
  db: Db,
  reporterId: UserId,
  target: ReportTarget,
  rawReason: unknown,
): Promise<Result<Report, SocialFailure>> {
  const reason = typeof rawReason === "string" ? withoutControlCharacters(rawReason).trim() : "";
  if (reason.length === 0 || reason.length > REPORT_REASON_MAX) {
    const message = `Say what is wrong in 1–${REPORT_REASON_MAX} characters.`;
    return err({ code: "invalid", message, fieldErrors: { reason: [message] } });
  }
  const owner = await findTargetOwner(db, target);
  if (owner === null) return err(notFound(target.kind === "user" ? "person" : target.kind));
  if (owner === reporterId) {
    return err({ code: "self_action", message: "You cannot report yourself or your own posts." });
  }
  const inserted = await insertReport(db, reporterId, target, reason);
  return ok(inserted ?? (await findOpenReportBy(db, reporterId, target)));
}

const adminOnly: SocialFailure = { code: "forbidden", message: "Only moderators can do that." };

/** The open reports, oldest first (admins only). */
export async function listOpenReports(
  db: Db,
  moderator: Pick<User, "isAdmin">,
  page: { limit: number; after?: string | null },
): Promise<Result<Page<Report>, SocialFailure>> {
  if (!moderator.isAdmin) return err(adminOnly);
  const after = page.after ? decodeIdCursor(page.after) : 0n;
  const rows = await findOpenReports(db, after, page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return ok({
    items,
    nextCursor: rows.length > page.limit && last ? encodeCursor([String(last.id)]) : null,
  });
}

/** Hides a post and takes back the rewards still held for it and its likes. */
async function hidePost(db: Db, postId: PostId, now: Date): Promise<void> {
  const hidden = await markPostHidden(db, postId, now);
  if (!hidden) return;
  if (hidden.repostOfId === null)
    await reversePostReward(db, postId, socialReversalReasons.moderated);
  const target = { kind: "post", id: postId } as const;
  for (const likerId of await findLikerIds(db, target)) {
    await reverseLikeRewards(db, target, likerId, socialReversalReasons.moderated);
  }
}

async function hideComment(db: Db, commentId: CommentId, now: Date): Promise<void> {
  const hidden = await db.transaction().execute(async (trx) => {
    const row = await markCommentHidden(trx, commentId, now);
    if (row && !row.isDeleted) await bumpPostCounters(trx, row.postId, { comments: -1 });
    return row;
  });
  if (!hidden) return;
  await reverseCommentReward(db, commentId, socialReversalReasons.moderated);
  const target = { kind: "comment", id: commentId } as const;
  for (const likerId of await findLikerIds(db, target)) {
    await reverseLikeRewards(db, target, likerId, socialReversalReasons.moderated);
  }
}

/** Hides a person: their profile, and everything they posted and commented. */
async function hideUser(db: Db, userId: UserId, now: Date): Promise<void> {
  await markUserHidden(db, userId, now);
  for (const postId of await findLivePostIdsBy(db, userId)) await hidePost(db, postId, now);
  for (const commentId of await findUnhiddenCommentIdsBy(db, userId)) {
    await hideComment(db, commentId, now);
  }
}

export type ModerationDecision = "hide" | "dismiss";

/**
 * Decides a report (admins only). "hide" hides what was reported — and with it the
 * rewards still held for it — and closes every open report about the same thing;
 * "dismiss" closes this report and leaves the content up. Deciding twice is refused.
 */
export async function decideReport(
  db: Db,
  moderator: Pick<User, "id" | "isAdmin">,
  reportId: bigint,
  decision: ModerationDecision,
  note: string | null = null,
  now = new Date(),
): Promise<Result<Report, SocialFailure>> {
  if (!moderator.isAdmin) return err(adminOnly);
  if (!isRowId(reportId)) return err(notFound("report"));
  const [found] = await findReportsByIds(db, [reportId]);
  if (!found) return err(notFound("report"));
  if (found.status !== "open") {
    return err({ code: "invalid", message: `That report was already decided (${found.status}).` });
  }
  const decided = {
    decided_by: moderator.id as UserId,
    decided_at: now,
    decision_note: (note && withoutControlCharacters(note).trim()) || null,
  };
  if (decision === "dismiss") {
    const updated = await dismissOpenReport(db, reportId, decided);
    if (!updated) return err({ code: "invalid", message: "That report was already decided." });
    return ok(updated);
  }
  const target = found.target;
  if (target.kind === "post") await hidePost(db, target.id, now);
  else if (target.kind === "comment") await hideComment(db, target.id, now);
  else await hideUser(db, target.id, now);
  await closeOpenReportsAsHidden(db, target, decided);
  const [updated] = await findReportsByIds(db, [reportId]);
  return ok(updated!);
}

/** Reports among `ids`, for refetching by id (admins only; anyone else gets none). */
export async function getReportsByIds(
  db: Db,
  moderator: Pick<User, "isAdmin"> | null,
  ids: readonly bigint[],
): Promise<Report[]> {
  if (!moderator?.isAdmin || ids.length === 0) return [];
  return findReportsByIds(db, ids);
}
