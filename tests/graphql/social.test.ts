import { encodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEventStream } from "#tests/support/event-stream.ts";
import { earnTrustLevel1 } from "#tests/support/factories.ts";
import { TestClient } from "#tests/support/http-client.ts";
import { testBackends } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";
import {
  commentGlobalId,
  gql,
  makeAdmin,
  newPerson,
  postGlobalId,
  type Person,
} from "./social-fixtures.ts";

const MICRO = 10n ** 18n;
const POST_REWARD = ((MICRO * 5n) / 1000n).toString();
const LIKE_RECEIVED = (MICRO / 1000n).toString();
const LIKE_GIVEN = ((MICRO * 2n) / 10000n).toString();

const ERROR_FIELDS = /* GraphQL */ `
  fragment ErrorFields on Error {
    __typename
    message
    ... on ValidationError {
      fieldErrors {
        field
        messages
      }
    }
    ... on TrustLevelTooLowError {
      requiredTrustLevel
    }
  }
`;

const POST_FIELDS = /* GraphQL */ `
  fragment PostFields on Post {
    id
    body
    segments {
      __typename
      text
      ... on LinkSegment {
        href
      }
      ... on HashtagSegment {
        tag
      }
      ... on MentionSegment {
        handle
      }
    }
    createdAt
    editedAt
    author {
      id
      handle
    }
    likeCount
    commentCount
    repostCount
    viewerHasLiked
    isEditable
    editableUntil
    repostOf {
      id
      body
      author {
        handle
      }
    }
  }
`;

const CREATE_POST = /* GraphQL */ `
  mutation CreatePost($body: String!) {
    createPost(body: $body) {
      __typename
      ... on CreatePostPayload {
        post {
          ...PostFields
        }
        reward {
          status
          amount
          kind
        }
      }
      ...ErrorFields
    }
  }
  ${POST_FIELDS}
  ${ERROR_FIELDS}
`;

const EDIT_POST = /* GraphQL */ `
  mutation EditPost($postId: ID!, $body: String!) {
    editPost(postId: $postId, body: $body) {
      __typename
      ... on PostPayload {
        post {
          ...PostFields
        }
      }
      ...ErrorFields
    }
  }
  ${POST_FIELDS}
  ${ERROR_FIELDS}
`;

const DELETE_POST = /* GraphQL */ `
  mutation DeletePost($postId: ID!) {
    deletePost(postId: $postId) {
      __typename
      ... on DeletePostPayload {
        deletedPostId
      }
      ...ErrorFields
    }
  }
  ${ERROR_FIELDS}
`;

const REPOST = /* GraphQL */ `
  mutation Repost($postId: ID!) {
    repost(postId: $postId) {
      __typename
      ... on PostPayload {
        post {
          ...PostFields
        }
      }
      ...ErrorFields
    }
  }
  ${POST_FIELDS}
  ${ERROR_FIELDS}
`;

const LIKE_POST = /* GraphQL */ `
  mutation LikePost($postId: ID!) {
    likePost(postId: $postId) {
      __typename
      ... on PostLikePayload {
        liked
        likeCount
        post {
          id
          likeCount
          viewerHasLiked
        }
        reward {
          kind
          status
          amount
          reason {
            code
          }
        }
      }
      ...ErrorFields
    }
  }
  ${ERROR_FIELDS}
`;

const UNLIKE_POST = /* GraphQL */ `
  mutation UnlikePost($postId: ID!) {
    unlikePost(postId: $postId) {
      __typename
      ... on PostLikePayload {
        liked
        likeCount
        post {
          viewerHasLiked
        }
        reward {
          status
        }
      }
      ...ErrorFields
    }
  }
  ${ERROR_FIELDS}
`;

const POST = /* GraphQL */ `
  query Post($id: ID!, $first: Int, $after: String) {
    post(id: $id) {
      ...PostFields
      comments(first: $first, after: $after) {
        edges {
          cursor
          node {
            id
            body
            author {
              handle
            }
            parent {
              id
            }
            post {
              id
            }
            likeCount
            viewerHasLiked
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
  ${POST_FIELDS}
`;

const CREATE_COMMENT = /* GraphQL */ `
  mutation CreateComment($postId: ID!, $parentId: ID, $body: String!) {
    createComment(postId: $postId, parentId: $parentId, body: $body) {
      __typename
      ... on CreateCommentPayload {
        comment {
          id
          body
          segments {
            __typename
            text
          }
          parent {
            id
          }
        }
        reward {
          kind
          status
        }
      }
      ...ErrorFields
    }
  }
  ${ERROR_FIELDS}
`;

const FEED = /* GraphQL */ `
  query Feed($kind: FeedKind!, $first: Int, $after: String) {
    feed(kind: $kind, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          body
          author {
            handle
          }
          repostOf {
            id
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const USER_POSTS = /* GraphQL */ `
  query UserPosts($handle: String!, $first: Int, $after: String) {
    user(handle: $handle) {
      posts(first: $first, after: $after) {
        edges {
          cursor
          node {
            id
            body
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const FOLLOW = /* GraphQL */ `
  mutation Follow($userId: ID!) {
    follow(userId: $userId) {
      __typename
      ... on FollowPayload {
        viewerFollows
        user {
          handle
          followerCount
          viewerFollows
        }
      }
      ...ErrorFields
    }
  }
  ${ERROR_FIELDS}
`;

const UNFOLLOW = /* GraphQL */ `
  mutation Unfollow($userId: ID!) {
    unfollow(userId: $userId) {
      __typename
      ... on FollowPayload {
        viewerFollows
        user {
          followerCount
        }
      }
      ...ErrorFields
    }
  }
  ${ERROR_FIELDS}
`;

const WALLET = /* GraphQL */ `
  {
    viewer {
      wallet {
        pending
        available
      }
    }
  }
`;

const NOTIFICATIONS = /* GraphQL */ `
  query Notifications($first: Int, $after: String) {
    viewer {
      unreadNotificationCount
      notifications(first: $first, after: $after) {
        edges {
          cursor
          node {
            id
            kind
            isRead
            actor {
              handle
            }
            post {
              id
            }
            comment {
              id
            }
            reward {
              kind
              amount
              status
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

type PostNode = {
  id: string;
  body: string;
  segments: { __typename: string; text: string; href?: string; tag?: string; handle?: string }[];
  editedAt: string | null;
  author: { id: string; handle: string };
  likeCount: number;
  commentCount: number;
  repostCount: number;
  viewerHasLiked: boolean;
  isEditable: boolean;
  editableUntil: string | null;
  repostOf: { id: string; body: string; author: { handle: string } } | null;
};

type MutationResult = {
  __typename: string;
  message?: string;
  fieldErrors?: { field: string; messages: string[] }[];
  requiredTrustLevel?: number;
};

type Page<N> = {
  edges: { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
};

describe.each(testBackends())("the social network through GraphQL on %s", (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  async function writePost(person: Person, body: string): Promise<PostNode> {
    const data = await gql<{ createPost: MutationResult & { post: PostNode } }>(
      person.client,
      CREATE_POST,
      { body },
    );
    if (data.createPost.__typename !== "CreatePostPayload") {
      throw new Error(JSON.stringify(data.createPost));
    }
    return data.createPost.post;
  }

  async function walletOf(person: Person) {
    const data = await gql<{ viewer: { wallet: { pending: string; available: string } } }>(
      person.client,
      WALLET,
    );
    return {
      pending: BigInt(data.viewer.wallet.pending),
      available: BigInt(data.viewer.wallet.available),
    };
  }

  async function postCount(person: Person) {
    const row = await server.db
      .selectFrom("posts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("author_id", "=", person.user.id)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  describe("posts", () => {
    it("a post comes back in pieces, earns its author a held reward, and is editable for a while", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      await earnTrustLevel1(server.db, ada.user.id);
      const data = await gql<{
        createPost: { post: PostNode; reward: { status: string; amount: string; kind: string } };
      }>(ada.client, CREATE_POST, {
        body: `Morning #Coffee with @${grace.user.handle} at https://example.com/cafe`,
      });
      const { post, reward } = data.createPost;
      expect(post.author.handle).toBe(ada.user.handle);
      expect(post.segments).toEqual([
        { __typename: "PlainTextSegment", text: "Morning " },
        { __typename: "HashtagSegment", text: "#Coffee", tag: "coffee" },
        { __typename: "PlainTextSegment", text: " with " },
        { __typename: "MentionSegment", text: `@${grace.user.handle}`, handle: grace.user.handle },
        { __typename: "PlainTextSegment", text: " at " },
        {
          __typename: "LinkSegment",
          text: "https://example.com/cafe",
          href: "https://example.com/cafe",
        },
      ]);
      expect(post).toMatchObject({ likeCount: 0, viewerHasLiked: false, isEditable: true });
      expect(post.editableUntil).not.toBeNull();
      expect(reward).toEqual({ status: "HELD", amount: POST_REWARD, kind: "post.created" });

      // Someone else sees the same post, but may not edit it.
      const seen = await gql<{ post: PostNode }>(grace.client, POST, { id: post.id });
      expect(seen.post).toMatchObject({ id: post.id, isEditable: false, editableUntil: null });
    });

    it("empty and oversize posts are refused with a field error and nothing is written", async () => {
      const ada = await newPerson(server);
      for (const body of ["   \n\t ", "x".repeat(501)]) {
        const data = await gql<{ createPost: MutationResult }>(ada.client, CREATE_POST, { body });
        expect(data.createPost.__typename).toBe("ValidationError");
        expect(data.createPost.fieldErrors?.[0]?.field).toBe("body");
      }
      expect(await postCount(ada)).toBe(0);
      // 500 characters (counted as people count them, emoji included) are fine.
      await writePost(ada, "🙂".repeat(500));
      expect(await postCount(ada)).toBe(1);
    });

    it("script in a post comes back as plain text, and only web links become links", async () => {
      const ada = await newPerson(server);
      await earnTrustLevel1(server.db, ada.user.id);
      const body = `<script>alert("hi")</script> <img src=x onerror=alert(1)> javascript:alert(1) https://safe.example/ok`;
      const post = await writePost(ada, body);
      expect(post.body).toBe(body);
      const kinds = new Set(post.segments.map((s) => s.__typename));
      expect([...kinds].sort()).toEqual(["LinkSegment", "PlainTextSegment"]);
      const links = post.segments.filter((s) => s.__typename === "LinkSegment");
      expect(links).toEqual([
        {
          __typename: "LinkSegment",
          text: "https://safe.example/ok",
          href: "https://safe.example/ok",
        },
      ]);
      expect(post.segments.map((s) => s.text).join("")).toBe(body);
    });

    it("a link takes trust level 1: a new person gets TrustLevelTooLowError and nothing is written", async () => {
      const ada = await newPerson(server);
      const body = "Free MICRO at https://spam.example/claim";
      const refused = await gql<{ createPost: MutationResult }>(ada.client, CREATE_POST, { body });
      expect(refused.createPost).toMatchObject({
        __typename: "TrustLevelTooLowError",
        requiredTrustLevel: 1,
      });
      expect(refused.createPost.message).toMatch(
        /^Links unlock at trust level 1 \(basic\); still to do: member for 1 day;/,
      );
      expect(await postCount(ada)).toBe(0);

      // An edit may not add one either.
      const post = await writePost(ada, "Free MICRO, ask me how");
      const edit = await gql<{ editPost: MutationResult }>(ada.client, EDIT_POST, {
        postId: post.id,
        body,
      });
      expect(edit.editPost.__typename).toBe("TrustLevelTooLowError");
      const progress = await gql<{
        viewer: { progress: { trust: { level: number; canPostLinks: boolean } } };
      }>(ada.client, "{ viewer { progress { trust { level canPostLinks } } } }");
      expect(progress.viewer.progress.trust).toEqual({ level: 0, canPostLinks: false });

      // Trust earned, the same post goes through.
      await earnTrustLevel1(server.db, ada.user.id);
      expect((await writePost(ada, body)).segments.map((s) => s.__typename)).toContain(
        "LinkSegment",
      );
      expect(await postCount(ada)).toBe(2);
    });

    it("signed out, a post cannot be written", async () => {
      const anonymous = new TestClient(server.url);
      const data = await gql<{ createPost: MutationResult }>(anonymous, CREATE_POST, {
        body: "hello",
      });
      expect(data.createPost.__typename).toBe("NotSignedInError");
    });

    it("only its author edits a post, within the edit window; hashtags follow the text", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const post = await writePost(ada, "first draft #draftone");

      const byOther = await gql<{ editPost: MutationResult }>(grace.client, EDIT_POST, {
        postId: post.id,
        body: "defaced",
      });
      expect(byOther.editPost.__typename).toBe("ForbiddenError");

      const edited = await gql<{ editPost: { __typename: string; post: PostNode } }>(
        ada.client,
        EDIT_POST,
        { postId: post.id, body: "second draft #drafttwo" },
      );
      expect(edited.editPost.__typename).toBe("PostPayload");
      expect(edited.editPost.post.body).toBe("second draft #drafttwo");
      expect(edited.editPost.post.editedAt).not.toBeNull();

      const tagged = async (tag: string) =>
        (
          await gql<{ hashtagFeed: Page<{ id: string }> }>(
            ada.client,
            `query ($tag: String!) { hashtagFeed(tag: $tag) { edges { node { id } } } }`,
            { tag },
          )
        ).hashtagFeed.edges.map((e) => e.node.id);
      expect(await tagged("draftone")).not.toContain(post.id);
      expect(await tagged("#DraftTwo")).toContain(post.id);

      const tooEmpty = await gql<{ editPost: MutationResult }>(ada.client, EDIT_POST, {
        postId: post.id,
        body: "",
      });
      expect(tooEmpty.editPost.__typename).toBe("ValidationError");

      await server.db
        .updateTable("posts")
        .set({ created_at: new Date(Date.now() - 20 * 60 * 1000) })
        .where("author_id", "=", ada.user.id)
        .execute();
      const late = await gql<{ editPost: MutationResult }>(ada.client, EDIT_POST, {
        postId: post.id,
        body: "too late",
      });
      expect(late.editPost.__typename).toBe("EditWindowClosedError");
      const after = await gql<{ post: PostNode }>(ada.client, POST, { id: post.id });
      expect(after.post).toMatchObject({ body: "second draft #drafttwo", isEditable: false });
    });

    it("ids of the wrong kind are field errors, and unknown posts are not found", async () => {
      const ada = await newPerson(server);
      const wrongKind = await gql<{ editPost: MutationResult }>(ada.client, EDIT_POST, {
        postId: ada.globalId,
        body: "x",
      });
      expect(wrongKind.editPost).toMatchObject({
        __typename: "ValidationError",
        fieldErrors: [{ field: "postId", messages: ["That is not a post id."] }],
      });
      const garbage = await gql<{ deletePost: MutationResult }>(ada.client, DELETE_POST, {
        postId: "not an id",
      });
      expect(garbage.deletePost.__typename).toBe("ValidationError");
      const missing = await gql<{ editPost: MutationResult }>(ada.client, EDIT_POST, {
        postId: postGlobalId(987654321),
        body: "x",
      });
      expect(missing.editPost.__typename).toBe("NotFoundError");
      const query = await gql<{ post: null }>(ada.client, POST, { id: "garbage" });
      expect(query.post).toBeNull();
    });

    it("a deleted post is gone for everyone; only its author may delete it; liking it is not found", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const post = await writePost(ada, "short-lived");

      const byOther = await gql<{ deletePost: MutationResult }>(grace.client, DELETE_POST, {
        postId: post.id,
      });
      expect(byOther.deletePost.__typename).toBe("ForbiddenError");

      const deleted = await gql<{ deletePost: { __typename: string; deletedPostId: string } }>(
        ada.client,
        DELETE_POST,
        { postId: post.id },
      );
      expect(deleted.deletePost).toEqual({
        __typename: "DeletePostPayload",
        deletedPostId: post.id,
      });
      const again = await gql<{ deletePost: { __typename: string } }>(ada.client, DELETE_POST, {
        postId: post.id,
      });
      expect(again.deletePost.__typename).toBe("DeletePostPayload");

      expect((await gql<{ post: null }>(grace.client, POST, { id: post.id })).post).toBeNull();
      const liked = await gql<{ likePost: MutationResult }>(grace.client, LIKE_POST, {
        postId: post.id,
      });
      expect(liked.likePost.__typename).toBe("NotFoundError");
      const commented = await gql<{ createComment: MutationResult }>(grace.client, CREATE_COMMENT, {
        postId: post.id,
        body: "hello?",
      });
      expect(commented.createComment.__typename).toBe("NotFoundError");
    });

    it("a repost shares the original once, and reposting a repost shares the original", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const kofi = await newPerson(server);
      const original = await writePost(ada, "worth sharing");

      const shared = await gql<{ repost: { __typename: string; post: PostNode } }>(
        grace.client,
        REPOST,
        { postId: original.id },
      );
      expect(shared.repost.post.repostOf).toMatchObject({
        id: original.id,
        body: "worth sharing",
        author: { handle: ada.user.handle },
      });
      expect(shared.repost.post.body).toBe("");
      const twice = await gql<{ repost: { post: PostNode } }>(grace.client, REPOST, {
        postId: original.id,
      });
      expect(twice.repost.post.id).toBe(shared.repost.post.id);

      const ofRepost = await gql<{ repost: { post: PostNode } }>(kofi.client, REPOST, {
        postId: shared.repost.post.id,
      });
      expect(ofRepost.repost.post.repostOf?.id).toBe(original.id);
      const now = await gql<{ post: PostNode }>(ada.client, POST, { id: original.id });
      expect(now.post.repostCount).toBe(2);

      const missing = await gql<{ repost: MutationResult }>(grace.client, REPOST, {
        postId: postGlobalId(987654321),
      });
      expect(missing.repost.__typename).toBe("NotFoundError");
    });
  });

  describe("likes and what they earn", () => {
    it("a like pays the author and the liker; unliking within the hold takes both back", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const post = await writePost(ada, "like me");
      const before = await walletOf(ada);

      const liked = await gql<{
        likePost: {
          __typename: string;
          liked: boolean;
          likeCount: number;
          post: { likeCount: number; viewerHasLiked: boolean };
          reward: { kind: string; status: string; amount: string };
        };
      }>(grace.client, LIKE_POST, { postId: post.id });
      expect(liked.likePost).toMatchObject({
        __typename: "PostLikePayload",
        liked: true,
        likeCount: 1,
        post: { likeCount: 1, viewerHasLiked: true },
        reward: { kind: "like.given", status: "HELD", amount: LIKE_GIVEN },
      });
      const afterLike = await walletOf(ada);
      expect(afterLike.pending - before.pending).toBe(BigInt(LIKE_RECEIVED));
      expect(afterLike.available).toBe(before.available);

      // The author's notification carries what the like earned them.
      const notes = await gql<{
        viewer: { notifications: Page<{ kind: string; reward: { amount: string } | null }> };
      }>(ada.client, NOTIFICATIONS);
      expect(notes.viewer.notifications.edges[0]?.node).toMatchObject({
        kind: "LIKE",
        reward: { amount: LIKE_RECEIVED },
      });

      const unliked = await gql<{
        unlikePost: {
          liked: boolean;
          likeCount: number;
          post: { viewerHasLiked: boolean };
          reward: null;
        };
      }>(grace.client, UNLIKE_POST, { postId: post.id });
      expect(unliked.unlikePost).toMatchObject({
        liked: false,
        likeCount: 0,
        post: { viewerHasLiked: false },
        reward: null,
      });
      expect(await walletOf(ada)).toEqual(before);

      // Liking again pays nothing new: the reward replays, reversed.
      const relike = await gql<{ likePost: { reward: { status: string } } }>(
        grace.client,
        LIKE_POST,
        { postId: post.id },
      );
      expect(relike.likePost.reward.status).toBe("REVERSED");
      expect(await walletOf(ada)).toEqual(before);
    });

    it("liking one's own post earns nothing", async () => {
      const ada = await newPerson(server);
      const post = await writePost(ada, "self-love");
      const before = await walletOf(ada);
      const liked = await gql<{ likePost: { liked: boolean; reward: null } }>(
        ada.client,
        LIKE_POST,
        { postId: post.id },
      );
      expect(liked.likePost).toMatchObject({ liked: true, reward: null });
      expect(await walletOf(ada)).toEqual(before);
    });
  });

  describe("comments", () => {
    it("a comment with a link takes trust level 1: TrustLevelTooLowError and nothing is written", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const post = await writePost(ada, "recommend me a book");
      const body = "Free books at https://spam.example/claim";
      const refused = await gql<{ createComment: MutationResult }>(grace.client, CREATE_COMMENT, {
        postId: post.id,
        body,
      });
      expect(refused.createComment).toMatchObject({
        __typename: "TrustLevelTooLowError",
        requiredTrustLevel: 1,
      });
      const comments = () =>
        server.db
          .selectFrom("comments")
          .select("id")
          .where("author_id", "=", grace.user.id)
          .execute();
      expect(await comments()).toHaveLength(0);

      await earnTrustLevel1(server.db, grace.user.id);
      const allowed = await gql<{ createComment: MutationResult }>(grace.client, CREATE_COMMENT, {
        postId: post.id,
        body,
      });
      expect(allowed.createComment.__typename).toBe("CreateCommentPayload");
      expect(await comments()).toHaveLength(1);
    });

    it("comments and one level of replies, in conversation order, paged by thread", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const post = await writePost(ada, "discuss");
      const comment = async (by: Person, body: string, parentId?: string) => {
        const data = await gql<{
          createComment: {
            __typename: string;
            comment: { id: string; parent: { id: string } | null; segments: unknown[] };
            reward: { kind: string; status: string } | null;
          };
        }>(by.client, CREATE_COMMENT, { postId: post.id, body, parentId });
        expect(data.createComment.__typename).toBe("CreateCommentPayload");
        return data.createComment;
      };
      const first = await comment(grace, "first!");
      expect(first.reward).toMatchObject({ kind: "comment.created", status: "HELD" });
      const reply = await comment(ada, "thanks", first.comment.id);
      expect(reply.reward).toBeNull();
      const replyToReply = await comment(grace, "welcome", reply.comment.id);
      expect(replyToReply.comment.parent?.id).toBe(first.comment.id);
      const second = await comment(grace, "<b>second</b>");
      expect(second.comment.segments).toEqual([
        { __typename: "PlainTextSegment", text: "<b>second</b>" },
      ]);

      type Comments = Page<{ id: string; parent: { id: string } | null }>;
      const page1 = await gql<{ post: PostNode & { comments: Comments } }>(ada.client, POST, {
        id: post.id,
        first: 1,
      });
      expect(page1.post.commentCount).toBe(4);
      expect(page1.post.comments.edges.map((e) => e.node.id)).toEqual([
        first.comment.id,
        reply.comment.id,
        replyToReply.comment.id,
      ]);
      expect(page1.post.comments.pageInfo.hasNextPage).toBe(true);
      const page2 = await gql<{ post: { comments: Comments } }>(ada.client, POST, {
        id: post.id,
        first: 5,
        after: page1.post.comments.pageInfo.endCursor,
      });
      expect(page2.post.comments.edges.map((e) => e.node.id)).toEqual([second.comment.id]);
      expect(page2.post.comments.pageInfo.hasNextPage).toBe(false);
    });

    it("bad comments are refused, only their author deletes them, and comment likes count", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const post = await writePost(ada, "comment here");
      const empty = await gql<{ createComment: MutationResult }>(grace.client, CREATE_COMMENT, {
        postId: post.id,
        body: " ",
      });
      expect(empty.createComment).toMatchObject({
        __typename: "ValidationError",
        fieldErrors: [{ field: "body" }],
      });
      const wrongParent = await gql<{ createComment: MutationResult }>(
        grace.client,
        CREATE_COMMENT,
        { postId: post.id, parentId: post.id, body: "hi" },
      );
      expect(wrongParent.createComment.__typename).toBe("ValidationError");
      const missingParent = await gql<{ createComment: MutationResult }>(
        grace.client,
        CREATE_COMMENT,
        { postId: post.id, parentId: commentGlobalId(987654321), body: "hi" },
      );
      expect(missingParent.createComment.__typename).toBe("NotFoundError");

      const created = await gql<{ createComment: { comment: { id: string } } }>(
        grace.client,
        CREATE_COMMENT,
        { postId: post.id, body: "nice" },
      );
      const commentId = created.createComment.comment.id;
      const liked = await gql<{
        likeComment: { liked: boolean; likeCount: number; comment: { viewerHasLiked: boolean } };
      }>(
        ada.client,
        `mutation ($id: ID!) { likeComment(commentId: $id) { ... on CommentLikePayload { liked likeCount comment { viewerHasLiked } } } }`,
        { id: commentId },
      );
      expect(liked.likeComment).toEqual({
        liked: true,
        likeCount: 1,
        comment: { viewerHasLiked: true },
      });
      const unliked = await gql<{ unlikeComment: { liked: boolean; likeCount: number } }>(
        ada.client,
        `mutation ($id: ID!) { unlikeComment(commentId: $id) { ... on CommentLikePayload { liked likeCount } } }`,
        { id: commentId },
      );
      expect(unliked.unlikeComment).toEqual({ liked: false, likeCount: 0 });

      const DELETE = `mutation ($id: ID!) { deleteComment(commentId: $id) { __typename ... on DeleteCommentPayload { deletedCommentId } } }`;
      const byOther = await gql<{ deleteComment: { __typename: string } }>(ada.client, DELETE, {
        id: commentId,
      });
      expect(byOther.deleteComment.__typename).toBe("ForbiddenError");
      const byAuthor = await gql<{ deleteComment: { deletedCommentId: string } }>(
        grace.client,
        DELETE,
        { id: commentId },
      );
      expect(byAuthor.deleteComment.deletedCommentId).toBe(commentId);
      const after = await gql<{ post: { commentCount: number; comments: Page<unknown> } }>(
        ada.client,
        POST,
        { id: post.id },
      );
      expect(after.post.commentCount).toBe(0);
      expect(after.post.comments.edges).toEqual([]);
    });
  });

  describe("follows and feeds", () => {
    it("following someone: counts, lists, their reward, and unfollowing takes it back", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const before = await walletOf(ada);
      const followed = await gql<{
        follow: {
          __typename: string;
          viewerFollows: boolean;
          user: { handle: string; followerCount: number; viewerFollows: boolean };
        };
      }>(grace.client, FOLLOW, { userId: ada.globalId });
      expect(followed.follow).toEqual({
        __typename: "FollowPayload",
        viewerFollows: true,
        user: { handle: ada.user.handle, followerCount: 1, viewerFollows: true },
      });
      expect((await walletOf(ada)).pending - before.pending).toBe(MICRO / 1000n);

      const lists = await gql<{
        ada: { followers: Page<{ handle: string }> };
        grace: { following: Page<{ handle: string }> };
      }>(
        grace.client,
        `query ($ada: String!, $grace: String!) {
          ada: user(handle: $ada) { followers { edges { node { handle } } } }
          grace: user(handle: $grace) { following { edges { node { handle } } } }
        }`,
        { ada: ada.user.handle, grace: grace.user.handle },
      );
      expect(lists.ada.followers.edges.map((e) => e.node.handle)).toEqual([grace.user.handle]);
      expect(lists.grace.following.edges.map((e) => e.node.handle)).toEqual([ada.user.handle]);

      const unfollowed = await gql<{
        unfollow: { viewerFollows: boolean; user: { followerCount: number } };
      }>(grace.client, UNFOLLOW, { userId: ada.globalId });
      expect(unfollowed.unfollow).toMatchObject({
        viewerFollows: false,
        user: { followerCount: 0 },
      });
      expect(await walletOf(ada)).toEqual(before);
    });

    it("following oneself, a missing person or a post id is refused", async () => {
      const ada = await newPerson(server);
      const post = await writePost(ada, "not a person");
      const attempt = async (userId: string) =>
        (await gql<{ follow: MutationResult }>(ada.client, FOLLOW, { userId })).follow;
      expect((await attempt(ada.globalId)).__typename).toBe("SelfActionError");
      expect(
        (await attempt(encodeGlobalID("User", "00000000-0000-4000-8000-000000000000"))).__typename,
      ).toBe("NotFoundError");
      expect(await attempt(post.id)).toMatchObject({
        __typename: "ValidationError",
        fieldErrors: [{ field: "userId" }],
      });
      const signedOut = await gql<{ follow: MutationResult }>(new TestClient(server.url), FOLLOW, {
        userId: ada.globalId,
      });
      expect(signedOut.follow.__typename).toBe("NotSignedInError");
    });

    it("the Following feed pages by cursor without duplicates, edge cursors included", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      await gql(grace.client, FOLLOW, { userId: ada.globalId });
      const written: string[] = [];
      for (let i = 0; i < 7; i++) written.push((await writePost(ada, `post ${i}`)).id);
      const newestFirst = [...written].reverse();

      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const data: { feed: Page<{ id: string }> } = await gql(grace.client, FEED, {
          kind: "FOLLOWING",
          first: 3,
          after,
        });
        seen.push(...data.feed.edges.map((e) => e.node.id));
        after = data.feed.pageInfo.hasNextPage ? data.feed.pageInfo.endCursor : null;
        pages++;
      } while (after && pages < 10);
      expect(seen).toEqual(newestFirst);
      expect(pages).toBe(3);

      // Any edge's cursor carries on right after that edge.
      const firstPage = await gql<{ feed: Page<{ id: string }> }>(grace.client, FEED, {
        kind: "FOLLOWING",
        first: 4,
      });
      const fromSecond = await gql<{ feed: Page<{ id: string }> }>(grace.client, FEED, {
        kind: "FOLLOWING",
        first: 2,
        after: firstPage.feed.edges[1]!.cursor,
      });
      expect(fromSecond.feed.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(2, 4));
      expect(fromSecond.feed.pageInfo.endCursor).toBe(firstPage.feed.edges[3]!.cursor);

      // A profile's posts page the same way.
      const profile = await gql<{ user: { posts: Page<{ id: string }> } }>(
        grace.client,
        USER_POSTS,
        { handle: ada.user.handle, first: 5 },
      );
      const rest = await gql<{ user: { posts: Page<{ id: string }> } }>(grace.client, USER_POSTS, {
        handle: ada.user.handle,
        first: 5,
        after: profile.user.posts.pageInfo.endCursor,
      });
      expect([...profile.user.posts.edges, ...rest.user.posts.edges].map((e) => e.node.id)).toEqual(
        newestFirst,
      );
    });

    it("muting keeps someone's posts out of the feed until unmuted", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      await gql(grace.client, FOLLOW, { userId: ada.globalId });
      const post = await writePost(ada, "can you hear me");
      const feedIds = async () =>
        (
          await gql<{ feed: Page<{ id: string }> }>(grace.client, FEED, { kind: "FOLLOWING" })
        ).feed.edges.map((e) => e.node.id);
      expect(await feedIds()).toContain(post.id);
      const MUTE = `mutation ($id: ID!) { mute(userId: $id) { __typename ... on MutePayload { viewerMutes user { viewerMutes } } } }`;
      const UNMUTE = `mutation ($id: ID!) { unmute(userId: $id) { __typename ... on MutePayload { viewerMutes } } }`;
      const muted = await gql<{ mute: { viewerMutes: boolean; user: { viewerMutes: boolean } } }>(
        grace.client,
        MUTE,
        { id: ada.globalId },
      );
      expect(muted.mute).toMatchObject({ viewerMutes: true, user: { viewerMutes: true } });
      expect(await feedIds()).not.toContain(post.id);
      await gql(grace.client, UNMUTE, { id: ada.globalId });
      expect(await feedIds()).toContain(post.id);
      const self = await gql<{ mute: { __typename: string } }>(grace.client, MUTE, {
        id: grace.globalId,
      });
      expect(self.mute.__typename).toBe("SelfActionError");
    });

    it("Discover works signed out; Following needs a viewer; bad cursors and tags are refused", async () => {
      const ada = await newPerson(server);
      const post = await writePost(ada, "for everyone #opentopic");
      const anonymous = new TestClient(server.url);
      const discover = await gql<{ feed: Page<{ id: string }> }>(anonymous, FEED, {
        kind: "DISCOVER",
        first: 100,
      });
      expect(discover.feed.edges.map((e) => e.node.id)).toContain(post.id);

      const following = await anonymous.graphql(FEED, { kind: "FOLLOWING" });
      expect(following.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

      const badCursors = [
        "garbage",
        "p.garbage",
        Buffer.from(JSON.stringify(["not-a-number"])).toString("base64url"),
      ];
      for (const after of badCursors) {
        for (const kind of ["FOLLOWING", "DISCOVER"]) {
          const answer = await ada.client.graphql(FEED, { kind, after });
          expect(answer.body.errors?.[0]?.extensions?.code, `${kind} after ${after}`).toBe(
            "BAD_USER_INPUT",
          );
        }
      }
      for (const after of badCursors) {
        const notes = await ada.client.graphql(NOTIFICATIONS, { after });
        expect(notes.body.errors?.[0]?.extensions?.code, `notifications after ${after}`).toBe(
          "BAD_USER_INPUT",
        );
        const comments = await ada.client.graphql(POST, { id: post.id, after });
        expect(comments.body.errors?.[0]?.extensions?.code, `comments after ${after}`).toBe(
          "BAD_USER_INPUT",
        );
      }
      const backwards = await ada.client.graphql(
        `{ feed(kind: DISCOVER, last: 2) { edges { cursor } } }`,
      );
      expect(backwards.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      const badTag = await ada.client.graphql(
        `{ hashtagFeed(tag: "not a tag") { edges { cursor } } }`,
      );
      expect(badTag.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    });
  });

  describe("notifications", () => {
    it("notifications list what happened, count unread, and are marked read by their owner only", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const post = await writePost(ada, "notify me");
      await gql(grace.client, FOLLOW, { userId: ada.globalId });
      await gql(grace.client, CREATE_COMMENT, {
        postId: post.id,
        body: `hey @${ada.user.handle}`,
      });
      await gql(grace.client, REPOST, { postId: post.id });
      await gql(grace.client, LIKE_POST, { postId: post.id });

      type Notes = {
        viewer: {
          unreadNotificationCount: number;
          notifications: Page<{
            id: string;
            kind: string;
            isRead: boolean;
            actor: { handle: string };
            post: { id: string } | null;
            comment: { id: string } | null;
          }>;
        };
      };
      const notes = await gql<Notes>(ada.client, NOTIFICATIONS, { first: 3 });
      expect(notes.viewer.unreadNotificationCount).toBe(4);
      const more = await gql<Notes>(ada.client, NOTIFICATIONS, {
        first: 3,
        after: notes.viewer.notifications.pageInfo.endCursor,
      });
      const all = [...notes.viewer.notifications.edges, ...more.viewer.notifications.edges];
      expect(all.map((e) => e.node.kind)).toEqual(["LIKE", "REPOST", "COMMENT", "FOLLOW"]);
      expect(all.every((e) => e.node.actor.handle === grace.user.handle && !e.node.isRead)).toBe(
        true,
      );
      expect(all.find((e) => e.node.kind === "COMMENT")?.node.comment).not.toBeNull();
      expect(all.find((e) => e.node.kind === "FOLLOW")?.node.post).toBeNull();

      // Someone else's notifications are not theirs to read.
      const snooping = await grace.client.graphql(
        `query ($handle: String!) { user(handle: $handle) { notifications { edges { cursor } } } }`,
        { handle: ada.user.handle },
      );
      expect(snooping.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      // A notification refetches by id for its owner only.
      const NODE = `query ($id: ID!) { node(id: $id) { id ... on Notification { kind } } }`;
      const someId = all[0]!.node.id;
      expect((await gql<{ node: unknown }>(ada.client, NODE, { id: someId })).node).toMatchObject({
        id: someId,
        kind: "LIKE",
      });
      expect((await gql<{ node: unknown }>(grace.client, NODE, { id: someId })).node).toBeNull();

      const MARK = `mutation { markNotificationsRead { __typename ... on MarkNotificationsReadPayload { markedCount unreadCount } } }`;
      const graceUnread = (await gql<Notes>(grace.client, NOTIFICATIONS)).viewer
        .unreadNotificationCount;
      const marked = await gql<{
        markNotificationsRead: { markedCount: number; unreadCount: number };
      }>(ada.client, MARK);
      expect(marked.markNotificationsRead).toMatchObject({ markedCount: 4, unreadCount: 0 });
      expect((await gql<Notes>(grace.client, NOTIFICATIONS)).viewer.unreadNotificationCount).toBe(
        graceUnread,
      );
    });

    it("a new notification pings the recipient's open stream with the unread count", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const controller = new AbortController();
      const query = "subscription { notificationReceived { notificationId kind unreadCount } }";
      const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`, {
        headers: { accept: "text/event-stream", cookie: ada.client.sessionCookie! },
        signal: controller.signal,
      });
      const stream = readEventStream(response);
      try {
        await stream.readUntil(/^:\n\n/);
        await gql(grace.client, FOLLOW, { userId: ada.globalId });
        await stream.readUntil(/"unreadCount":1/);
        const data = JSON.parse(/data: (\{.*\})/.exec(stream.text)![1]!) as {
          data: { notificationReceived: { notificationId: string; kind: string } };
        };
        expect(data.data.notificationReceived.kind).toBe("FOLLOW");
        const notes = await gql<{ viewer: { notifications: Page<{ id: string }> } }>(
          ada.client,
          NOTIFICATIONS,
        );
        expect(data.data.notificationReceived.notificationId).toBe(
          notes.viewer.notifications.edges[0]?.node.id,
        );
      } finally {
        controller.abort();
      }

      const anonymous = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}`, {
        headers: { accept: "text/event-stream" },
      });
      const refused = readEventStream(anonymous);
      await refused.readUntil(/FORBIDDEN/);
    });
  });

  describe("moderation", () => {
    const QUEUE = /* GraphQL */ `
      {
        moderationQueue(first: 50) {
          edges {
            node {
              id
              reason
              status
              targetKind
              reporter {
                handle
              }
              post {
                id
                body
              }
            }
          }
        }
      }
    `;
    const REPORT_POST = `mutation ($id: ID!, $reason: String!) { reportPost(postId: $id, reason: $reason) { __typename ... on ReportFiledPayload { reportId } ...ErrorFields } } ${ERROR_FIELDS}`;
    const DECIDE = `mutation ($id: ID!, $decision: ReportDecision!) { decideReport(reportId: $id, decision: $decision, note: "spam") { __typename ... on DecideReportPayload { report { status decisionNote decidedBy { handle } } } ...ErrorFields } } ${ERROR_FIELDS}`;

    it("reports reach admins only; hiding a post takes it down and reverses its held reward", async () => {
      const ada = await newPerson(server);
      const grace = await newPerson(server);
      const admin = await newPerson(server);
      await makeAdmin(server.db, admin);
      const post = await writePost(ada, "buy my pills");
      const before = await walletOf(ada);

      const empty = await gql<{ reportPost: MutationResult }>(grace.client, REPORT_POST, {
        id: post.id,
        reason: "  ",
      });
      expect(empty.reportPost).toMatchObject({
        __typename: "ValidationError",
        fieldErrors: [{ field: "reason" }],
      });
      const own = await gql<{ reportPost: MutationResult }>(ada.client, REPORT_POST, {
        id: post.id,
        reason: "oops",
      });
      expect(own.reportPost.__typename).toBe("SelfActionError");
      const filed = await gql<{ reportPost: { __typename: string; reportId: string } }>(
        grace.client,
        REPORT_POST,
        { id: post.id, reason: "spam" },
      );
      expect(filed.reportPost.__typename).toBe("ReportFiledPayload");
      const reportedUser = await gql<{ reportUser: { __typename: string } }>(
        grace.client,
        `mutation ($id: ID!) { reportUser(userId: $id, reason: "spammer") { __typename } }`,
        { id: ada.globalId },
      );
      expect(reportedUser.reportUser.__typename).toBe("ReportFiledPayload");

      const notAdmin = await grace.client.graphql(QUEUE);
      expect(notAdmin.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const refused = await gql<{ decideReport: MutationResult }>(grace.client, DECIDE, {
        id: filed.reportPost.reportId,
        decision: "HIDE",
      });
      expect(refused.decideReport.__typename).toBe("ForbiddenError");

      const queue = await gql<{
        moderationQueue: Page<{ id: string; reason: string; post: { id: string } | null }>;
      }>(admin.client, QUEUE);
      const entry = queue.moderationQueue.edges.find(
        (e) => e.node.id === filed.reportPost.reportId,
      );
      expect(entry?.node).toMatchObject({
        reason: "spam",
        status: "OPEN",
        targetKind: "POST",
        reporter: { handle: grace.user.handle },
        post: { id: post.id, body: "buy my pills" },
      });

      const decided = await gql<{
        decideReport: {
          __typename: string;
          report: { status: string; decidedBy: { handle: string } };
        };
      }>(admin.client, DECIDE, { id: filed.reportPost.reportId, decision: "HIDE" });
      expect(decided.decideReport).toMatchObject({
        __typename: "DecideReportPayload",
        report: {
          status: "HIDDEN",
          decisionNote: "spam",
          decidedBy: { handle: admin.user.handle },
        },
      });
      expect((await gql<{ post: null }>(grace.client, POST, { id: post.id })).post).toBeNull();
      expect((await walletOf(ada)).pending).toBe(before.pending - BigInt(POST_REWARD));

      const twice = await gql<{ decideReport: MutationResult }>(admin.client, DECIDE, {
        id: filed.reportPost.reportId,
        decision: "DISMISS",
      });
      expect(twice.decideReport.__typename).toBe("ValidationError");
      const wrongId = await gql<{ decideReport: MutationResult }>(admin.client, DECIDE, {
        id: post.id,
        decision: "DISMISS",
      });
      expect(wrongId.decideReport.__typename).toBe("ValidationError");
    });
  });
});
