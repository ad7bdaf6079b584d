import type { AddressInfo } from 'node:net';
import type { SMTPServer } from 'smtp-server';

/** A message the sink accepted, with what the tests look at decoded. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
  /** The decoded value of a top-level header ('' when absent). */
  header(name: string): string;
  /** The decoded text/plain part. */
  readonly text: string;
  readonly attachments: readonly { readonly filename: string; readonly content: Buffer }[];
}

/** An SMTP server on loopback (the smtp-server package) keeping what it receives; stop and start it for an outage. */
export interface SmtpSink {
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Refuses recipients matching this (550) from now on. */
  refuse(re: RegExp | undefined): void;
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

function decodeWords(v: string): string {
  return v
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=/g, (_w, _charset: string, enc: string, data: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function splitHead(part: string): { headers: Map<string, string>; body: string } {
  const at = part.indexOf('\r\n\r\n');
  const head = at < 0 ? part : part.slice(0, at);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), decodeWords(line.slice(i + 1).trim()));
  }
  return { headers, body: at < 0 ? '' : part.slice(at + 4) };
}

function bodyBytes(headers: Map<string, string>, body: string): Buffer {
  const enc = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (enc === 'quoted-printable')
    return Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    );
  return Buffer.from(body, 'latin1');
}

export function parseMail(from: string, to: readonly string[], raw: string): ReceivedMail {
  const top = splitHead(raw);
  const parts: { headers: Map<string, string>; body: string }[] = [];
  const walk = (p: { headers: Map<string, string>; body: string }) => {
    const b = /boundary="?([^";]+)"?/i.exec(p.headers.get('content-type') ?? '')?.[1];
    if (!b) return void parts.push(p);
    for (const chunk of p.body.split(`--${b}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      walk(splitHead(chunk.replace(/^\r\n/, '').replace(/\r\n$/, '')));
    }
  };
  walk(top);
  let text = '';
  const attachments: { filename: string; content: Buffer }[] = [];
  for (const p of parts) {
    const filename = /filename="?([^";]+)"?/i.exec(p.headers.get('content-disposition') ?? '')?.[1];
    const bytes = bodyBytes(p.headers, p.body);
    if (filename) attachments.push({ filename, content: bytes });
    else if (!text && /text\/plain/i.test(p.headers.get('content-type') ?? 'text/plain')) text = bytes.toString('utf8');
  }
  return { from, to, raw, header: (n) => top.headers.get(n.toLowerCase()) ?? '', text, attachments };
}

export async function smtpSink(): Promise<SmtpSink> {
  const { SMTPServer } = await import('smtp-server');
  const mails: ReceivedMail[] = [];
  let refused: RegExp | undefined;
  let port = 0;
  let server: SMTPServer | undefined;
  const listen = async () => {
    const s = new SMTPServer({
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo(addr, _session, cb) {
        if (refused?.test(addr.address)) {
          const err = Object.assign(new Error(`mailbox ${addr.address} unavailable`), { responseCode: 550 });
          return cb(err);
        }
        cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          mails.push(
            parseMail(
              from,
              session.envelope.rcptTo.map((r) => r.address),
              Buffer.concat(chunks).toString('latin1'),
            ),
          );
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.server.address() as AddressInfo).port;
    server = s;
  };
  await listen();
  return {
    get port() {
      return port;
    },
    mails,
    refuse(re) {
      refused = re;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((r) => s.close(() => r()));
    },
    start: listen,
  };
}
