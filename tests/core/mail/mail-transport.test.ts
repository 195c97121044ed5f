import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createMailer } from "#core/mail/mail-transport.ts";
import { startSmtpInbox } from "#tests/support/smtp-inbox.ts";

describe("mail transport", () => {
  it("without SMTP_URL writes the whole message, link included, to the log at info", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const mailer = createMailer(
      { smtpUrl: undefined, from: "Tributary <no-reply@tributary.localhost>" },
      pino({ level: "info" }, sink),
    );
    await mailer.send({
      to: "ada@example.com",
      subject: "Confirm your email for Tributary",
      text: "Open http://localhost:3000/verify-email?token=abc to confirm.",
    });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { level: number; msg: string; mail: { to: string } };
    expect(entry.level).toBe(30);
    expect(entry.mail.to).toBe("ada@example.com");
    expect(entry.msg).toContain("http://localhost:3000/verify-email?token=abc");
  });

  it("with SMTP_URL hands the message to the SMTP server", async () => {
    const inbox = await startSmtpInbox();
    try {
      const mailer = createMailer(
        { smtpUrl: inbox.url, from: "Tributary <no-reply@tributary.localhost>" },
        pino({ level: "silent" }),
      );
      await mailer.send({ to: "bo@example.com", subject: "Hello", text: "Plain words." });
      const received = await inbox.nextMessageTo("bo@example.com");
      expect(received).toMatchObject({ subject: "Hello", text: "Plain words.\n" });
      expect(received.from).toContain("no-reply@tributary.localhost");
    } finally {
      await inbox.close();
    }
  });

  it("rejects when the SMTP server cannot be reached, so callers can tell the person", async () => {
    const inbox = await startSmtpInbox();
    const url = inbox.url;
    await inbox.close();
    const mailer = createMailer({ smtpUrl: url, from: "x@example.com" }, pino({ level: "silent" }));
    await expect(mailer.send({ to: "c@example.com", subject: "s", text: "t" })).rejects.toThrow();
  });
});
