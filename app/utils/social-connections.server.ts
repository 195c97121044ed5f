import { data, type LoaderFunctionArgs } from "@remix-run/node";
import type { PersonRow } from "#app/components/social/people-list.tsx";
import { getProfileByHandle, getProfilesByIds } from "#core/profiles/profile.service.ts";
import { InvalidCursorError } from "#core/social/cursor.ts";
import { listConnections } from "#core/social/follows.ts";
import { whichViewerHas } from "#core/social/viewer-relations.ts";
import { personSummary } from "./social-cards.server.ts";

const PAGE_SIZE = 30;

/** Someone's followers or the people they follow, with the viewer's follow state for each. */
export async function loadConnections(
  { context, request, params }: LoaderFunctionArgs,
  direction: "followers" | "following",
) {
  const { db } = context.services;
  const profile = await getProfileByHandle(db, params.handle ?? "");
  if (!profile) throw new Response("Not Found", { status: 404 });
  const after = new URL(request.url).searchParams.get("after");
  const owner = { ...personSummary(profile), displayName: profile.displayName };
  let page;
  try {
    page = await listConnections(db, profile.id, direction, { limit: PAGE_SIZE, after });
  } catch (error) {
    if (!(error instanceof InvalidCursorError)) throw error;
    return data(
      {
        direction,
        owner,
        isSignedIn: context.viewer !== null,
        page: { items: [] as PersonRow[], nextCursor: null },
        error: error.message,
      },
      { status: 400 },
    );
  }
  const viewerId = context.viewer?.user.id ?? null;
  const [profiles, followed] = await Promise.all([
    getProfilesByIds(db, page.items),
    whichViewerHas(db, viewerId, "follows", page.items),
  ]);
  const items = profiles.flatMap((person): PersonRow[] =>
    person
      ? [
          {
            key: person.id,
            ...personSummary(person),
            bio: person.bio,
            followerCount: person.followerCount,
            isFollowing: followed.has(person.id),
            isSelf: person.id === viewerId,
          },
        ]
      : [],
  );
  return {
    direction,
    owner,
    isSignedIn: viewerId !== null,
    page: { items, nextCursor: page.nextCursor },
    error: null as string | null,
  };
}
