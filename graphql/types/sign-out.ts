import { clearedSessionCookie } from "#core/auth/session-cookie.ts";
import { invalidateAllSessions, invalidateSession } from "#core/auth/session.service.ts";
import { builder } from "../builder.ts";
import { NotSignedInError } from "./errors.ts";

const SignOutPayloadRef = builder.objectRef<{ endedSessions: number }>("SignOutPayload").implement({
  fields: (t) => ({ endedSessions: t.exposeInt("endedSessions") }),
});

builder.mutationFields((t) => ({
  signOut: t.field({
    type: SignOutPayloadRef,
    description: "Ends this session. Signing out when not signed in is not an error.",
    resolve: async (_root, _args, context) => {
      context.responseCookies.push(clearedSessionCookie(context.services.config.cookieSecure));
      if (!context.viewer) return { endedSessions: 0 };
      await invalidateSession(context.services.db, context.viewer.session.id);
      return { endedSessions: 1 };
    },
  }),
  signOutEverywhere: t.field({
    type: SignOutPayloadRef,
    description: "Ends every session of the signed-in user, on every device.",
    errors: { types: [NotSignedInError] },
    resolve: async (_root, _args, context) => {
      if (!context.viewer) throw new NotSignedInError();
      context.responseCookies.push(clearedSessionCookie(context.services.config.cookieSecure));
      const ended = await invalidateAllSessions(context.services.db, context.viewer.user.id);
      return { endedSessions: ended };
    },
  }),
}));
