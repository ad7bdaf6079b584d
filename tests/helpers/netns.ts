import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * A throw-away network for firewall tests: three namespaces, customer -- router -- upstream, joined by two veth
 * pairs, with forwarding on in the router. The router namespace is where utm5_rfw runs nft and tc. Names are unique
 * per run (interface names stay within 15 characters) and everything is removed by cleanup(), which never throws.
 * Reachability is a TCP handshake to a listener in the upstream namespace: ping is not installed in CI, and a
 * dropped SYN is the same proof that the router forwards or drops the customer's packets.
 */
export interface NetnsLab {
  readonly customer: string;
  readonly router: string;
  readonly upstream: string;
  /** The customer's address (its IP group in the core). */
  readonly customerIp: string;
  /** The router's address towards the customer (the customer's gateway). */
  readonly gatewayIp: string;
  /** The far address: the upstream host the customer reaches through the router. */
  readonly farIp: string;
  /**
   * The management link between this (the root) namespace and the router: the core listens on hostIp, and utm5_rfw
   * in the router namespace reaches it from routerMgmtIp (not loopback: the rfw user needs a non-default password).
   */
  readonly hostIp: string;
  readonly routerMgmtIp: string;
  /** In the router namespace: the interface towards the customer, and the upstream one. */
  readonly routerCustomerDev: string;
  readonly routerUpstreamDev: string;
  /** Runs a program inside a namespace; throws with its stderr when it fails. */
  exec(ns: string, argv: readonly string[]): string;
  /** The argv prefix that runs a program inside a namespace. */
  wrap(ns: string): string[];
  /** Whether the customer gets a TCP handshake from the far address within `ms`. */
  reachable(ms?: number): Promise<boolean>;
  cleanup(): Promise<void>;
}

const FAR_PORT = 7007;

function run(argv: readonly string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 30_000 });
  return { ok: r.status === 0, out: r.stdout ?? '', err: r.stderr || (r.error?.message ?? '') };
}

function must(argv: readonly string[]): string {
  const r = run(argv);
  if (!r.ok) throw new Error(`${argv.join(' ')} failed: ${r.err.trim()}`);
  return r.out;
}

/**
 * Why namespace tests cannot run here (not root, or `ip netns` impossible), or undefined when they can. A missing
 * nft or tc is not a reason to skip (CI installs them): createNetnsLab fails with what to install.
 */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  const probe = `u5probe${process.pid % 100000}`;
  const add = run(['ip', 'netns', 'add', probe]);
  if (!add.ok) return `ip netns is not possible here: ${add.err.trim() || 'ip failed'}`;
  run(['ip', 'netns', 'del', probe]);
  return undefined;
}

const TOOLS: Record<string, string> = { nft: 'nftables', tc: 'iproute2', ip: 'iproute2' };

export async function createNetnsLab(): Promise<NetnsLab> {
  for (const [tool, pkg] of Object.entries(TOOLS))
    if (!run(['sh', '-c', `command -v ${tool}`]).ok)
      throw new Error(`${tool} is not installed: apt-get install ${pkg} (the firewall tests need it)`);
  const id = randomBytes(3).toString('hex');
  const customer = `u5c-${id}`;
  const router = `u5r-${id}`;
  const upstream = `u5u-${id}`;
  const made: string[] = [];
  const mDev = `u5${id}m`;
  const mgmt = randomBytes(2);
  const listener: { pid?: number; kill?: () => void } = {};
  const lab: NetnsLab = {
    customer,
    router,
    upstream,
    customerIp: '10.201.1.2',
    gatewayIp: '10.201.1.1',
    farIp: '10.201.2.2',
    // In the root namespace, so unique per lab (test files run two at a time): a random /30 of 10.202.0.0/16.
    hostIp: `10.202.${mgmt[0]}.${(mgmt[1]! % 64) * 4 + 1}`,
    routerMgmtIp: `10.202.${mgmt[0]}.${(mgmt[1]! % 64) * 4 + 2}`,
    routerCustomerDev: `u5${id}rc`,
    routerUpstreamDev: `u5${id}ru`,
    exec: (ns, argv) => must(['ip', 'netns', 'exec', ns, ...argv]),
    wrap: (ns) => ['ip', 'netns', 'exec', ns],
    reachable: (ms = 1000) =>
      new Promise((resolve) => {
        const code =
          `const s=require('net').connect(${FAR_PORT},'10.201.2.2');s.setTimeout(${ms});` +
          `s.on('connect',()=>{s.destroy();process.exit(0)});s.on('timeout',()=>process.exit(1));s.on('error',()=>process.exit(2))`;
        const c = spawn('ip', ['netns', 'exec', customer, process.execPath, '-e', code], { stdio: 'ignore' });
        c.on('exit', (status) => resolve(status === 0));
        c.on('error', () => resolve(false));
      }),
    async cleanup() {
      listener.kill?.();
      // Deleting a namespace takes its interfaces (both ends of a veth) and its nft tables with it.
      for (const ns of made.reverse()) run(['ip', 'netns', 'del', ns]);
      // Gone with its peer in the router namespace already; deleted here in case that namespace never got it.
      run(['ip', 'link', 'del', mDev]);
    },
  };
  try {
    for (const ns of [customer, router, upstream]) {
      must(['ip', 'netns', 'add', ns]);
      made.push(ns);
      must(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    }
    const cDev = `u5${id}c`;
    must(['ip', 'link', 'add', mDev, 'type', 'veth', 'peer', 'name', `u5${id}rm`, 'netns', router]);
    must(['ip', 'addr', 'add', `${lab.hostIp}/30`, 'dev', mDev]);
    must(['ip', 'link', 'set', mDev, 'up']);
    must(['ip', '-n', router, 'addr', 'add', `${lab.routerMgmtIp}/30`, 'dev', `u5${id}rm`]);
    must(['ip', '-n', router, 'link', 'set', `u5${id}rm`, 'up']);
    const uDev = `u5${id}u`;
    must([
      'ip',
      'link',
      'add',
      cDev,
      'netns',
      customer,
      'type',
      'veth',
      'peer',
      'name',
      lab.routerCustomerDev,
      'netns',
      router,
    ]);
    must([
      'ip',
      'link',
      'add',
      uDev,
      'netns',
      upstream,
      'type',
      'veth',
      'peer',
      'name',
      lab.routerUpstreamDev,
      'netns',
      router,
    ]);
    must(['ip', '-n', customer, 'addr', 'add', `${lab.customerIp}/24`, 'dev', cDev]);
    must(['ip', '-n', router, 'addr', 'add', `${lab.gatewayIp}/24`, 'dev', lab.routerCustomerDev]);
    must(['ip', '-n', router, 'addr', 'add', '10.201.2.1/24', 'dev', lab.routerUpstreamDev]);
    must(['ip', '-n', upstream, 'addr', 'add', `${lab.farIp}/24`, 'dev', uDev]);
    for (const [ns, dev] of [
      [customer, cDev],
      [router, lab.routerCustomerDev],
      [router, lab.routerUpstreamDev],
      [upstream, uDev],
    ] as const)
      must(['ip', '-n', ns, 'link', 'set', dev, 'up']);
    must(['ip', '-n', customer, 'route', 'add', 'default', 'via', lab.gatewayIp]);
    must(['ip', '-n', upstream, 'route', 'add', 'default', 'via', '10.201.2.1']);
    must(['ip', 'netns', 'exec', router, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    // The far host: accepts and closes every connection.
    const srv = spawn(
      'ip',
      [
        'netns',
        'exec',
        upstream,
        process.execPath,
        '-e',
        `require('net').createServer((s)=>s.destroy()).listen(${FAR_PORT},'${lab.farIp}',()=>console.log('listening'))`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    listener.kill = () => srv.kill('SIGKILL');
    await new Promise<void>((resolve, reject) => {
      srv.stdout!.once('data', () => resolve());
      srv.once('exit', (c) => reject(new Error(`the far listener exited (${c})`)));
    });
    return lab;
  } catch (err) {
    await lab.cleanup();
    throw err;
  }
}
