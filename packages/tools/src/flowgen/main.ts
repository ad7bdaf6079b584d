import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { Command } from 'commander';
import { EXIT, errorLine, exitAfterFlush, versionLine } from '@utm5/common';
import { ByteSource, makeRecord, packets, type FlowTemplate } from './generator';

const PROGRAM = 'utm5_flowgen';

class UsageError extends Error {}

const int = (flag: string, max: number) => (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) > max) throw new UsageError(`${flag} ${v}: expected an integer 0..${max}`);
  return Number(v);
};
const addr = (flag: string) => (v: string): string => {
  if (!isIPv4(v)) throw new UsageError(`${flag} ${v}: expected an IPv4 address`);
  return v;
};

/** Options of the manual's utm5_flowgen, plus -v 10 for IPFIX. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const cmd = new Command(PROGRAM)
    .description('Generates NetFlow v5/v9 (or IPFIX, -v 10) records and sends them over UDP, as the UTM5 manual\'s utm5_flowgen does.')
    .helpOption('--help', 'show this help')
    .option('--version', 'print the version')
    .option('-h <host>', 'host to send the packets to', '127.0.0.1')
    .option('-p <port>', 'UDP port to send to', '9996')
    .option('-c <count>', 'number of NetFlow records', '65535')
    .option('-v <version>', 'NetFlow version: 5, 9 or 10 (IPFIX)', '5')
    .option('-f <file>', 'file whose bytes fill the fields not given (default: random)')
    .option('-t <rate>', 'packets per second (default: as fast as possible)')
    .option('-s <ip>', 'source address').option('-d <ip>', 'destination address')
    .option('-z <port>', 'source port').option('-x <port>', 'destination port')
    .option('-n <as>', 'source AS').option('-m <as>', 'destination AS')
    .option('-i <index>', 'input interface index').option('-o <index>', 'output interface index')
    .option('-b <bytes>', 'bytes per record').option('-P <packets>', 'packets per record')
    .option('-j <tos>', 'TOS').option('-k <flags>', 'TCP flags').option('-l <protocol>', 'IP protocol (6 TCP, 17 UDP ...)')
    .option('-N <ip>', 'next router address')
    .option('-u <file>', 'send the flows of a .utm raw file')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    cmd.parse(argv as string[], { from: 'user' });
  } catch (err) {
    const e = err as { code?: string };
    return e.code === 'commander.helpDisplayed' ? EXIT.OK : EXIT.USAGE;
  }
  const o = cmd.opts<Record<string, string | boolean | undefined>>();
  if (o['version']) {
    process.stdout.write(`${versionLine(PROGRAM)}\n`);
    return EXIT.OK;
  }
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  try {
    if (s('u') !== undefined) throw new UsageError('-u: .utm raw files come with utm5_traffic_collector; not supported yet');
    const version = int('-v', 10)(s('v')!);
    if (![5, 9, 10].includes(version)) throw new UsageError(`-v ${version}: versions 5, 9 and 10 (IPFIX) are supported`);
    const count = int('-c', 100_000_000)(s('c')!);
    const port = int('-p', 65535)(s('p')!);
    const rate = s('t') !== undefined ? int('-t', 10_000_000)(s('t')!) : 0;
    const t: FlowTemplate = {};
    const opt = <K extends keyof FlowTemplate>(flag: string, key: K, parse: (v: string) => FlowTemplate[K]) => {
      const v = s(flag);
      if (v !== undefined) t[key] = parse(v);
    };
    opt('s', 'srcAddr', addr('-s'));
    opt('d', 'dstAddr', addr('-d'));
    opt('N', 'nextHop', addr('-N'));
    opt('z', 'srcPort', int('-z', 65535));
    opt('x', 'dstPort', int('-x', 65535));
    opt('n', 'srcAs', int('-n', 0xffff));
    opt('m', 'dstAs', int('-m', 0xffff));
    opt('i', 'inIf', int('-i', 0xffff));
    opt('o', 'outIf', int('-o', 0xffff));
    opt('b', 'bytes', int('-b', version === 5 ? 0xffffffff : Number.MAX_SAFE_INTEGER));
    opt('P', 'packets', int('-P', version === 5 ? 0xffffffff : Number.MAX_SAFE_INTEGER));
    opt('j', 'tos', int('-j', 255));
    opt('k', 'tcpFlags', int('-k', 255));
    opt('l', 'protocol', int('-l', 255));
    let data: Buffer | undefined;
    if (s('f') !== undefined) {
      try {
        data = readFileSync(s('f')!);
      } catch (err) {
        throw new UsageError(`-f ${s('f')}: ${(err as Error).message}`);
      }
    }
    const sent = await send(s('h')!, port, rate, version as 5 | 9 | 10, count, t, new ByteSource(data));
    process.stdout.write(`${sent.records} records in ${sent.packets} NetFlow v${version} packets sent to ${s('h')}:${port}\n`);
    return EXIT.OK;
  } catch (err) {
    process.stderr.write(`${PROGRAM}: ${err instanceof UsageError ? err.message : errorLine(err)}\n`);
    return err instanceof UsageError ? EXIT.USAGE : EXIT.FAILURE;
  }
}

async function send(host: string, port: number, rate: number, version: 5 | 9 | 10, count: number, t: FlowTemplate, src: ByteSource) {
  const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const boot = Date.now() - 3_600_000;
  let n = 0;
  const started = Date.now();
  try {
    for (const pkt of packets({ version, templateEvery: 20, domain: 0, bootMs: boot }, count, () => makeRecord(t, src, Date.now()), Date.now)) {
      await new Promise<void>((resolve, reject) => sock.send(pkt, port, host, (err) => (err ? reject(err) : resolve())));
      n++;
      if (rate > 0) {
        const due = started + (n * 1000) / rate;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
  } finally {
    sock.close();
  }
  return { packets: n, records: count };
}

export function run(): void {
  main().then((code) => exitAfterFlush(code), (err) => {
    process.stderr.write(`${PROGRAM}: ${errorLine(err)}\n`);
    exitAfterFlush(EXIT.FAILURE);
  });
}
