import type { TextSegment } from "#core/social/post-text.ts";
import { builder } from "../builder.ts";

// A post's or comment's text in pieces a client shows as they are. Nothing in them is
// markup: a client renders `text` as text, and only LinkSegment carries a link (always
// http or https), so script in a post arrives as plain words.

type Segment<K extends TextSegment["kind"]> = Extract<TextSegment, { kind: K }>;

const segmentTypeNames = {
  text: "PlainTextSegment",
  link: "LinkSegment",
  hashtag: "HashtagSegment",
  mention: "MentionSegment",
} as const satisfies Record<TextSegment["kind"], string>;

export const TextSegmentRef = builder.interfaceRef<TextSegment>("TextSegment").implement({
  description: "A piece of a text: plain text, a link, a #hashtag or an @mention.",
  resolveType: (segment) => segmentTypeNames[segment.kind],
  fields: (t) => ({
    text: t.exposeString("text", {
      description: "The piece as written; always shown as text, never as markup.",
    }),
  }),
});

builder.objectRef<Segment<"text">>("PlainTextSegment").implement({
  description: "Text to show as it is (escaped).",
  interfaces: [TextSegmentRef],
  fields: () => ({}),
});

builder.objectRef<Segment<"link">>("LinkSegment").implement({
  description: "A web link. Only http and https links become links; anything else stays text.",
  interfaces: [TextSegmentRef],
  fields: (t) => ({ href: t.exposeString("href", { description: "The normalised URL." }) }),
});

builder.objectRef<Segment<"hashtag">>("HashtagSegment").implement({
  description: "A #hashtag; `tag` is what hashtagFeed takes.",
  interfaces: [TextSegmentRef],
  fields: (t) => ({ tag: t.exposeString("tag", { description: "Lower case, without the #." }) }),
});

builder.objectRef<Segment<"mention">>("MentionSegment").implement({
  description: "An @mention of a handle (the person may or may not exist).",
  interfaces: [TextSegmentRef],
  fields: (t) => ({
    handle: t.exposeString("handle", { description: "Lower case, without the @." }),
  }),
});
