import nodemailer from "nodemailer";
import type { Logger } from "pino";

/** One plain-text message to one person. */
export type MailMessage = { to: string; subject: string; text: string };

/** Sends mail; rejects when the message could not be handed over (the failure is logged first). */
export type Mailer = { send: (message: MailMessage) => Promise<void> };

export type MailSettings = { smtpUrl: string | undefined; from: string };

/**
 * Over SMTP when a URL is configured; otherwise every message goes to the log at info,
 * whole, so a developer on the embedded default can click the link it carries.
 */
export function createMailer(settings: MailSettings, logger: Logger): Mailer {
  if (!settings.smtpUrl) {
    return {
      send: async (message) => {
        logger.info(
          { mail: { from: settings.from, ...message } },
          `mail to ${message.to} (not sent: SMTP_URL is not set)\n\n${message.text}`,
        );
      },
    };
  }
  const transport = nodemailer.createTransport(settings.smtpUrl);
  return {
    send: async (message) => {
      try {
        await transport.sendMail({ from: settings.from, ...message });
        logger.info({ to: message.to, subject: message.subject }, "mail sent");
      } catch (error) {
        logger.error({ err: error, to: message.to, subject: message.subject }, "mail not sent");
        throw error;
      }
    },
  };
}
