import { GraphQLError } from "graphql";
import type { UserId } from "#core/auth/ids.ts";
import { isSessionActive } from "#core/auth/session.service.ts";
import type { RewardEvents } from "#core/rewards/reward-events.ts";
import type { GraphQLContext } from "./context.ts";

/**
 * The signed-in viewer's events, for as long as the session that opened the stream is
 * signed in. A stream outlives the request that opened it: once its session is signed out
 * (here or on another device), it ends instead of delivering further events.
 */
export function viewerSessionStream<T>(
  context: GraphQLContext,
  subscribe: (events: RewardEvents, viewerId: UserId) => AsyncIterator<T>,
): AsyncIterableIterator<T> {
  const viewer = context.viewer;
  // scope-auth refuses a signed-out subscriber first; this keeps the types honest.
  if (!viewer) {
    throw new GraphQLError("You are not allowed to see this.", {
      extensions: { code: "FORBIDDEN" },
    });
  }
  const { db, config, rewardEvents } = context.services;
  return whileSessionActive(subscribe(rewardEvents, viewer.user.id), () =>
    isSessionActive(db, config.session, viewer.session.id),
  );
}

/**
 * A subscription's events for as long as the session that opened it is signed in.
 *
 * Not an `async function*` around `for await`: a generator suspended inside that loop
 * cannot be returned until the next event arrives, so a client that disconnects would
 * leave its pubsub listener behind until then. Here `return()` goes straight to the
 * source, which ends any pending read and drops the listener at once.
 */
export function whileSessionActive<T>(
  source: AsyncIterator<T>,
  isActive: () => Promise<boolean>,
): AsyncIterableIterator<T> {
  const finish = async (): Promise<IteratorResult<T>> => {
    await source.return?.();
    return { done: true, value: undefined };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const result = await source.next();
      if (result.done) return result;
      return (await isActive()) ? result : finish();
    },
    return: finish,
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
  };
}
