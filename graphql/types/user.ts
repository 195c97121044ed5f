import { resolveCursorConnection } from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import { listSessions, type Session } from "#core/auth/session.service.ts";
import { getUserByHandle, getUsersByIds } from "#core/auth/user.service.ts";
import type { User } from "#core/auth/user.ts";
import { builder } from "../builder.ts";

export const UserRef = builder.objectRef<User>("User");
type CurrentAwareSession = Session & { isCurrent: boolean };

export const SessionRef = builder.objectRef<CurrentAwareSession>("Session");

SessionRef.implement({
  description: "A signed-in browser or device. Only its owner can see it.",
  fields: (t) => ({
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    lastActiveAt: t.expose("lastVerifiedAt", { type: "DateTime" }),
    expiresAt: t.expose("expiresAt", { type: "DateTime" }),
    userAgent: t.exposeString("userAgent", { nullable: true }),
    isCurrent: t.exposeBoolean("isCurrent", {
      description: "True for the session that made this request.",
    }),
  }),
});

type SessionCursor = { createdAt: Date; id: string };

function encodeSessionCursor(session: { createdAt: Date; id: string }): string {
  return Buffer.from(`${session.createdAt.toISOString()}|${session.id}`).toString("base64url");
}

function decodeSessionCursor(cursor: string): SessionCursor {
  const [iso, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(iso ?? "");
  if (!id || Number.isNaN(createdAt.getTime())) {
    throw new GraphQLError("That cursor is not valid for sessions.", {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return { createdAt, id };
}

builder.node(UserRef, {
  description: "A person on Tributary.",
  id: { resolve: (user) => user.id },
  loadMany: (ids, context) => getUsersByIds(context.services.db, ids),
  fields: (t) => ({
    handle: t.exposeString("handle"),
    displayName: t.exposeString("displayName"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    email: t.string({
      nullable: true,
      description: "Only visible to the user themself; null for everyone else.",
      resolve: (user, _args, context) => (context.viewer?.user.id === user.id ? user.email : null),
    }),
    sessions: t.connection({
      type: SessionRef,
      description: "Where this user is signed in, newest first. Only visible to the user themself.",
      authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
      resolve: (user, args, context) => {
        if (args.last != null || args.before != null) {
          throw new GraphQLError("Sessions page forwards only: use first and after.", {
            extensions: { code: "BAD_USER_INPUT" },
          });
        }
        const currentId = context.viewer?.session.id;
        return resolveCursorConnection<Promise<CurrentAwareSession[]>>(
          { args, toCursor: encodeSessionCursor, defaultSize: 20, maxSize: 100 },
          async ({ after, limit }) => {
            const sessions = await listSessions(
              context.services.db,
              context.services.config.session,
              user.id,
              { limit, ...(after ? { after: decodeSessionCursor(after) } : {}) },
            );
            return sessions.map((session) => ({ ...session, isCurrent: session.id === currentId }));
          },
        );
      },
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({
    type: UserRef,
    nullable: true,
    description: "The signed-in user, or null when nobody is signed in.",
    resolve: (_root, _args, context) => context.viewer?.user ?? null,
  }),
  user: t.field({
    type: UserRef,
    nullable: true,
    args: { handle: t.arg.string({ required: true }) },
    resolve: (_root, args, context) => getUserByHandle(context.services.db, args.handle),
  }),
}));
