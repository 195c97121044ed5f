import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { InfiniteList } from "#app/components/social/infinite-list.tsx";
import { PostCard } from "#app/components/social/post-card.tsx";
import { FEED_PAGE_SIZE, loadPostCards } from "#app/utils/social-cards.server.ts";
import { hashtagFeed } from "#core/social/feeds.ts";
import { normaliseTag } from "#core/social/post-text.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `#${data.tag} · Tributary` : "Hashtag · Tributary" },
];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const tag = normaliseTag(params.tag ?? "");
  // Not a hashtag at all: there is no such page.
  if (tag === null) throw new Response("Not Found", { status: 404 });
  const after = new URL(request.url).searchParams.get("after");
  const result = await hashtagFeed(context.services.db, tag, { limit: FEED_PAGE_SIZE, after });
  const base = { tag, isSignedIn: context.viewer !== null, isFirstPage: !after };
  if (!result.ok) {
    return data(
      { ...base, page: { items: [], nextCursor: null }, error: result.error.message },
      { status: 400 },
    );
  }
  return {
    ...base,
    page: {
      items: await loadPostCards(context, result.value.items),
      nextCursor: result.value.nextCursor,
    },
    error: null,
  };
}

export const shouldRevalidate: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formAction,
  formData,
  defaultShouldRevalidate,
}) => {
  if (formAction && /^\/(posts|comments)\/\d+\/(like|repost)$/.test(formAction)) return false;
  if (formData?.get("intent") === "delete-post") return false;
  if (!formAction && currentUrl.href === nextUrl.href) return false;
  return defaultShouldRevalidate;
};

export default function HashtagPage() {
  const { tag, isSignedIn, isFirstPage, page, error } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-4">
      <p className="text-sm">
        <Link to="/feed" className="font-medium text-brand-800 hover:underline">
          ← Feed
        </Link>
      </p>
      <div>
        <h1 className="text-2xl font-bold tracking-tight break-words">#{tag}</h1>
        <p className="text-sm text-slate-600">Posts with this hashtag, newest first.</p>
      </div>
      {error ? (
        <p
          role="alert"
          className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-900"
        >
          {error}{" "}
          <Link to={`/tags/${tag}`} className="font-semibold underline">
            Back to the newest posts
          </Link>
        </p>
      ) : page.items.length === 0 ? (
        <p className="rounded-2xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-700">
          {isFirstPage ? `No posts with #${tag} yet.` : "No older posts."}
        </p>
      ) : (
        <InfiniteList
          first={page}
          label={`Posts tagged #${tag}`}
          moreLabel="Older posts"
          pageHref={(cursor) =>
            `/tags/${encodeURIComponent(tag)}?${new URLSearchParams({ after: cursor })}`
          }
          renderItem={(post) => <PostCard post={post} isSignedIn={isSignedIn} />}
        />
      )}
    </div>
  );
}
