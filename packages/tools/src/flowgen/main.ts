import { createSocket } from 'node:dgram';
import { constants, readFileSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { Command } from 'commander';
import { EXIT, errorLine, exitAfterFlush } from '@utm5/common';
import { parseCommand } from '../cli/command';
import { UsageError, intArg, ipv4Arg } from '../cli/args';
import { ByteSource, makeRecord, packets, type FlowTemplate, type PacketPlan } from './generator';
import { rawPackets, type ReplayStats } from './raw-source';

const PROGRAM = 'utm5_flowgen';

/** The field options: with -u the fields come from the file, so these are refused there. */
const FIELD_FLAGS = ['s', 'd', 'z', 'x', 'n', 'm', 'i', 'o', 'b', 'P', 'j', 'k', 'l', 'N', 'f'];

/** Options of the manual's utm5_flowgen, plus -v 10 for IPFIX. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const cmd = new Command(PROGRAM)
    .description(
      "Generates NetFlow v5/v9 (or IPFIX, -v 10) records and sends them over UDP, as the UTM5 manual's utm5_flowgen does.",
    )
    .helpOption('--help', 'show this help')
    .option('--version', 'print the version')
    .option('-h <host>', 'host to send the packets to', '127.0.0.1')
    .option('-p <port>', 'UDP port to send to (the collector nfbuffer_port)', '9997')
    .option('-c <count>', 'number of NetFlow records', '65535')
    .option('-v <version>', 'NetFlow version: 5, 9 or 10 (IPFIX)', '5')
    .option('-f <file>', 'file whose bytes fill the fields not given (default: random)')
    .option('-t <rate>', 'packets per second (default: as fast as possible)')
    .option('-s <ip>', 'source address')
    .option('-d <ip>', 'destination address')
    .option('-z <port>', 'source port')
    .option('-x <port>', 'destination port')
    .option('-n <as>', 'source AS')
    .option('-m <as>', 'destination AS')
    .option('-i <index>', 'input interface index')
    .option('-o <index>', 'output interface index')
    .option('-b <bytes>', 'bytes per record')
    .option('-P <packets>', 'packets per record')
    .option('-j <tos>', 'TOS')
    .option('-k <flags>', 'TCP flags')
    .option('-l <protocol>', 'IP protocol (6 TCP, 17 UDP ...)')
    .option('-N <ip>', 'next router address')
    .option('-u <file>', 'send the flows of a .utm raw file (all of them unless -c is given)');
  const o = parseCommand(cmd, argv);
  if (typeof o === 'number') return o;
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  try {
    const version = intArg('-v', 10)(s('v')!);
    if (![5, 9, 10].includes(version))
      throw new UsageError(`-v ${version}: versions 5, 9 and 10 (IPFIX) are supported`);
    const count = intArg('-c', 100_000_000)(s('c')!);
    const port = intArg('-p', 65535)(s('p')!);
    const rate = s('t') !== undefined ? intArg('-t', 10_000_000)(s('t')!) : 0;
    const target = { host: s('h')!, port, rate };
    const plan: PacketPlan = {
      version: version as 5 | 9 | 10,
      templateEvery: 20,
      domain: 0,
      bootMs: Date.now() - 3_600_000,
    };
    const done = (records: number, pkts: number) =>
      `${records} records in ${pkts} NetFlow v${version} packets sent to ${target.host}:${port}`;
    if (s('u') !== undefined) {
      // -c limits a replay only when given: by default the whole file is sent.
      const limit = cmd.getOptionValueSource('c') === 'cli' ? count : Infinity;
      return await replay(
        s('u')!,
        FIELD_FLAGS.filter((f) => s(f) !== undefined),
        target,
        plan,
        limit,
        done,
      );
    }
    const t = fieldTemplate(s, version);
    let data: Buffer | undefined;
    if (s('f') !== undefined) {
      try {
        data = readFileSync(s('f')!);
      } catch (err) {
        throw new UsageError(`-f ${s('f')}: ${(err as Error).message}`);
      }
    }
    const src = new ByteSource(data);
    const sent = await send(
      target,
      packets(plan, count, () => makeRecord(t, src, Date.now()), Date.now),
    );
    process.stdout.write(`${done(count, sent)}\n`);
    return EXIT.OK;
  } catch (err) {
    process.stderr.write(`${PROGRAM}: ${err instanceof UsageError ? err.message : errorLine(err)}\n`);
    return err instanceof UsageError ? EXIT.USAGE : EXIT.FAILURE;
  }
}

function fieldTemplate(s: (k: string) => string | undefined, version: number): FlowTemplate {
  const t: FlowTemplate = {};
  const opt = <K extends keyof FlowTemplate>(flag: string, key: K, parse: (v: string) => FlowTemplate[K]) => {
    const v = s(flag);
    if (v !== undefined) t[key] = parse(v);
  };
  opt('s', 'srcAddr', ipv4Arg('-s'));
  opt('d', 'dstAddr', ipv4Arg('-d'));
  opt('N', 'nextHop', ipv4Arg('-N'));
  opt('z', 'srcPort', intArg('-z', 65535));
  opt('x', 'dstPort', intArg('-x', 65535));
  opt('n', 'srcAs', intArg('-n', 0xffff));
  opt('m', 'dstAs', intArg('-m', 0xffff));
  opt('i', 'inIf', intArg('-i', 0xffff));
  opt('o', 'outIf', intArg('-o', 0xffff));
  opt('b', 'bytes', intArg('-b', version === 5 ? 0xffffffff : Number.MAX_SAFE_INTEGER));
  opt('P', 'packets', intArg('-P', version === 5 ? 0xffffffff : Number.MAX_SAFE_INTEGER));
  opt('j', 'tos', intArg('-j', 255));
  opt('k', 'tcpFlags', intArg('-k', 255));
  opt('l', 'protocol', intArg('-l', 255));
  return t;
}

interface Target {
  host: string;
  port: number;
  /** Packets per second; 0 = as fast as possible. */
  rate: number;
}

/** -u: the flows of a .utm raw file. A file that is not one is a usage error; a damaged tail is said on stderr. */
async function replay(
  path: string,
  fieldFlags: string[],
  target: Target,
  plan: PacketPlan,
  limit: number,
  done: (records: number, pkts: number) => string,
): Promise<number> {
  if (fieldFlags.length > 0)
    throw new UsageError(`-${fieldFlags[0]} cannot be combined with -u: the flows come from the raw file`);
  try {
    await access(path, constants.R_OK);
  } catch (err) {
    throw new UsageError(`-u ${path}: ${(err as Error).message}`);
  }
  const stats: ReplayStats = { records: 0, skipped: 0 };
  const sent = await send(target, rawPackets(path, plan, limit, Date.now, stats));
  const p = stats.file?.problem;
  if (p && (p.reason === 'magic' || p.reason === 'version')) throw new UsageError(`-u ${path}: ${p.message}`);
  const skipped =
    stats.skipped > 0 ? `; ${stats.skipped} IPv6 flows left out (NetFlow v5 carries IPv4 only: use -v 9 or 10)` : '';
  process.stdout.write(`${done(stats.records, sent)}${skipped}\n`);
  if (!p) return EXIT.OK;
  process.stderr.write(`${PROGRAM}: ${p.reason === 'truncated' ? 'warning: ' : ''}${path}: ${p.message}\n`);
  return p.reason === 'truncated' ? EXIT.OK : EXIT.FAILURE;
}

/** Sends the packets at the target, paced to `rate`; returns how many were sent. */
async function send(target: Target, pkts: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<number> {
  const sock = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
  let n = 0;
  const started = Date.now();
  try {
    for await (const pkt of pkts) {
      await new Promise<void>((resolve, reject) =>
        sock.send(pkt, target.port, target.host, (err) => (err ? reject(err) : resolve())),
      );
      n++;
      if (target.rate > 0) {
        const wait = started + (n * 1000) / target.rate - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
  } finally {
    sock.close();
  }
  return n;
}

export function run(): void {
  main().then(
    (code) => exitAfterFlush(code),
    (err) => {
      process.stderr.write(`${PROGRAM}: ${errorLine(err)}\n`);
      exitAfterFlush(EXIT.FAILURE);
    },
  );
}
