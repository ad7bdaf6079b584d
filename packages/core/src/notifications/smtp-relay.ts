import nodemailer, { type Transporter } from 'nodemailer';

/** Where mail goes: the e-mail system parameters smtp_host, smtp_port and smtp_fqdn. */
export interface RelaySettings {
  readonly host: string;
  readonly port: number;
  /** The name the core gives in EHLO. */
  readonly fqdn: string;
}

export interface OutgoingMail {
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly bcc: string;
  readonly subject: string;
  readonly text: string;
  readonly attachments: readonly { readonly filename: string; readonly content: Buffer }[];
}

/** Why a send failed, and whether trying again can help. */
export interface SendFailure {
  readonly message: string;
  /** The relay refused the recipient itself (a 5xx to RCPT): trying again will not help. */
  readonly permanent: boolean;
}

const LOOPBACK = /^(127\.|::1$|localhost$)/;

/** Opens SMTP connections to the relay (one per batch of mails) and sends over them. */
export class SmtpRelay {
  private readonly transport: Transporter;

  constructor(s: RelaySettings) {
    this.transport = nodemailer.createTransport({
      host: s.host,
      port: s.port,
      name: s.fqdn,
      secure: s.port === 465,
      pool: false,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      // The manual recommends a relay on this host: there a snake-oil certificate (Debian's default for postfix and
      // exim STARTTLS) must not stop the mail; a remote relay's certificate is verified.
      tls: { rejectUnauthorized: !LOOPBACK.test(s.host) },
    });
  }

  async send(m: OutgoingMail): Promise<void> {
    await this.transport.sendMail({
      messageId: m.messageId,
      from: m.from,
      to: m.to,
      ...(m.bcc ? { bcc: m.bcc } : {}),
      subject: m.subject,
      text: m.text,
      attachments: m.attachments.map((a) => ({ filename: a.filename, content: a.content })),
    });
  }

  close(): void {
    this.transport.close();
  }
}

/** A nodemailer error as a one-line reason, permanent only when the relay refused the mail's recipients. */
export function sendFailure(err: unknown): SendFailure {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = e.responseCode ?? 0;
  const why = (e.response ?? e.message ?? String(err)).replace(/\s+/g, ' ').trim();
  return { message: e.code ? `${e.code}: ${why}` : why, permanent: e.code === 'EENVELOPE' && code >= 500 };
}
