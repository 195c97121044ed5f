import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { pino } from "pino";
import { SMTPServer } from "smtp-server";
import type { AccountMail } from "#core/auth/account-mail.ts";
import { createMailer } from "#core/mail/mail-transport.ts";

export type ReceivedMail = { to: string[]; from: string; subject: string; text: string };

export type SmtpInbox = {
  /** `smtp://127.0.0.1:<port>` for SMTP_URL. */
  url: string;
  /** Every message received so far, oldest first. */
  messages: ReceivedMail[];
  /** The next message to `address` not yet taken: resolves as soon as it arrives. */
  nextMessageTo: (address: string, timeoutMs?: number) => Promise<ReceivedMail>;
  /** Messages to `address` received so far (taken or not). */
  messagesTo: (address: string) => ReceivedMail[];
  close: () => Promise<void>;
};

function addressesOf(field: ParsedMail["to"]): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((group) => group.value.map((entry) => (entry.address ?? "").toLowerCase()));
}

/**
 * A real SMTP server on loopback (port 0) that parses what it receives: the app's mail
 * goes through nodemailer and the network exactly as it would to a real server.
 */
export async function startSmtpInbox(): Promise<SmtpInbox> {
  const messages: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters: { address: string; resolve: (mail: ReceivedMail) => void }[] = [];

  function deliver(mail: ReceivedMail) {
    messages.push(mail);
    const index = waiters.findIndex((waiter) => mail.to.includes(waiter.address));
    if (index >= 0) {
      const [waiter] = waiters.splice(index, 1);
      taken.add(mail);
      waiter!.resolve(mail);
    }
  }

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          deliver({
            to: addressesOf(parsed.to),
            from: parsed.from?.text ?? "",
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    messagesTo: (address) => messages.filter((mail) => mail.to.includes(address.toLowerCase())),
    nextMessageTo: (address, timeoutMs = 10_000) => {
      const wanted = address.toLowerCase();
      const waiting = messages.find((mail) => !taken.has(mail) && mail.to.includes(wanted));
      if (waiting) {
        taken.add(waiting);
        return Promise.resolve(waiting);
      }
      return new Promise<ReceivedMail>((resolve, reject) => {
        const timer = setTimeout(() => {
          const index = waiters.findIndex((waiter) => waiter.resolve === done);
          if (index >= 0) waiters.splice(index, 1);
          reject(new Error(`no mail to ${wanted} within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (mail: ReceivedMail) => {
          clearTimeout(timer);
          resolve(mail);
        };
        waiters.push({ address: wanted, resolve: done });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link to this site's `path` in a mail's text, e.g. "/reset-password". */
export function linkIn(mail: ReceivedMail, path: string): URL {
  const match = mail.text.match(new RegExp(`https?://[^\\s]+${path}\\?token=[^\\s]+`));
  if (!match) throw new Error(`no ${path} link in mail "${mail.subject}":\n${mail.text}`);
  return new URL(match[0]);
}

/** Account mail for core tests: over SMTP into `inbox`, links to https://tributary.test. */
export function accountMailInto(inbox: SmtpInbox): AccountMail {
  return {
    mailer: createMailer(
      { smtpUrl: inbox.url, from: "Tributary <no-reply@test>" },
      pino({ level: "silent" }),
    ),
    linkOrigin: "https://tributary.test",
  };
}
