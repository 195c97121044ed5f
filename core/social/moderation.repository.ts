import type { UserId } from "#core/auth/ids.ts";
import type { Db, Trx } from "#db/create-db.ts";
import type { ReportStatus, ReportTargetKind } from "#db/schema-social.ts";
import type { Report, ReportTarget } from "./moderation.ts";

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

export const targetColumns = (target: ReportTarget) => ({
  post_id: target.kind === "post" ? target.id : null,
  comment_id: target.kind === "comment" ? target.id : null,
  user_id: target.kind === "user" ? target.id : null,
});

/** Who wrote a reported thing, or null when it is gone. */
export async function findTargetOwner(db: Db, target: ReportTarget): Promise<UserId | null> {
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

/** A new report, or null when the reporter already has one open about the same thing. */
export async function insertReport(
  db: Db,
  reporterId: UserId,
  target: ReportTarget,
  reason: string,
): Promise<Report | null> {
  const inserted = await db
    .insertInto("reports")
    .values({ reporter_id: reporterId, target_kind: target.kind, reason, ...targetColumns(target) })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  return inserted ? toReport(inserted as ReportRow) : null;
}

export async function findOpenReportBy(
  db: Db,
  reporterId: UserId,
  target: ReportTarget,
): Promise<Report> {
  const row = await db
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
  return toReport(row as ReportRow);
}

/** Open reports after `afterId`, oldest first; `limit` of them. */
export async function findOpenReports(db: Db, afterId: bigint, limit: number): Promise<Report[]> {
  const rows = await db
    .selectFrom("reports")
    .selectAll()
    .where("status", "=", "open")
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => toReport(r as ReportRow));
}

export async function findReportsByIds(db: Db, ids: readonly bigint[]): Promise<Report[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("reports")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
  return rows.map((r) => toReport(r as ReportRow));
}

type Decision = { decided_by: UserId; decided_at: Date; decision_note: string | null };

/** Dismisses a report still open; null when it was decided meanwhile. */
export async function dismissOpenReport(
  db: Db,
  reportId: bigint,
  decision: Decision,
): Promise<Report | null> {
  const updated = await db
    .updateTable("reports")
    .set({ status: "dismissed", ...decision })
    .where("id", "=", reportId)
    .where("status", "=", "open")
    .returningAll()
    .executeTakeFirst();
  return updated ? toReport(updated as ReportRow) : null;
}

/** Closes every open report about the target as hidden. */
export async function closeOpenReportsAsHidden(
  db: Db,
  target: ReportTarget,
  decision: Decision,
): Promise<void> {
  await db
    .updateTable("reports")
    .set({ status: "hidden", ...decision })
    .where("status", "=", "open")
    .where("target_kind", "=", target.kind)
    .where((eb) =>
      target.kind === "user"
        ? eb("user_id", "=", target.id)
        : eb(target.kind === "post" ? "post_id" : "comment_id", "=", target.id),
    )
    .execute();
}

/** Hides a person's profile. */
export async function markUserHidden(db: Db | Trx, userId: UserId, at: Date): Promise<void> {
  await db.updateTable("users").set({ hidden_at: at }).where("id", "=", userId).execute();
}
