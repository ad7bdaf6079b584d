import { Command } from 'commander';
import { EXIT, errorLine, exitAfterFlush } from '@utm5/common';
import {
  RADIUS_CODES,
  attributeDef,
  encodeRequest,
  messageAuthenticatorOffset,
  verifyResponse,
  type AttributeInput,
} from '@utm5/radius';
import { parseCommand, type CliValues } from '../cli/command';
import { UsageError, intArg } from '../cli/args';
import {
  codecAttribute,
  hexAttribute,
  passwordAttribute,
  valueAttribute,
  wireLength,
  type RequestAttribute,
} from './attributes';
import { AuthenticatorSource } from './authenticator-source';
import { RadiusClient, type Server, type Verdict } from './exchange';
import { REPLY_NAMES, replyLine } from './reply';
import { REQUEST_KIND_LIST, requestKind, type RequestKind } from './request-codes';

const PROGRAM = 'utm5_radgen';
/** RFC 2865 §3: a packet is at most 4096 bytes, 20 of them the header; Message-Authenticator (80) takes 18. */
const MAX_PACKET = 4096;
const HEADER = 20;
const MESSAGE_AUTHENTICATOR = 18;
const MA = attributeDef('Message-Authenticator');
const EAP_MESSAGE = attributeDef('EAP-Message');
/** Placed last, where radgen has always put it; the encoder computes its value. */
const MA_LAST: AttributeInput = { name: MA.name, value: Buffer.alloc(16) };

const HELP = `
Attributes (-a, -b, -u) go into the request in command-line order.
  -a vendor_id:attr_id:is_digit:value   is_digit 0: value sent as a string (it may contain colons);
                                        is_digit 1: a 32-bit integer (decimal, 0x-hex, or a dotted IPv4 address)
  -b vendor_id:attr_id:hex              the value's bytes in hex, e.g. -b 0:25:0a0b0c
  vendor_id 0 (or empty) is a standard attribute; any other sends a Vendor-Specific (26) one, e.g. Cisco-AVPair
  is -a 9:1:0:ip:addr-pool=pool1. -a 0:2:0:x sends User-Password unhidden: use -u to hide it.

Each reply is printed as one line: code, id and its attributes (Name=value, vendor ones by name for Cisco 9,
Microsoft 311, Mikrotik 14988 and ADSL-Forum 3561). A request without a valid reply after every try is reported on stderr.
Exit status: 0 every request got Access-Accept, Accounting-Response, Disconnect-ACK or CoA-ACK (any sent, with -q);
1 a reject, NAK, challenge, wrong secret or no reply; 2 a bad option.

Examples (the manual's):
  utm5_radgen -h 127.0.0.1 -p 1812 -s secret -u password -a 0:1:0:username
  utm5_radgen -h 127.0.0.1 -p 1813 -s secret -a 0:1:0:username -a 0:40:1:1 -a 0:44:0:sessionid1 -c 4
  utm5_radgen -h 127.0.0.1 -p 1813 -s secret -a 0:1:0:username -a 0:32:0:localhost -a 0:40:1:2 -a 0:44:0:sessionid1 -a 0:46:1:100 -c 4
`;

/** What one run sends: every option checked. */
interface Plan {
  kind: RequestKind;
  server: Server;
  secret: string;
  firstId: number;
  count: number;
  quick: boolean;
  attributes: RequestAttribute[];
  messageAuthenticator: boolean;
  authenticatorFile?: string;
}

/** The manual's utm5_radgen options, plus a request count, timeout and retries. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  // -u, -a and -b in the order given: commander calls an option's parser as it meets the option
  const given: [flag: string, value: string][] = [];
  const keep = (flag: string) => (v: string) => {
    given.push([flag, v]);
    return v;
  };
  const cmd = new Command(PROGRAM)
    .description(
      "Sends RADIUS requests (Access-Request, Accounting-Request ...) and prints the replies, as the UTM5 manual's utm5_radgen does.",
    )
    .helpOption('--help', 'show this help')
    .option('-v, --version', 'print the version')
    .option('-h <host>', 'RADIUS server address or name', '127.0.0.1')
    .option('-p <port>', 'UDP port (default: 1812 for -c 1 and 12, 1813 for -c 4, 3799 for -c 40 and 43)')
    .option('-s <secret>', 'shared secret (required)')
    .option('-c <code>', `request code or name: ${REQUEST_KIND_LIST}`, '1')
    .option('-i <id>', 'packet identifier 0..255; with -n each next request takes the next one', '1')
    .option(
      '-u <password>',
      'User-Password (2), hidden with the Request Authenticator (Access-Request only)',
      keep('-u'),
    )
    .option('-a <vendor_id:attr_id:is_digit:value>', 'an attribute (repeatable, see below)', keep('-a'))
    .option('-b <vendor_id:attr_id:hex>', 'an attribute given in hex (repeatable)', keep('-b'))
    .option('-q', 'quick mode: send without waiting for replies')
    .option(
      '-f <file>',
      'read the Request Authenticator from this file, 16 bytes a request (Access-Request, Status-Server; default: random, as /dev/random)',
    )
    .option('-n, --count <n>', 'send n requests, one after another', '1')
    .option('-t <seconds>', 'wait this long for a reply before sending again', '3')
    .option('-r <retries>', 'send again this many times after a timeout', '2')
    .option('--message-authenticator', 'add Message-Authenticator (80) to the request (always in Status-Server)')
    .addHelpText('after', HELP);
  const o = parseCommand(cmd, argv);
  if (typeof o === 'number') return o;
  let auth: AuthenticatorSource | undefined;
  let client: RadiusClient | undefined;
  try {
    const plan = checkedPlan(o, given);
    if (plan.authenticatorFile !== undefined && !plan.kind.randomAuthenticator) {
      process.stderr.write(
        `${PROGRAM}: warning: -f ${plan.authenticatorFile} not used: the authenticator of ${plan.kind.name} is an MD5 of the packet and the secret\n`,
      );
    }
    auth = plan.kind.randomAuthenticator ? new AuthenticatorSource(plan.authenticatorFile) : undefined;
    client = await openClient(plan.server);
    let failed = 0;
    for (let k = 0; k < plan.count; k++) {
      const id = (plan.firstId + k) % 256;
      const request = encode(plan, id, auth?.next());
      if (plan.quick) await client.send(request);
      else if (!(await exchange(client, plan, id, request))) failed++;
    }
    return failed > 0 ? EXIT.FAILURE : EXIT.OK;
  } catch (err) {
    process.stderr.write(`${PROGRAM}: ${err instanceof UsageError ? err.message : errorLine(err)}\n`);
    return err instanceof UsageError ? EXIT.USAGE : EXIT.FAILURE;
  } finally {
    auth?.close();
    client?.close();
  }
}

function checkedPlan(o: CliValues, given: readonly [string, string][]): Plan {
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const kind = requestKind(s('c')!);
  if (!kind) throw new UsageError(`-c ${s('c')}: expected a request code: ${REQUEST_KIND_LIST}`);
  const secret = s('s');
  if (secret === undefined || secret === '')
    throw new UsageError('-s: the shared secret is required (the one the server has for this client)');
  const attributes = given.map(([flag, v]) =>
    flag === '-a' ? valueAttribute(v) : flag === '-b' ? hexAttribute(v) : passwordAttribute(v),
  );
  if (given.filter(([flag]) => flag === '-u').length > 1)
    throw new UsageError('-u: given twice: a request carries one User-Password');
  if (attributes.some((a) => a.kind === 'password') && kind.code !== 1) {
    throw new UsageError(`-u: User-Password goes in Access-Request (-c 1) only, not in ${kind.name} (-c ${kind.code})`);
  }
  const messageAuthenticator = o['messageAuthenticator'] === true;
  const size =
    HEADER +
    attributes.reduce((n, a) => n + wireLength(a), 0) +
    (messageAuthenticator || kind.code === 12 ? MESSAGE_AUTHENTICATOR : 0);
  if (size > MAX_PACKET)
    throw new UsageError(`-a/-b/-u: the attributes make a ${size}-byte packet: RADIUS allows ${MAX_PACKET}`);
  const port = s('p') !== undefined ? intArg('-p', 65535, 1)(s('p')!) : kind.port;
  const seconds = s('t')!;
  if (!/^\d+(\.\d+)?$/.test(seconds) || Number(seconds) <= 0 || Number(seconds) > 600) {
    throw new UsageError(`-t ${seconds}: expected seconds, more than 0 and at most 600 (e.g. 3 or 0.5)`);
  }
  const server = {
    host: s('h')!,
    port,
    timeoutMs: Math.ceil(Number(seconds) * 1000),
    retries: intArg('-r', 100)(s('r')!),
  };
  return {
    kind,
    server,
    secret,
    attributes,
    messageAuthenticator,
    firstId: intArg('-i', 255)(s('i')!),
    count: intArg('-n', 100_000_000, 1)(s('count')!),
    quick: o['q'] === true,
    ...(s('f') !== undefined ? { authenticatorFile: s('f')! } : {}),
  };
}

async function openClient(server: Server): Promise<RadiusClient> {
  try {
    return await RadiusClient.open(server);
  } catch (err) {
    throw new UsageError(`-h ${server.host}: ${(err as Error).message}`);
  }
}

/**
 * Whether the request gets a Message-Authenticator: with --message-authenticator, and where the RFCs require one
 * (Status-Server, EAP-Message) unless -a/-b gave one of its own, which is then sent as given.
 */
function wantsMessageAuthenticator(plan: Plan): boolean {
  const given = (def: typeof MA) =>
    plan.attributes.some((a) => a.kind === 'value' && a.vendor === def.vendor && a.type === def.type);
  return (
    plan.messageAuthenticator ||
    (!given(MA) && (plan.kind.code === RADIUS_CODES['Status-Server'] || given(EAP_MESSAGE)))
  );
}

function encode(plan: Plan, id: number, authenticator: Buffer | undefined): Buffer {
  const attributes = plan.attributes.map(codecAttribute);
  const ma = wantsMessageAuthenticator(plan);
  return encodeRequest(plan.kind.code, ma ? [...attributes, MA_LAST] : attributes, plan.secret, {
    identifier: id,
    messageAuthenticator: ma,
    ...(authenticator ? { authenticator } : {}),
  });
}

/** Sends one request and waits for its reply: prints it, says on stderr what went wrong; true for a positive reply. */
async function exchange(client: RadiusClient, plan: Plan, id: number, request: Buffer): Promise<boolean> {
  const { host, port, timeoutMs } = plan.server;
  const r = await client.exchange(request, judge(plan.secret, id, request));
  if (!r.msg) {
    process.stderr.write(
      `${PROGRAM}: no reply to ${plan.kind.name} id ${id} from ${host}:${port} after ${r.tries} tries ${timeoutMs / 1000} s apart: ` +
        "is a RADIUS server listening there, and does it know this client's address?\n",
    );
    return false;
  }
  if (r.verdict === 'forged') {
    process.stderr.write(
      `${PROGRAM}: the ${REPLY_NAMES[r.msg[0]!] ?? `code ${r.msg[0]}`} reply to ${plan.kind.name} id ${id} fails the Response ` +
        `Authenticator check: -s is not the secret ${host}:${port} has for this client\n`,
    );
    return false;
  }
  process.stdout.write(`${replyLine(r.msg)}\n`);
  return plan.kind.ok.includes(r.msg[0]!);
}

/**
 * A datagram is the reply when it is a whole RADIUS packet with the request's identifier and a valid authenticator;
 * the answer to a request with a Message-Authenticator must carry a valid one too (RFC 3579 3.2).
 */
function judge(secret: string, id: number, request: Buffer): (msg: Buffer) => Verdict {
  const requireMessageAuthenticator = messageAuthenticatorOffset(request) >= 0;
  return (msg) => {
    if (msg.length < HEADER || msg[1] !== id) return 'other';
    const len = msg.readUInt16BE(2);
    if (len < HEADER || len > msg.length) return 'other';
    return verifyResponse(request, msg.subarray(0, len), secret, { requireMessageAuthenticator }) ? 'reply' : 'forged';
  };
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
