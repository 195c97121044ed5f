import { Link } from "@remix-run/react";

/**
 * A piece of a post's text as core/social's `segmentText` cut it (the same shape, kept
 * here because core/ never reaches the browser): plain text, a safe web link, a hashtag
 * or a mention.
 */
export type TextPiece =
  | { kind: "text"; text: string }
  | { kind: "link"; text: string; href: string }
  | { kind: "hashtag"; text: string; tag: string }
  | { kind: "mention"; text: string; handle: string };

const linkClass = "font-medium text-brand-700 hover:underline break-words";

/**
 * Renders text pieces as React text and links: nothing a user wrote is ever parsed as
 * HTML, so `<script>` shows as the characters it is.
 */
export function PostText({ pieces, className }: { pieces: TextPiece[]; className?: string }) {
  return (
    <p className={`whitespace-pre-wrap break-words ${className ?? ""}`}>
      {pieces.map((piece, i) => {
        switch (piece.kind) {
          case "text":
            return <span key={i}>{piece.text}</span>;
          case "link":
            return (
              <a
                key={i}
                href={piece.href}
                rel="nofollow ugc noopener"
                target="_blank"
                className={`${linkClass} underline decoration-brand-700/40 underline-offset-2`}
              >
                {piece.text}
              </a>
            );
          case "hashtag":
            return (
              <Link key={i} to={`/tags/${encodeURIComponent(piece.tag)}`} className={linkClass}>
                {piece.text}
              </Link>
            );
          case "mention":
            return (
              <Link key={i} to={`/u/${encodeURIComponent(piece.handle)}`} className={linkClass}>
                {piece.text}
              </Link>
            );
        }
      })}
    </p>
  );
}
