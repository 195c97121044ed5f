import { resolveCursorConnection } from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import { listSessions, type Session } from "#core/auth/session.service.ts";
import { builder } from "../builder.ts";
import { forwardOnly } from "../forward-only.ts";
import { UserRef } from "./user.ts";

type CurrentAwareSession = Session & { isCurrent: boolean };

const SessionRef = builder.objectRef<CurrentAwareSession>("Session").implement({
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

builder.objectField(UserRef, "sessions", (t) =>
  t.connection({
    type: SessionRef,
    description: "Where this user is signed in, newest first. Only visible to the user themself.",
    authScopes: (user, _args, context) => context.viewer?.user.id === user.id,
    resolve: (user, args, context) => {
      forwardOnly(args, "Sessions page");
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
);
