import { Resend } from "resend";
import type { Env } from "~/utils/env.server";

export interface OutgoingEmail {
  /** The outbox row id: also the idempotency key, so a retried send after a crash is not sent twice by Resend. */
  id: number;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Files sent with the message (email_attachments), e.g. a bank invoice's PDF. */
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
}

export interface EmailTransport {
  name: "resend" | "dev-mailbox" | string;
  /**
   * The message never leaves this machine: the outbox row is the inbox (the dev mailbox). Only then
   * does a sent sign-in link stay readable in the row; otherwise it is removed once sent.
   */
  local?: boolean;
  /** Resolves when the provider accepted the message; throws when it did not. */
  send(message: OutgoingEmail): Promise<{ providerId?: string }>;
}

/** Resend. Constructed only when a key is set (`new Resend()` throws without one). */
export function resendTransport(apiKey: string, from: string, baseUrl?: string): EmailTransport {
  const resend = new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  return {
    name: "resend",
    async send(message) {
      const { data, error } = await resend.emails.send(
        {
          from,
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          attachments: message.attachments?.map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })),
        },
        { idempotencyKey: `outbox-${message.id}` },
      );
      if (error) throw new Error(`resend: ${error.name}: ${error.message}`);
      return { providerId: data?.id };
    },
  };
}

/**
 * The local stand-in: nothing leaves the machine. The outbox row, with its rendered subject, HTML and
 * text, is the message; /dev/mail lists those rows. Never chosen when APP_ENV=production (startup refuses).
 */
export const devMailboxTransport: EmailTransport = {
  name: "dev-mailbox",
  local: true,
  async send() {
    return {};
  },
};

export function transportFor(config: Env): EmailTransport {
  if (config.resendApiKey) return resendTransport(config.resendApiKey, config.mailFrom ?? "Lokala mål <noreply@localhost>");
  return devMailboxTransport;
}
