import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';

export interface Server {
  host: string;
  port: number;
  /** How long to wait for a reply before sending the request again. */
  timeoutMs: number;
  /** How many times a request is sent again after a timeout. */
  retries: number;
}

/**
 * What a datagram is to the request waiting for a reply: its reply; a reply with its identifier that fails the
 * Response Authenticator check (the secrets differ: waiting longer would not help); or neither (ignored).
 */
export type Verdict = 'reply' | 'forged' | 'other';

export interface Outcome {
  /** The reply, or the forged one; undefined when nothing came after every try. */
  msg?: Buffer;
  verdict?: 'reply' | 'forged';
  /** How many times the request was sent. */
  tries: number;
}

/**
 * A UDP socket towards one RADIUS server. Unconnected, so a reply is taken from whatever address the server answers
 * from (a multi-homed server may answer from another one); what makes it the reply is the identifier and the
 * Response Authenticator, which only the holder of the secret can compute.
 */
export class RadiusClient {
  private waiting: ((msg: Buffer) => void) | undefined;

  private constructor(
    private readonly sock: Socket,
    private readonly address: string,
    private readonly server: Server,
  ) {
    sock.on('message', (msg) => this.waiting?.(msg));
  }

  /** Resolves the host (a name or an address) and opens the socket; rejects with the resolver's error. */
  static async open(server: Server): Promise<RadiusClient> {
    const { address, family } = await lookup(server.host);
    const sock = createSocket(family === 6 ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(0, () => {
        sock.off('error', reject);
        resolve();
      });
    });
    return new RadiusClient(sock, address, server);
  }

  send(packet: Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.sock.send(packet, this.server.port, this.address, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** Sends the request, and again after each timeout (`retries` times), until `judge` calls a datagram its reply or forged. */
  async exchange(request: Buffer, judge: (msg: Buffer) => Verdict): Promise<Outcome> {
    let tries = 0;
    let timer: NodeJS.Timeout | undefined;
    try {
      while (tries <= this.server.retries) {
        const answer = new Promise<Outcome | undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), this.server.timeoutMs);
          this.waiting = (msg) => {
            const verdict = judge(msg);
            if (verdict !== 'other') resolve({ msg, verdict, tries });
          };
        });
        await this.send(request);
        tries++;
        const got = await answer;
        if (got) return got;
      }
      return { tries };
    } finally {
      clearTimeout(timer);
      this.waiting = undefined;
    }
  }

  close(): void {
    this.sock.close();
  }
}
