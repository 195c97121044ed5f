/**
 * Small stroke icons for the post actions; decorative, the buttons carry the words.
 * Each is drawn once per page in `IconSprite` and referenced with `<use>`: a feed page
 * shows ~80 of them, and inline paths made every card heavier to render and to send.
 */
type IconProps = { className?: string; isFilled?: boolean };

const base = "size-5 shrink-0";

type IconName = "heart" | "comment" | "repost" | "more" | "bell";

/** The icons' shapes, once for the whole page (the root layout renders it). */
export function IconSprite() {
  return (
    <svg aria-hidden="true" width="0" height="0" className="absolute size-0 overflow-hidden">
      <symbol
        id="icon-heart"
        viewBox="0 0 24 24"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinejoin="round"
      >
        <path d="M12 20.5s-7.5-4.6-9.3-9.4C1.4 7.6 3.6 4 7.2 4c2 0 3.6 1.1 4.8 2.8C13.2 5.1 14.8 4 16.8 4c3.6 0 5.8 3.6 4.5 7.1-1.8 4.8-9.3 9.4-9.3 9.4Z" />
      </symbol>
      <symbol
        id="icon-comment"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinejoin="round"
      >
        <path d="M4 5.5A1.5 1.5 0 0 1 5.5 4h13A1.5 1.5 0 0 1 20 5.5v9a1.5 1.5 0 0 1-1.5 1.5H10l-4.5 4v-4h0A1.5 1.5 0 0 1 4 14.5v-9Z" />
      </symbol>
      <symbol
        id="icon-repost"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M17 3l3 3-3 3M4 11V9a3 3 0 0 1 3-3h13M7 21l-3-3 3-3M20 13v2a3 3 0 0 1-3 3H4" />
      </symbol>
      <symbol id="icon-more" viewBox="0 0 24 24" fill="currentColor">
        <circle cx="5" cy="12" r="1.8" />
        <circle cx="12" cy="12" r="1.8" />
        <circle cx="19" cy="12" r="1.8" />
      </symbol>
      <symbol
        id="icon-bell"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.8}
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15L6 16Z" />
        <path d="M10 20.5a2 2 0 0 0 4 0" />
      </symbol>
    </svg>
  );
}

function Icon({ name, className, fill }: { name: IconName; className?: string; fill?: string }) {
  return (
    <svg aria-hidden="true" className={className ? `${base} ${className}` : base} fill={fill}>
      <use href={`#icon-${name}`} />
    </svg>
  );
}

export function HeartIcon({ className, isFilled = false }: IconProps) {
  // The heart's fill is the one thing that changes: set on the outer svg, inherited by the path.
  return <Icon name="heart" className={className} fill={isFilled ? "currentColor" : "none"} />;
}

export function CommentIcon({ className }: IconProps) {
  return <Icon name="comment" className={className} />;
}

export function RepostIcon({ className }: IconProps) {
  return <Icon name="repost" className={className} />;
}

export function MoreIcon({ className }: IconProps) {
  return <Icon name="more" className={className} />;
}

export function BellIcon({ className }: IconProps) {
  return <Icon name="bell" className={className} />;
}
