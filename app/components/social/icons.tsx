/**
 * Small stroke icons (app.css draws them as masks in the text colour); decorative, the
 * controls carry the words. The post card's actions draw theirs from their own class
 * (`act-like`, `act-repost`, …) and need no element at all: a feed page shows ~80 icons.
 */
type IconProps = { className?: string };

type IconName = "heart" | "comment" | "repost" | "more" | "bell";

function Icon({ name, className }: IconProps & { name: IconName }) {
  return (
    <span aria-hidden="true" className={`icon icon-${name}${className ? ` ${className}` : ""}`} />
  );
}

export function RepostIcon({ className }: IconProps) {
  return <Icon name="repost" className={className} />;
}

export function BellIcon({ className }: IconProps) {
  return <Icon name="bell" className={className} />;
}
