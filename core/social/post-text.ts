import * as linkify from "linkifyjs";
import { withoutControlCharacters } from "#core/plain-text.ts";

const TAG_MAX_LENGTH = 50;

/**
 * A post's text cut into pieces a renderer shows as they are: plain text (always
 * escaped), safe links, hashtags and mentions. No HTML ever passes through.
 */
export type TextSegment =
  | { kind: "text"; text: string }
  | { kind: "link"; text: string; href: string }
  | { kind: "hashtag"; text: string; tag: string }
  | { kind: "mention"; text: string; handle: string };

const tagOrMention = /(^|[^\p{L}\p{N}_&/])([#@])([\p{L}\p{N}_]+)/gu;
const handlePattern = /^[a-z0-9_]{3,30}$/;

/** Counts characters the way people (and Postgres' char_length) do: by code point. */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Trims a body and removes control characters other than newlines and tabs (a NUL
 * would make Postgres refuse the row); returns the text or a message saying what is wrong.
 */
export function normaliseBody(
  raw: unknown,
  maxLength: number,
  what: string,
): { ok: true; text: string } | { ok: false; message: string } {
  if (typeof raw !== "string") return { ok: false, message: `Write something in your ${what}.` };
  const text = withoutControlCharacters(raw.replace(/\r\n?/g, "\n")).trim();
  if (text.length === 0) return { ok: false, message: `Write something in your ${what}.` };
  const length = textLength(text);
  if (length > maxLength) {
    return {
      ok: false,
      message: `A ${what} has at most ${maxLength} characters; this one has ${length}.`,
    };
  }
  return { ok: true, text };
}

/** Only web links become links; anything else (javascript:, data:, mailto:) stays text. */
function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.toString() : null;
  } catch {
    return null;
  }
}

function splitTagsAndMentions(text: string, into: TextSegment[]) {
  let last = 0;
  for (const match of text.matchAll(tagOrMention)) {
    const [, lead = "", sigil, word = ""] = match;
    const start = match.index + lead.length;
    const token = `${sigil}${word}`;
    let segment: TextSegment | null = null;
    if (sigil === "#" && word.length <= TAG_MAX_LENGTH && !/^\d+$/.test(word)) {
      segment = { kind: "hashtag", text: token, tag: word.toLowerCase() };
    } else if (sigil === "@" && handlePattern.test(word.toLowerCase())) {
      segment = { kind: "mention", text: token, handle: word.toLowerCase() };
    }
    if (!segment) continue;
    if (start > last) into.push({ kind: "text", text: text.slice(last, start) });
    into.push(segment);
    last = start + token.length;
  }
  if (last < text.length) into.push({ kind: "text", text: text.slice(last) });
}

export function segmentText(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const link of linkify.find(text, "url")) {
    const href = safeHref(link.href);
    if (!href) continue;
    if (link.start > last) splitTagsAndMentions(text.slice(last, link.start), segments);
    segments.push({ kind: "link", text: link.value, href });
    last = link.end;
  }
  if (last < text.length) splitTagsAndMentions(text.slice(last), segments);
  return segments;
}

/** The web links of a text, as their safe hrefs (what a renderer would make links of). */
export function linksOf(text: string): string[] {
  return segmentText(text).flatMap((s) => (s.kind === "link" ? [s.href] : []));
}

/** The distinct hashtags of a text, lower case, in order of first use (at most 10). */
export function hashtagsOf(text: string): string[] {
  const tags = segmentText(text).flatMap((s) => (s.kind === "hashtag" ? [s.tag] : []));
  return [...new Set(tags)].slice(0, 10);
}

/** The distinct handles a text mentions (at most 10, so a post cannot page everyone). */
export function mentionsOf(text: string): string[] {
  const handles = segmentText(text).flatMap((s) => (s.kind === "mention" ? [s.handle] : []));
  return [...new Set(handles)].slice(0, 10);
}

/** A hashtag typed by a person ("#Coffee", "coffee") as stored ("coffee"), or null. */
export function normaliseTag(raw: string): string | null {
  const tag = raw.replace(/^#/, "").toLowerCase();
  return /^[\p{L}\p{N}_]{1,50}$/u.test(tag) && !/^\d+$/.test(tag) ? tag : null;
}
