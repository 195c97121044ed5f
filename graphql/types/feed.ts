import { GraphQLError } from "graphql";
import { discoverFeed, followingFeed, hashtagFeed, profileFeed } from "#core/social/feeds.ts";
import { builder } from "../builder.ts";
import { PostConnectionRef, PostRef, presentPosts } from "./post.ts";
import { pageConnection, pageOrThrow } from "./social-pages.ts";
import { UserRef } from "./user.ts";

// The feeds. Each page is one keyset query in core, hydrated in a fixed number of
// batched reads (see presentPosts), so a page of 100 costs what a page of 5 does.

const FeedKindEnum = builder.enumType("FeedKind", {
  values: {
    FOLLOWING: {
      value: "following",
      description:
        "Posts and reposts by the people you follow (and you), newest first. Signed in only.",
    },
    DISCOVER: {
      value: "discover",
      description:
        "Everyone's posts ranked by recent engagement with time decay. Signed in, it leaves out your own posts, people you muted and what it showed you before.",
    },
  } as const,
});

builder.queryFields((t) => ({
  feed: t.connection(
    {
      type: PostRef,
      description: "A feed, paged with first and after (pageInfo.endCursor).",
      args: { kind: t.arg({ type: FeedKindEnum, required: true }) },
      resolve: (_root, args, context) => {
        const { db } = context.services;
        const viewerId = context.viewer?.user.id ?? null;
        if (args.kind === "following" && viewerId === null) {
          throw new GraphQLError("Sign in to see posts from the people you follow.", {
            extensions: { code: "FORBIDDEN" },
          });
        }
        return pageConnection(
          args,
          "Feeds",
          async (page) =>
            pageOrThrow(
              viewerId !== null && args.kind === "following"
                ? await followingFeed(db, viewerId, page)
                : await discoverFeed(db, viewerId, page),
            ),
          (posts) => presentPosts(context, posts),
        );
      },
    },
    PostConnectionRef,
  ),
  hashtagFeed: t.connection(
    {
      type: PostRef,
      description: "Posts with a hashtag, newest first.",
      args: {
        tag: t.arg.string({ required: true, description: 'With or without the #: "coffee".' }),
      },
      resolve: (_root, args, context) =>
        pageConnection(
          args,
          "Feeds",
          async (page) => pageOrThrow(await hashtagFeed(context.services.db, args.tag, page)),
          (posts) => presentPosts(context, posts),
        ),
    },
    PostConnectionRef,
  ),
}));

builder.objectField(UserRef, "posts", (t) =>
  t.connection(
    {
      type: PostRef,
      description: "The user's posts and reposts, newest first.",
      resolve: (user, args, context) =>
        pageConnection(
          args,
          "Posts",
          async (page) => pageOrThrow(await profileFeed(context.services.db, user.id, page)),
          (posts) => presentPosts(context, posts),
        ),
    },
    PostConnectionRef,
  ),
);
