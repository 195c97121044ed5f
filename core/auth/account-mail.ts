import type { Mailer } from "#core/mail/mail-transport.ts";
import { originOfRequest } from "./request-origin.ts";

/** What a service needs to mail a person a link back to this site. */
export type AccountMail = {
  mailer: Mailer;
  /** The origin links point to: PUBLIC_URL, else the origin the request came to. */
  linkOrigin: string;
};

export const accountLinks = {
  verifyEmail: (origin: string, token: string) =>
    `${origin}/verify-email?token=${encodeURIComponent(token)}`,
  resetPassword: (origin: string, token: string) =>
    `${origin}/reset-password?token=${encodeURIComponent(token)}`,
  forgotPassword: (origin: string) => `${origin}/forgot-password`,
  signIn: (origin: string) => `${origin}/signin`,
} as const;

/** Hands a message to the mailer without waiting; a failure is logged by the mailer. */
export function sendInBackground(mail: AccountMail, send: (mailer: Mailer) => Promise<void>): void {
  send(mail.mailer).catch(() => {
    // Already logged by the mailer; the person can ask again.
  });
}

/** The mail settings for a request: PUBLIC_URL when configured, else the request's origin. */
export function accountMailFor(
  services: { mailer: Mailer; config: { publicUrl: string | undefined; trustProxy: boolean } },
  request: Request,
): AccountMail {
  return {
    mailer: services.mailer,
    linkOrigin:
      services.config.publicUrl ??
      originOfRequest(request, { trustProxy: services.config.trustProxy }),
  };
}
