import { Link } from "@remix-run/react";
import type { PersonSummary } from "./types.ts";

const sizes = { sm: "size-8", md: "size-11", lg: "size-20 sm:size-24" } as const;

/** A round avatar; decorative (alt="") because the name always stands beside it. */
export function Avatar({
  person,
  size = "md",
  isLinked = false,
}: {
  person: Pick<PersonSummary, "handle" | "avatarUrl">;
  size?: keyof typeof sizes;
  isLinked?: boolean;
}) {
  const image = (
    <img
      src={person.avatarUrl}
      alt=""
      width={96}
      height={96}
      loading="lazy"
      decoding="async"
      className={`avatar ${sizes[size]}`}
    />
  );
  if (!isLinked) return image;
  return (
    <Link to={`/u/${person.handle}`} tabIndex={-1} aria-hidden="true" className="shrink-0">
      {image}
    </Link>
  );
}
