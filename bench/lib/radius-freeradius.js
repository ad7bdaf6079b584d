'use strict';
// The peer for bench/radius.js: FreeRADIUS from Debian's freeradius package, set up as ../../shared/BENCH.md says:
// the `files` module holding the bench's users with Cleartext-Password, `pap`, a client for 127.0.0.1 with the
// bench's secret, thread pool 2/2, auth log off, run in the foreground (`freeradius -f -d DIR`) on free loopback ports.
//
// DIR is a temp copy of /etc/freeradius/3.0 with:
//  - radiusd.conf: raddbdir/logdir/run_dir in DIR, no user/group switch (the temp dir is the bench's), thread pool
//    start_servers = max_servers = 2 (spare 1..2), max_requests raised (see below), auth/auth_badpass/auth_goodpass no;
//  - clients.conf: only `client bench { ipaddr = 127.0.0.1, secret = ... }`;
//  - sites-enabled: only `bench` (listen auth + acct on 127.0.0.1; authorize { files; pap }, authenticate PAP,
//    accounting { detail } writing in DIR/log/radacct), the Debian `default` and `inner-tunnel` sites removed, and
//    mods-enabled/eap with them (it needs the inner-tunnel server and certificates);
//  - mods-config/files/authorize: the users, each with the reply our server gives a dial-up user (Service-Type,
//    Framed-Protocol, Framed-Routing, Session-Timeout).
// max_requests: Debian's 16384 counts requests kept for duplicate detection for cleanup_delay (5 s) after they are
// answered, so above ~3k req/s FreeRADIUS would drop requests only for that bookkeeping ("too many requests");
// it is raised to 1,048,576 so the peer is limited by its work, not by a table size (ours keeps 30 s of requests).
//
// startFreeradius({ users, secret }) -> { name, authPort, acctPort, pid, version, dir, stop(), output(), complaints() }
const { execFileSync } = require('node:child_process');
const {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  readdirSync,
  unlinkSync,
  mkdirSync,
} = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startProc, freeUdpPort, waitUdpBound, sleep, tail, aptEnsure } = require('./procs');

const SRC = '/etc/freeradius/3.0';

function freeradiusVersion() {
  try {
    const out = execFileSync('freeradius', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return (out.match(/FreeRADIUS Version ([\d.]+)/) || [])[1] ?? out.split('\n')[0];
  } catch {
    return undefined;
  }
}

function ensureFreeradius() {
  return aptEnsure('freeradius', freeradiusVersion);
}

/** Sets `name = value` on every active line of `name` (tabs or spaces before it). */
function setKey(text, name, value) {
  const re = new RegExp(`^(\\s*)${name}\\s*=.*$`, 'gm');
  if (!re.test(text)) throw new Error(`radiusd.conf has no "${name} =" line`);
  return text.replace(re, `$1${name} = ${value}`);
}

function usersFile(users) {
  return users
    .map(
      (u) =>
        `${u.login}\tCleartext-Password := "${u.password}"\n` +
        '\tService-Type = Framed-User,\n\tFramed-Protocol = PPP,\n\tFramed-Routing = None,\n\tSession-Timeout = 86400\n',
    )
    .join('\n');
}

function site(authPort, acctPort) {
  return `# UTM5-TS bench: files + pap, detail accounting
server bench {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = ${authPort}
	}
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = ${acctPort}
	}
	authorize {
		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
	}
	preacct {
	}
	accounting {
		detail
	}
	post-auth {
	}
}
`;
}

async function startFreeradius({ users, secret }) {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-bench-freeradius-'));
  let proc;
  const stop = async () => {
    try {
      if (proc) await proc.stop(10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const raddb = join(dir, 'raddb');
    cpSync(SRC, raddb, { recursive: true, verbatimSymlinks: true });
    for (const d of ['log', 'log/radacct', 'run']) mkdirSync(join(dir, d), { recursive: true });
    let conf = readFileSync(join(raddb, 'radiusd.conf'), 'utf8');
    conf = setKey(conf, 'raddbdir', raddb);
    conf = setKey(conf, 'logdir', join(dir, 'log'));
    conf = setKey(conf, 'run_dir', join(dir, 'run'));
    conf = conf.replace(/^(\s*)(user|group)\s*=.*$/gm, '$1# $2 (bench: not switched)');
    conf = setKey(conf, 'start_servers', 2);
    conf = setKey(conf, 'max_servers', 2);
    conf = setKey(conf, 'min_spare_servers', 1);
    conf = setKey(conf, 'max_spare_servers', 2);
    conf = setKey(conf, 'max_requests', 1_048_576);
    for (const k of ['auth', 'auth_badpass', 'auth_goodpass']) conf = setKey(conf, k, 'no');
    writeFileSync(join(raddb, 'radiusd.conf'), conf);
    writeFileSync(
      join(raddb, 'clients.conf'),
      `client bench {\n\tipaddr = 127.0.0.1\n\tsecret = ${secret}\n\trequire_message_authenticator = no\n}\n`,
    );
    for (const f of readdirSync(join(raddb, 'sites-enabled'))) unlinkSync(join(raddb, 'sites-enabled', f));
    try {
      unlinkSync(join(raddb, 'mods-enabled', 'eap'));
    } catch {
      /* not there */
    }
    writeFileSync(join(raddb, 'mods-config', 'files', 'authorize'), usersFile(users));

    const authPort = await freeUdpPort();
    let acctPort = await freeUdpPort();
    while (acctPort === authPort) acctPort = await freeUdpPort();
    writeFileSync(join(raddb, 'sites-enabled', 'bench'), site(authPort, acctPort));

    // -f: foreground; -l stdout: its log on our pipe (errors and warnings only, auth log off).
    proc = startProc('freeradius', 'freeradius', ['-f', '-l', 'stdout', '-d', raddb]);
    await waitUdpBound(authPort, proc, 30_000);
    await waitUdpBound(acctPort, proc, 30_000);
    await proc.waitForOutput(/Ready to process requests/, 30_000);
    await sleep(200);
    return {
      name: 'FreeRADIUS',
      authPort,
      acctPort,
      dir,
      version: freeradiusVersion(),
      get pid() {
        return proc.pid;
      },
      alive: () => proc.alive(),
      output: () => proc.output(),
      /** Error and warning lines it logged (-l stdout: they come on our pipe). */
      complaints: () =>
        proc
          .output()
          .split('\n')
          .filter((l) => /: (Error|ERROR|Warn|WARN|Warning)\b|Dropping|too many|Discarding|conflicting/i.test(l)),
      tail: () => tail(proc.output()),
      stop,
    };
  } catch (e) {
    const out = proc ? tail(proc.output()) : '';
    await stop();
    throw new Error(`${e.message}${out && !e.message.includes(out) ? `; output: ${out}` : ''}`);
  }
}

module.exports = { startFreeradius, ensureFreeradius, freeradiusVersion };
