import { Link } from "@remix-run/react";
import { Avatar } from "./avatar.tsx";
import { FollowButton } from "./follow-buttons.tsx";
import { InfiniteList } from "./infinite-list.tsx";
import { useHere } from "./post-card.tsx";
import type { ListPage, PersonSummary } from "./types.ts";

export type PersonRow = PersonSummary & {
  key: string;
  bio: string;
  followerCount: number;
  isFollowing: boolean;
  isSelf: boolean;
};

/** A followers / following page: the people, each with a follow button. */
export function ConnectionsPage({
  direction,
  owner,
  isSignedIn,
  page,
  error,
}: {
  direction: "followers" | "following";
  owner: PersonSummary;
  isSignedIn: boolean;
  page: ListPage<PersonRow>;
  error: string | null;
}) {
  const title = direction === "followers" ? "Followers" : "Following";
  const here = useHere();
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-4">
      <p className="text-sm">
        <Link to={`/u/${owner.handle}`} className="font-medium text-brand-800 hover:underline">
          ← {owner.displayName}
        </Link>
      </p>
      <h1 className="text-2xl font-bold tracking-tight">
        {title} <span className="text-base font-normal text-slate-600">· @{owner.handle}</span>
      </h1>
      <nav aria-label="Connections" className="flex gap-2 text-sm">
        {(["followers", "following"] as const).map((d) => (
          <Link
            key={d}
            to={`/u/${owner.handle}/${d}`}
            aria-current={d === direction ? "page" : undefined}
            className={`rounded-full px-4 py-1.5 font-semibold ${
              d === direction
                ? "bg-slate-900 text-white"
                : "bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
            }`}
          >
            {d === "followers" ? "Followers" : "Following"}
          </Link>
        ))}
      </nav>
      {error ? (
        <p
          role="alert"
          className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900"
        >
          {error}
        </p>
      ) : page.items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-700">
          {direction === "followers"
            ? `Nobody follows @${owner.handle} yet.`
            : `@${owner.handle} does not follow anyone yet.`}
        </p>
      ) : (
        <InfiniteList
          first={page}
          label={title}
          moreLabel="More people"
          className="flex flex-col divide-y divide-slate-100 overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm"
          pageHref={(cursor) =>
            `/u/${owner.handle}/${direction}?${new URLSearchParams({ after: cursor })}`
          }
          renderItem={(person) => (
            <div className="flex items-center gap-3 px-4 py-3">
              <Avatar person={person} isLinked />
              <div className="min-w-0 flex-1">
                <Link
                  to={`/u/${person.handle}`}
                  className="block truncate font-semibold hover:underline"
                >
                  {person.displayName}
                </Link>
                <p className="truncate text-sm text-slate-600">@{person.handle}</p>
                {person.bio ? (
                  <p className="mt-0.5 line-clamp-2 text-sm text-slate-800">{person.bio}</p>
                ) : null}
              </div>
              {isSignedIn && !person.isSelf ? (
                <FollowButton
                  handle={person.handle}
                  displayName={person.displayName}
                  isFollowing={person.isFollowing}
                  followerCount={person.followerCount}
                  redirectTo={here}
                  size="sm"
                />
              ) : null}
            </div>
          )}
        />
      )}
    </div>
  );
}
