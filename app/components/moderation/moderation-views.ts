import type { SubmissionResult } from "@conform-to/react";
import type { TextPiece } from "#app/components/social/post-text.tsx";
import type { PersonSummary, TimeStamp } from "#app/components/social/types.ts";

/** An open report with what it is about, as the moderation page shows it. */
export type ReportView = {
  key: string;
  id: string;
  kind: "post" | "comment" | "user";
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

/** Conform's reply to a decision form, tagged with the report it was for. */
export type ReportDecisionResult = {
  reportId: string;
  decided: "hide" | "dismiss" | null;
  result: SubmissionResult<string[]>;
};
