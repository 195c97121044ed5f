import { GraphQLError } from "graphql";

/**
 * Refuses `last` and `before` on a connection whose cursors only go forwards, rather than
 * quietly answering with the wrong page. `what` starts the message ("Rewards page").
 */
export function forwardOnly(
  args: { last?: number | null; before?: string | null },
  what: string,
): void {
  if (args.last != null || args.before != null) {
    throw new GraphQLError(`${what} forwards only: use first and after.`, {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
}
