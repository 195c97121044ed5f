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

/**
 * Renders text pieces as React text and links: nothing a user wrote is ever parsed as
 * HTML, so `<script>` shows as the characters it is. Hashtags and mentions are plain
 * `<a>`s (a card or page navigates them in the app with useClientNavigation): a feed page
 * shows dozens, and a Remix `<Link>` costs a handful of router hooks each to render.
 */
export function PostText({ pieces, className }: { pieces: TextPiece[]; className?: string }) {
  return (
    <p className={`whitespace-pre-wrap break-words ${className ?? ""}`}>
      {pieces.map((piece, i) => {
        switch (piece.kind) {
          case "text":
            return piece.text;
          case "link":
            return (
              <a
                key={i}
                href={piece.href}
                rel="nofollow ugc noopener"
                target="_blank"
                className="text-link text-link-web"
              >
                {piece.text}
              </a>
            );
          case "hashtag":
            return (
              <a
                key={i}
                href={`/tags/${encodeURIComponent(piece.tag)}`}
                data-discover="true"
                className="text-link"
              >
                {piece.text}
              </a>
            );
          case "mention":
            return (
              <a
                key={i}
                href={`/u/${encodeURIComponent(piece.handle)}`}
                data-discover="true"
                className="text-link"
              >
                {piece.text}
              </a>
            );
        }
      })}
    </p>
  );
}
