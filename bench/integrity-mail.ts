/**
 * A real SMTP server on loopback that the app process sends its mail to (SMTP_URL), so the
 * bench reads verification links as a person reads them in their inbox. Every address is
 * delivered here: attackers get their mail too, as they would from a catch-all domain.
 */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type Mail = { to: string[]; subject: string; text: string; receivedAt: Date };

export class MailSink {
  readonly mails: Mail[] = [];
  private waiters: (() => void)[] = [];

  private readonly server: SMTPServer;
  port = 0;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const to = ([] as { value: { address?: string }[] }[])
              .concat(parsed.to ?? [])
              .flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase()));
            this.receive({
              to,
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              receivedAt: new Date(),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  }

  static async start(): Promise<MailSink> {
    const sink = new MailSink();
    await new Promise<void>((resolve) => sink.server.listen(0, "127.0.0.1", resolve));
    sink.port = (sink.server.server.address() as AddressInfo).port;
    return sink;
  }

  get url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private receive(mail: Mail) {
    this.mails.push(mail);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The first link in the newest mail to `address` matching `pattern`, waiting up to `ms`. */
  async linkFor(address: string, pattern: RegExp, ms = 5000): Promise<string | null> {
    const deadline = Date.now() + ms;
    for (;;) {
      const mail = this.mails
        .filter((m) => m.to.includes(address.toLowerCase()))
        .reverse()
        .find((m) => pattern.test(m.text));
      if (mail) {
        const link = /https?:\/\/\S+/.exec(mail.text.slice(mail.text.search(pattern)));
        return link?.[0] ?? null;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
