import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Link,
  useActionData,
  useLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { TextComposer } from "#app/components/social/composer.tsx";
import { InfiniteList } from "#app/components/social/infinite-list.tsx";
import { PostCard } from "#app/components/social/post-card.tsx";
import { FEED_PAGE_SIZE, loadPostCardsAndMe } from "#app/utils/social-cards.server.ts";
import { requireActor } from "#app/utils/social-requests.server.ts";
import { discoverFeed, followingFeed, type FeedKind } from "#core/social/feeds.ts";
import { POST_MAX_LENGTH } from "#shared/text-limits.ts";
import { createPost } from "#core/social/posts.ts";

/** Posts on the feed's first page; later pages have FEED_PAGE_SIZE. */
const FEED_FIRST_PAGE_SIZE = 10;

export const meta: MetaFunction = () => [{ title: "Feed · Tributary" }];

const tabs: { kind: FeedKind; label: string; hint: string }[] = [
  { kind: "following", label: "Following", hint: "Newest posts from people you follow" },
  { kind: "discover", label: "Discover", hint: "What people are engaging with now" },
];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const viewer = context.viewer;
  const requested = url.searchParams.get("tab");
  const tab: FeedKind =
    requested === "following" || requested === "discover"
      ? requested
      : viewer
        ? "following"
        : "discover";
  const after = url.searchParams.get("after");
  const { db } = context.services;

  if (tab === "following" && !viewer) {
    return {
      tab,
      isSignedIn: false,
      me: null,
      maxLength: POST_MAX_LENGTH,
      page: { items: [], nextCursor: null },
      isFirstPage: true,
      error: null,
    };
  }
  // The first page is short (it more than fills a screen and is most of the page's cost to
  // render); the pages scrolling or "Older posts" bring are full ones.
  const limit = after ? FEED_PAGE_SIZE : FEED_FIRST_PAGE_SIZE;
  const result =
    tab === "following"
      ? await followingFeed(db, viewer!.user.id, { limit, after })
      : await discoverFeed(db, viewer?.user.id ?? null, { limit, after });
  // The composer's avatar comes with the cards' authors: one statement for both.
  const { cards, me } = await loadPostCardsAndMe(context, result.ok ? result.value.items : []);
  const base = {
    tab,
    isSignedIn: viewer !== null,
    me,
    maxLength: POST_MAX_LENGTH,
  };
  if (!result.ok) {
    return data(
      {
        ...base,
        page: { items: [], nextCursor: null },
        isFirstPage: false,
        error: result.error.message,
      },
      { status: 400 },
    );
  }
  return {
    ...base,
    page: { items: cards, nextCursor: result.value.nextCursor },
    isFirstPage: !after,
    error: null,
  };
}

export async function action({ context, request }: ActionFunctionArgs) {
  const form = await request.formData();
  const viewer = requireActor(context, request, form, "/feed");
  if (form.get("intent") !== "post") {
    return data(
      { fieldErrors: { "": ["That form is not one this page knows."] }, body: "" },
      {
        status: 400,
      },
    );
  }
  const body = form.get("body");
  const result = await createPost(context.services, viewer.user.id, { body });
  if (!result.ok) {
    return data(
      {
        fieldErrors: result.error.fieldErrors ?? { body: [result.error.message] },
        body: typeof body === "string" ? body : "",
      },
      { status: 400 },
    );
  }
  // Newest first: the new post is at the top of Following.
  throw redirect(`/feed?tab=following#post-${result.value.post.id}`);
}

/**
 * Likes, reposts, follows and deletions update their cards in place, and the live reward toast
 * only needs the header's balance: reloading the feed for them would reshuffle Discover
 * under the reader's eyes. Navigations and posting reload it.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formAction,
  formData,
  defaultShouldRevalidate,
}) => {
  if (
    formAction &&
    /^\/(posts|comments)\/\d+\/(like|repost)$|^\/u\/[^/]+\/follow$/.test(formAction)
  ) {
    return false;
  }
  // A deleted card hides itself.
  if (formData?.get("intent") === "delete-post") return false;
  if (!formAction && currentUrl.href === nextUrl.href) return false;
  return defaultShouldRevalidate;
};

export default function FeedPage() {
  const { tab, isSignedIn, me, maxLength, page, isFirstPage, error } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const current = tabs.find((t) => t.kind === tab)!;
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-2xl font-bold tracking-tight">Feed</h1>
        <p className="text-sm text-slate-600">{current.hint}</p>
      </div>
      <nav
        aria-label="Feeds"
        className="grid grid-cols-2 rounded-xl border border-slate-200 bg-white p-1 shadow-sm"
      >
        {tabs.map((t) => (
          <Link
            key={t.kind}
            to={`/feed?tab=${t.kind}`}
            aria-current={t.kind === tab ? "page" : undefined}
            className={`rounded-lg px-4 py-2 text-center text-sm font-semibold ${
              t.kind === tab
                ? "bg-brand-700 text-white shadow-sm"
                : "text-slate-700 hover:bg-slate-100"
            }`}
          >
            {t.label}
          </Link>
        ))}
      </nav>

      {me ? (
        <section
          aria-label="New post"
          className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
        >
          <TextComposer
            intent="post"
            label="Write a post"
            placeholder="What's on your mind? Add #hashtags, @mentions and links."
            submitLabel="Post"
            maxLength={maxLength}
            errors={actionData ? Object.values(actionData.fieldErrors).flat() : undefined}
            defaultValue={actionData?.body ?? ""}
            author={me}
          />
        </section>
      ) : (
        <p className="rounded-2xl border border-brand-100 bg-brand-50 p-4 text-sm text-brand-800">
          <Link to="/signup" className="font-semibold underline">
            Create an account
          </Link>{" "}
          or{" "}
          <Link
            to={`/signin?${new URLSearchParams({ redirectTo: "/feed" })}`}
            className="font-semibold underline"
          >
            sign in
          </Link>{" "}
          to post, like and follow — and earn MICRO for it.
        </p>
      )}

      {error ? (
        <p
          role="alert"
          className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900"
        >
          {error}{" "}
          <Link to={`/feed?tab=${tab}`} className="font-semibold underline">
            Back to the newest posts
          </Link>
        </p>
      ) : null}

      {page.items.length === 0 && !error ? (
        <EmptyFeed tab={tab} isSignedIn={isSignedIn} isFirstPage={isFirstPage} />
      ) : (
        <InfiniteList
          first={page}
          label={`${current.label} posts`}
          moreLabel="Older posts"
          pageHref={(cursor) => `/feed?${new URLSearchParams({ tab, after: cursor })}`}
          renderItem={(post) => <PostCard post={post} isSignedIn={isSignedIn} />}
        />
      )}
    </div>
  );
}

function EmptyFeed({
  tab,
  isSignedIn,
  isFirstPage,
}: {
  tab: FeedKind;
  isSignedIn: boolean;
  isFirstPage: boolean;
}) {
  let text: string;
  if (!isFirstPage) text = "No older posts.";
  else if (tab === "following" && !isSignedIn)
    text = "Sign in to see posts from people you follow.";
  else if (tab === "following")
    text = "Nothing here yet. Follow people from Discover and their posts show up here.";
  else text = "No posts yet. Be the first to write one.";
  return (
    <div className="rounded-2xl border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="text-slate-700">{text}</p>
      {tab === "following" && isFirstPage ? (
        <Link
          to="/feed?tab=discover"
          className="mt-3 inline-block font-semibold text-brand-700 underline"
        >
          Discover people
        </Link>
      ) : null}
    </div>
  );
}
