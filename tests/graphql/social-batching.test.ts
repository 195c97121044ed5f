import {
  PostgresQueryCompiler,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { follow } from "#core/social/follows.ts";
import { like } from "#core/social/likes.ts";
import { createPost, repost } from "#core/social/posts.ts";
import type { PostId } from "#core/social/social-types.ts";
import { earnTrustLevel1 } from "#tests/support/factories.ts";
import { openTestDb, testBackends, type TestDb } from "#tests/support/test-db.ts";
import { startTestServer, type TestServer } from "#tests/support/test-server.ts";
import { gql, newPerson, type Person } from "./social-fixtures.ts";

/**
 * Counts the statements the server's database runs, by a plugin on the very Kysely
 * instance the server uses (every query, raw SQL included, passes through it).
 */
class StatementCounter implements KyselyPlugin {
  private readonly compiler = new PostgresQueryCompiler();
  private readonly pending = new WeakMap<QueryId, RootOperationNode>();
  statements: string[] = [];

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.pending.set(queryId, node);
    return node;
  }

  async transformResult({
    result,
    queryId,
  }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const node = this.pending.get(queryId);
    this.statements.push(node ? this.compiler.compileQuery(node, queryId).sql : "(unknown)");
    return result;
  }

  /** The statements `run` issued. */
  async during(run: () => Promise<unknown>): Promise<string[]> {
    this.statements = [];
    await run();
    return this.statements;
  }
}

const FEED_POST_FIELDS = /* GraphQL */ `
  fragment FeedPost on Post {
    id
    segments {
      __typename
      text
    }
    createdAt
    author {
      id
      handle
      displayName
      avatarUrl
      viewerFollows
    }
    likeCount
    commentCount
    repostCount
    viewerHasLiked
    viewerHasReposted
    isEditable
    repostOf {
      id
      body
      author {
        handle
        avatarUrl
      }
      likeCount
      viewerHasLiked
      viewerHasReposted
    }
  }
`;

const FEED = /* GraphQL */ `
  query Feed($kind: FeedKind!, $first: Int!) {
    feed(kind: $kind, first: $first) {
      edges {
        cursor
        node {
          ...FeedPost
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${FEED_POST_FIELDS}
`;

const HASHTAG_FEED = /* GraphQL */ `
  query Tagged($first: Int!) {
    hashtagFeed(tag: "batching", first: $first) {
      edges {
        node {
          ...FeedPost
        }
      }
    }
  }
  ${FEED_POST_FIELDS}
`;

type FeedAnswer = {
  feed: { edges: { node: { repostOf: unknown; viewerHasLiked: boolean } }[] };
};

describe.each(testBackends())("feeds cost a fixed number of statements on %s", (backend) => {
  let testDb: TestDb;
  let server: TestServer;
  const counter = new StatementCounter();
  let viewer: Person;

  beforeAll(async () => {
    testDb = await openTestDb(backend);
    const counted = { ...testDb, db: testDb.db.withPlugin(counter) };
    server = await startTestServer(backend, {}, { sharedDb: counted });
    viewer = await newPerson(server);
    const authors = await Promise.all(Array.from({ length: 12 }, () => newPerson(server)));
    // Their posts have links, which take trust level 1.
    for (const author of authors) await earnTrustLevel1(server.db, author.user.id);
    for (const author of authors) await follow(server.services, viewer.user.id, author.user.id);
    // 80 posts by 12 people, every fourth a repost of an earlier one, half of them liked
    // by the viewer: any page of the Following feed has authors, reposts and likes.
    const posted: PostId[] = [];
    for (let i = 0; i < 80; i++) {
      const author = authors[i % authors.length]!.user.id;
      const post =
        i % 4 === 3
          ? await repost(server.services, author, posted[i - 2]!)
          : await createPost(server.services, author, {
              body: `Post ${i} about #batching with a link https://example.com/${i}`,
            }).then((r) => (r.ok ? { ok: true as const, value: r.value.post } : r));
      if (!post.ok) throw new Error(post.error.message);
      posted.push(post.value.id);
      if (i % 2 === 0)
        await like(server.services, viewer.user.id, { kind: "post", id: post.value.id });
    }
  });

  afterAll(async () => {
    await server?.close();
    await testDb?.close();
  });

  async function statementsFor(query: string, variables: Record<string, unknown>) {
    let answer: unknown;
    const statements = await counter.during(async () => {
      answer = await gql(viewer.client, query, variables);
    });
    return { statements, answer };
  }

  it("a Following page of 50 posts costs what a page of 5 does", async () => {
    const five = await statementsFor(FEED, { kind: "FOLLOWING", first: 5 });
    const fifty = await statementsFor(FEED, { kind: "FOLLOWING", first: 50 });
    const edges = (fifty.answer as FeedAnswer).feed.edges;
    expect(edges).toHaveLength(50);
    expect(edges.some((e) => e.node.repostOf !== null)).toBe(true);
    expect(edges.some((e) => e.node.viewerHasLiked)).toBe(true);
    expect((five.answer as FeedAnswer).feed.edges.some((e) => e.node.repostOf !== null)).toBe(true);
    console.info(
      `${backend} Following: ${five.statements.length} statements for 5 posts, ${fifty.statements.length} for 50`,
    );
    expect(fifty.statements).toHaveLength(five.statements.length);
    expect(fifty.statements.length, fifty.statements.join("\n")).toBeLessThanOrEqual(8);
  });

  it("a Discover page of 50 costs what a page of 5 does", async () => {
    const five = await statementsFor(FEED, { kind: "DISCOVER", first: 5 });
    const fifty = await statementsFor(FEED, { kind: "DISCOVER", first: 50 });
    expect((fifty.answer as FeedAnswer).feed.edges.length).toBeGreaterThanOrEqual(40);
    console.info(
      `${backend} Discover: ${five.statements.length} statements for 5 posts, ${fifty.statements.length} for 50`,
    );
    expect(fifty.statements).toHaveLength(five.statements.length);
    expect(fifty.statements.length, fifty.statements.join("\n")).toBeLessThanOrEqual(9);
  });

  it("a hashtag page of 50 costs what a page of 5 does", async () => {
    const five = await statementsFor(HASHTAG_FEED, { first: 5 });
    const fifty = await statementsFor(HASHTAG_FEED, { first: 50 });
    console.info(
      `${backend} hashtag: ${five.statements.length} statements for 5 posts, ${fifty.statements.length} for 50`,
    );
    expect(fifty.statements).toHaveLength(five.statements.length);
    expect(fifty.statements.length, fifty.statements.join("\n")).toBeLessThanOrEqual(8);
  });
});
