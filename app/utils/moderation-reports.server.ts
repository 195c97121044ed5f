import type { ReportView } from "#app/components/moderation/moderation-views.ts";
import { personSummary, toPieces } from "#app/utils/social-cards.server.ts";
import { timeStamp } from "#app/utils/time-stamp.server.ts";
import type { UserId } from "#core/auth/ids.ts";
import { getProfilesByIds } from "#core/profiles/profile.service.ts";
import type { Report } from "#core/social/moderation.ts";
import { getCommentsByIds } from "#core/social/comments.ts";
import { getPostsByIds } from "#core/social/posts.ts";
import { segmentText } from "#core/social/post-text.ts";
import type { Db } from "#db/create-db.ts";

/** Reports with their reporter, and the post, comment or account each is about, read in batches. */
export async function loadReportViews(db: Db, reports: readonly Report[]): Promise<ReportView[]> {
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
  return views;
}
