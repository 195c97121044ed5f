import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { MicroAmount } from "#app/components/micro-amount.tsx";
import { Avatar } from "#app/components/social/avatar.tsx";
import {
  FollowButton,
  MuteButton,
  useFollowState,
} from "#app/components/social/follow-buttons.tsx";
import { InfiniteList } from "#app/components/social/infinite-list.tsx";
import { PostCard, useHere } from "#app/components/social/post-card.tsx";
import { formatMonth } from "#shared/dates.ts";
import { displayAmount } from "#shared/money.ts";
import { FEED_PAGE_SIZE, loadPostCards, personSummary } from "#app/utils/social-cards.server.ts";
import { timeStamp } from "#app/utils/time-stamp.server.ts";
import { getEarningStats, getProfileByHandle } from "#core/profiles/profile.service.ts";
import { profileFeed } from "#core/social/feeds.ts";
import { whichViewerHas } from "#core/social/viewer-relations.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.profile.displayName} (@${data.profile.handle}) · Tributary`
      : "Profile · Tributary",
  },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const { db } = context.services;
  const profile = await getProfileByHandle(db, params.handle ?? "");
  if (!profile) throw new Response("Not Found", { status: 404 });
  const viewerId = context.viewer?.user.id ?? null;
  const isSelf = viewerId === profile.id;
  const after = new URL(request.url).searchParams.get("after");
  const [posts, followed, muted, earnings] = await Promise.all([
    profileFeed(db, profile.id, { limit: FEED_PAGE_SIZE, after }),
    isSelf ? new Set<string>() : whichViewerHas(db, viewerId, "follows", [profile.id]),
    isSelf ? new Set<string>() : whichViewerHas(db, viewerId, "mutes", [profile.id]),
    profile.showsEarnings ? getEarningStats(db, profile.id) : null,
  ]);
  const view = {
    profile: {
      ...personSummary(profile),
      bio: profile.bio,
      followerCount: profile.followerCount,
      followingCount: profile.followingCount,
      postCount: profile.postCount,
      joined: timeStamp(profile.createdAt),
    },
    earnings: earnings
      ? { total: displayAmount(earnings.totalEarned), rewardCount: earnings.rewardCount }
      : null,
    isSignedIn: viewerId !== null,
    isSelf,
    isFollowing: followed.has(profile.id),
    isMuted: muted.has(profile.id),
    isFirstPage: !after,
  };
  if (!posts.ok) {
    return data(
      { ...view, page: { items: [], nextCursor: null }, error: posts.error.message },
      { status: 400 },
    );
  }
  return {
    ...view,
    page: {
      items: await loadPostCards(context, posts.value.items),
      nextCursor: posts.value.nextCursor,
    },
    error: null,
  };
}

/** Following, liking and reposting update in place; the posts stay where they are. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formAction,
  formData,
  defaultShouldRevalidate,
}) => {
  if (
    formAction &&
    /^\/(posts|comments)\/\d+\/(like|repost)$|^\/u\/[^/]+\/(follow|mute)$/.test(formAction)
  ) {
    return false;
  }
  if (formData?.get("intent") === "delete-post") return false;
  if (!formAction && currentUrl.href === nextUrl.href) return false;
  return defaultShouldRevalidate;
};

export default function ProfilePage() {
  const { profile, earnings, isSignedIn, isSelf, isFollowing, isMuted, isFirstPage, page, error } =
    useLoaderData<typeof loader>();
  const here = useHere();
  const { count: followerCount } = useFollowState(profile.handle, {
    following: isFollowing,
    count: profile.followerCount,
  });
  const counts = [
    { label: "Posts", value: profile.postCount, to: null },
    { label: "Followers", value: followerCount, to: `/u/${profile.handle}/followers` },
    { label: "Following", value: profile.followingCount, to: `/u/${profile.handle}/following` },
  ];
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-4">
      <section
        aria-labelledby="profile-name"
        className="overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm"
      >
        <div
          aria-hidden="true"
          className="h-24 bg-gradient-to-r from-brand-700 via-brand-600 to-sky-600 sm:h-32"
        />
        <div className="px-4 pb-4 sm:px-6">
          <div className="-mt-10 flex flex-wrap items-end justify-between gap-3 sm:-mt-12">
            <div className="rounded-full border-4 border-white bg-white">
              <Avatar person={profile} size="lg" />
            </div>
            <div className="flex flex-wrap items-center gap-2 pt-12">
              {isSelf ? (
                <Link
                  to="/settings/profile"
                  className="rounded-full border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50"
                >
                  Edit profile
                </Link>
              ) : isSignedIn ? (
                <>
                  <MuteButton handle={profile.handle} isMuted={isMuted} redirectTo={here} />
                  <FollowButton
                    handle={profile.handle}
                    displayName={profile.displayName}
                    isFollowing={isFollowing}
                    followerCount={profile.followerCount}
                    redirectTo={here}
                  />
                </>
              ) : (
                <Link
                  to={`/signin?${new URLSearchParams({ redirectTo: here })}`}
                  className="rounded-full bg-slate-900 px-5 py-2 text-sm font-semibold text-white hover:bg-slate-700"
                >
                  Sign in to follow
                </Link>
              )}
            </div>
          </div>
          <h1 id="profile-name" className="mt-3 text-2xl font-bold tracking-tight break-words">
            {profile.displayName}
          </h1>
          <p className="text-slate-600">@{profile.handle}</p>
          {profile.bio ? (
            <p className="mt-3 whitespace-pre-wrap break-words text-slate-900">{profile.bio}</p>
          ) : null}
          <p className="mt-2 text-sm text-slate-600">
            Joined{" "}
            <time dateTime={profile.joined.iso} title={profile.joined.full}>
              {formatMonth(profile.joined.iso)}
            </time>
          </p>
          <ul aria-label="Counts" className="mt-3 flex flex-wrap gap-x-5 gap-y-1 text-sm">
            {counts.map((count) => {
              const text = (
                <>
                  <span
                    className="font-semibold text-slate-900 tabular-nums"
                    data-testid={`count-${count.label.toLowerCase()}`}
                  >
                    {count.value}
                  </span>{" "}
                  <span className="text-slate-600">{count.label}</span>
                </>
              );
              return (
                <li key={count.label}>
                  {count.to ? (
                    <Link to={count.to} className="hover:underline">
                      {text}
                    </Link>
                  ) : (
                    text
                  )}
                </li>
              );
            })}
          </ul>
          {earnings ? (
            <p className="mt-3 inline-flex flex-wrap items-center gap-x-2 rounded-xl bg-brand-50 px-3 py-2 text-sm text-brand-800">
              <span className="font-medium">Earned on Tributary:</span>
              <MicroAmount amount={earnings.total} className="font-semibold" />
              <span>
                from {earnings.rewardCount} {earnings.rewardCount === 1 ? "reward" : "rewards"}
              </span>
            </p>
          ) : null}
          {isSignedIn && !isSelf ? (
            <p className="mt-3 text-sm">
              <Link
                to={`/report?${new URLSearchParams({ user: profile.handle })}`}
                className="text-slate-600 underline hover:text-slate-900"
              >
                Report @{profile.handle}
              </Link>
            </p>
          ) : null}
        </div>
      </section>

      <h2 className="px-1 text-lg font-semibold">Posts</h2>
      {error ? (
        <p
          role="alert"
          className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900"
        >
          {error}{" "}
          <Link to={`/u/${profile.handle}`} className="font-semibold underline">
            Back to the newest posts
          </Link>
        </p>
      ) : page.items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-700">
          {isFirstPage ? `@${profile.handle} has not posted yet.` : "No older posts."}
        </p>
      ) : (
        <InfiniteList
          first={page}
          label={`Posts by ${profile.displayName}`}
          moreLabel="Older posts"
          pageHref={(cursor) => `/u/${profile.handle}?${new URLSearchParams({ after: cursor })}`}
          renderItem={(post) => <PostCard post={post} isSignedIn={isSignedIn} />}
        />
      )}
    </div>
  );
}
