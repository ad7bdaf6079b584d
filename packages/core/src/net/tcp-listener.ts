import { createServer, type Server, type Socket } from 'node:net';
import { UtmError, type Logger, type Service } from '@utm5/common';

export class ListenError extends UtmError {}

/** What a protocol hands back for each accepted connection, so shutdown can end it gracefully. */
export interface ConnectionHandle {
  /** Finish the request in progress (if any), then close. */
  close(): Promise<void>;
}

export interface TcpListenerOptions {
  /** "URFA", "Stream": names the listener in logs and errors. */
  readonly name: string;
  readonly hosts: readonly string[];
  readonly port: number;
  readonly maxConnections: number;
  /** Parameter names to cite when listening fails, e.g. "urfa_bind_host/urfa_bind_port". */
  readonly configHint: string;
  readonly log: Logger;
  readonly onConnection: (socket: Socket, peer: string) => ConnectionHandle;
}

function peerOf(socket: Socket): string {
  const a = socket.remoteAddress ?? '?';
  const ip = a.startsWith('::ffff:') ? a.slice(7) : a;
  return ip.includes(':') ? `[${ip}]:${socket.remotePort}` : `${ip}:${socket.remotePort}`;
}

/**
 * A TCP listener on one port and one or more addresses, with a connection limit, as a lifecycle service: stop()
 * refuses new connections at once, lets each open connection finish what it is doing, then closes it.
 */
export class TcpListener implements Service {
  readonly name: string;
  private servers: Server[] = [];
  private readonly open = new Map<Socket, ConnectionHandle>();
  private refused = 0;

  constructor(private readonly o: TcpListenerOptions) {
    this.name = `${o.name} listener`;
  }

  get connectionCount(): number {
    return this.open.size;
  }

  /** The addresses actually bound (port 0 in tests resolves here). */
  addresses(): { host: string; port: number }[] {
    return this.servers.map((s) => {
      const a = s.address() as { address: string; port: number };
      return { host: a.address, port: a.port };
    });
  }

  async start(): Promise<void> {
    for (const host of this.o.hosts) {
      const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) => {
          const why =
            err.code === 'EADDRINUSE'
              ? 'the address is in use (another utm5_core running?)'
              : err.code === 'EADDRNOTAVAIL'
                ? 'no interface has this address'
                : err.code === 'EACCES'
                  ? 'permission denied'
                  : err.message;
          reject(
            new ListenError(
              'UTM_LISTEN',
              `${this.o.name} cannot listen on ${host}:${this.o.port}: ${why}; ` + `check ${this.o.configHint}`,
              { cause: err },
            ),
          );
        });
        server.listen({ host, port: this.o.port, backlog: 511 }, () => resolve());
      });
      server.on('error', (err) => this.o.log.error(`${this.o.name} listener error: ${err.message}`));
      this.servers.push(server);
      const a = server.address() as { address: string; port: number };
      this.o.log.notice(`${this.o.name} listening on ${a.address}:${a.port}`);
    }
  }

  private accept(socket: Socket): void {
    const peer = peerOf(socket);
    if (this.open.size >= this.o.maxConnections) {
      this.refused++;
      this.o.log.warn(
        `${this.o.name}: connection from ${peer} refused: ${this.open.size} connections open ` +
          `(limit ${this.o.maxConnections}; refused so far ${this.refused})`,
      );
      socket.destroy();
      return;
    }
    socket.on('error', () => undefined); // a reset peer is routine; the protocol handler reports what matters
    const handle = this.o.onConnection(socket, peer);
    this.open.set(socket, handle);
    socket.once('close', () => this.open.delete(socket));
  }

  async stop(): Promise<void> {
    const closing = this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    this.servers = [];
    await Promise.all(
      [...this.open.entries()].map(async ([socket, h]) => {
        try {
          await h.close();
        } finally {
          socket.destroy();
        }
      }),
    );
    await Promise.all(closing);
  }
}
