import type { UserId } from "#core/auth/ids.ts";
import type { User } from "#core/auth/user.ts";
import { err, ok, type Result } from "#core/result.ts";
import type { Db } from "#db/create-db.ts";
import type { ReportStatus, ReportTargetKind } from "#db/schema-social.ts";
import { REPORT_REASON_MAX } from "#shared/text-limits.ts";
import { decodeIdCursor, encodeCursor } from "./cursor.ts";
import { bumpPostCounters } from "./post-rows.ts";
import { reverseCommentReward, reverseLikeRewards, reversePostReward } from "./social-rewards.ts";
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

type ReportRow = {
  id: bigint;
  reporter_id: string;
  target_kind: ReportTargetKind;
  post_id: bigint | null;
  comment_id: bigint | null;
  user_id: string | null;
  reason: string;
  status: ReportStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_at: Date;
};

function toReport(row: ReportRow): Report {
  const target: ReportTarget =
    row.target_kind === "post"
      ? { kind: "post", id: BigInt(row.post_id!) }
      : row.target_kind === "comment"
        ? { kind: "comment", id: BigInt(row.comment_id!) }
        : { kind: "user", id: row.user_id as UserId };
  return {
    id: BigInt(row.id),
    reporterId: row.reporter_id as UserId,
    target,
    reason: row.reason,
    status: row.status,
    decidedBy: row.decided_by as UserId | null,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    createdAt: row.created_at,
  };
}

const targetColumns = (target: ReportTarget) => ({
  post_id: target.kind === "post" ? target.id : null,
  comment_id: target.kind === "comment" ? target.id : null,
  user_id: target.kind === "user" ? target.id : null,
});

/** Who wrote a reported thing, or null when it is gone. */
async function targetOwner(db: Db, target: ReportTarget): Promise<UserId | null> {
  if (target.kind === "user") {
    const row = await db
      .selectFrom("users")
      .select("id")
      .where("id", "=", target.id)
      .executeTakeFirst();
    return (row?.id as UserId | undefined) ?? null;
  }
  const table = target.kind === "post" ? "posts" : "comments";
  const row = await db
    .selectFrom(table)
    .select("author_id")
    .where("id", "=", target.id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return (row?.author_id as UserId | undefined) ?? null;
}

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
  const reason = typeof rawReason === "string" ? rawReason.trim() : "";
  if (reason.length === 0 || reason.length > REPORT_REASON_MAX) {
    const message = `Say what is wrong in 1–${REPORT_REASON_MAX} characters.`;
    return err({ code: "invalid", message, fieldErrors: { reason: [message] } });
  }
  const owner = await targetOwner(db, target);
  if (owner === null) return err(notFound(target.kind === "user" ? "person" : target.kind));
  if (owner === reporterId) {
    return err({ code: "self_action", message: "You cannot report yourself or your own posts." });
  }
  const inserted = await db
    .insertInto("reports")
    .values({ reporter_id: reporterId, target_kind: target.kind, reason, ...targetColumns(target) })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return ok(toReport(inserted as ReportRow));
  const existing = await db
    .selectFrom("reports")
    .selectAll()
    .where("reporter_id", "=", reporterId)
    .where("target_kind", "=", target.kind)
    .where("status", "=", "open")
    .where((eb) =>
      target.kind === "user"
        ? eb("user_id", "=", target.id)
        : eb(target.kind === "post" ? "post_id" : "comment_id", "=", target.id),
    )
    .executeTakeFirstOrThrow();
  return ok(toReport(existing as ReportRow));
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
  const rows = await db
    .selectFrom("reports")
    .selectAll()
    .where("status", "=", "open")
    .where("id", ">", after)
    .orderBy("id")
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map((r) => toReport(r as ReportRow));
  const last = items.at(-1);
  return ok({
    items,
    nextCursor: rows.length > page.limit && last ? encodeCursor([String(last.id)]) : null,
  });
}

/** Hides a post and takes back the rewards still held for it and its likes. */
async function hidePost(db: Db, postId: PostId, now: Date): Promise<void> {
  const hidden = await db
    .updateTable("posts")
    .set({ hidden_at: now })
    .where("id", "=", postId)
    .where("hidden_at", "is", null)
    .returning(["id", "repost_of_id"])
    .executeTakeFirst();
  if (!hidden) return;
  if (hidden.repost_of_id === null) await reversePostReward(db, postId);
  const likes = await db
    .selectFrom("post_likes")
    .select("user_id")
    .where("post_id", "=", postId)
    .execute();
  for (const like of likes) {
    await reverseLikeRewards(db, { kind: "post", id: postId }, like.user_id as UserId);
  }
}

async function hideComment(db: Db, commentId: CommentId, now: Date): Promise<void> {
  const hidden = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("comments")
      .set({ hidden_at: now })
      .where("id", "=", commentId)
      .where("hidden_at", "is", null)
      .returning(["id", "post_id", "deleted_at"])
      .executeTakeFirst();
    if (row && row.deleted_at === null) await bumpPostCounters(trx, row.post_id, { comments: -1 });
    return row;
  });
  if (!hidden) return;
  await reverseCommentReward(db, commentId);
  const likes = await db
    .selectFrom("comment_likes")
    .select("user_id")
    .where("comment_id", "=", commentId)
    .execute();
  for (const like of likes) {
    await reverseLikeRewards(db, { kind: "comment", id: commentId }, like.user_id as UserId);
  }
}

/** Hides a person: their profile, and everything they posted and commented. */
async function hideUser(db: Db, userId: UserId, now: Date): Promise<void> {
  await db.updateTable("users").set({ hidden_at: now }).where("id", "=", userId).execute();
  const posts = await db
    .selectFrom("posts")
    .select("id")
    .where("author_id", "=", userId)
    .where("hidden_at", "is", null)
    .where("deleted_at", "is", null)
    .execute();
  for (const post of posts) await hidePost(db, post.id, now);
  const comments = await db
    .selectFrom("comments")
    .select("id")
    .where("author_id", "=", userId)
    .where("hidden_at", "is", null)
    .execute();
  for (const comment of comments) await hideComment(db, comment.id, now);
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
  const row = await db
    .selectFrom("reports")
    .selectAll()
    .where("id", "=", reportId)
    .executeTakeFirst();
  if (!row) return err(notFound("report"));
  const found = toReport(row as ReportRow);
  if (found.status !== "open") {
    return err({ code: "invalid", message: `That report was already decided (${found.status}).` });
  }
  const decided = {
    decided_by: moderator.id,
    decided_at: now,
    decision_note: note?.trim() || null,
  };
  if (decision === "dismiss") {
    const updated = await db
      .updateTable("reports")
      .set({ status: "dismissed", ...decided })
      .where("id", "=", reportId)
      .where("status", "=", "open")
      .returningAll()
      .executeTakeFirst();
    if (!updated) return err({ code: "invalid", message: "That report was already decided." });
    return ok(toReport(updated as ReportRow));
  }
  const target = found.target;
  if (target.kind === "post") await hidePost(db, target.id, now);
  else if (target.kind === "comment") await hideComment(db, target.id, now);
  else await hideUser(db, target.id, now);
  const columns = targetColumns(target);
  await db
    .updateTable("reports")
    .set({ status: "hidden", ...decided })
    .where("status", "=", "open")
    .where("target_kind", "=", target.kind)
    .where((eb) =>
      target.kind === "user"
        ? eb("user_id", "=", columns.user_id)
        : eb(target.kind === "post" ? "post_id" : "comment_id", "=", target.id),
    )
    .execute();
  const updated = await db
    .selectFrom("reports")
    .selectAll()
    .where("id", "=", reportId)
    .executeTakeFirstOrThrow();
  return ok(toReport(updated as ReportRow));
}

/** Reports among `ids`, for refetching by id (admins only; anyone else gets none). */
export async function getReportsByIds(
  db: Db,
  moderator: Pick<User, "isAdmin"> | null,
  ids: readonly bigint[],
): Promise<Report[]> {
  if (!moderator?.isAdmin || ids.length === 0) return [];
  const rows = await db
    .selectFrom("reports")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
  return rows.map((r) => toReport(r as ReportRow));
}
