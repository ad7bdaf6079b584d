import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorLine, nullLogger, type Logger } from '@utm5/common';
import { PdfConversionError } from './errors';

/**
 * ONE long-lived headless LibreOffice for every PDF, driven over a UNO pipe by carbone's own converter.py (a
 * Python loop that loads a file and stores it as PDF on each JSON line). A start of soffice costs seconds; a
 * conversion through the running one costs tens of milliseconds. Conversions are queued one at a time (one office
 * process serves one document at a time anyway). When soffice or the Python bridge dies, the job in flight fails
 * with a typed error and the next job starts a fresh pair.
 */
export interface OfficeConverterOptions {
  readonly libreofficePath: string;
  readonly tmpPath: string;
  readonly log?: Logger;
  /** A conversion that takes longer than this kills the office, which restarts for the next job. */
  readonly timeoutMs?: number;
}

interface Job {
  readonly odt: Buffer;
  readonly resolve: (pdf: Buffer) => void;
  readonly reject: (err: Error) => void;
}

interface Office {
  soffice: ChildProcess;
  readonly bridge: ChildProcess;
  readonly pipeName: string;
  readonly profileDir: string;
  ready: Promise<void>;
  /** The answer awaited from the bridge: '204' once at start, then '200'/'400'/'401' per file. */
  waiter: ((code: string | Error) => void) | null;
  dead: boolean;
}

const CONVERTER_PY = require.resolve('carbone/lib/converter.py');
const START_TIMEOUT_MS = 90_000;

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** true when `p` names an executable file (libreoffice_path checked once at startup). */
export function officeAvailable(p: string | undefined): p is string {
  return !!p && existsSync(p) && isExecutable(p);
}

/**
 * soffice is a shell wrapper that forks soffice.bin; starting soffice.bin itself leaves one process whose PID we
 * hold and can end. The Python must have the uno module: LibreOffice's own, else Debian's python3-uno one.
 */
function resolveBinaries(libreofficePath: string): { soffice: string; python: string } {
  const real = realpathSync(libreofficePath);
  const dir = path.dirname(real);
  const bin = path.join(dir, 'soffice.bin');
  const soffice = path.basename(real) === 'soffice' && isExecutable(bin) ? bin : real;
  const candidates = [path.join(dir, 'python3'), path.join(dir, 'python'), '/usr/bin/python3'];
  const python = candidates.find((c) => existsSync(c) && isExecutable(c)) ?? 'python3';
  return { soffice, python };
}

export class OfficeConverter {
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private office: Office | null = null;
  private readonly queue: Job[] = [];
  private busy = false;
  private closed = false;
  private seq = 0;
  /** How many times an office was started (1 in a healthy run; tests read it to see a restart). */
  starts = 0;

  constructor(private readonly opts: OfficeConverterOptions) {
    this.log = opts.log ?? nullLogger;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** PIDs of the running office and bridge, for tests and the log. */
  get pids(): { soffice?: number; bridge?: number } {
    return { soffice: this.office?.soffice.pid, bridge: this.office?.bridge.pid };
  }

  convert(odt: Buffer): Promise<Buffer> {
    if (this.closed) return Promise.reject(new PdfConversionError('the converter is closed'));
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ odt, resolve, reject });
      void this.pump();
    });
  }

  /** Starts the office now rather than on the first document (a daemon does it at startup). */
  async warmUp(): Promise<void> {
    await this.ensureOffice().ready;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new PdfConversionError('the converter is closed'));
    const o = this.office;
    this.office = null;
    if (o) await this.stop(o);
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        try {
          job.resolve(await this.convertOne(job.odt));
        } catch (e) {
          job.reject(e instanceof PdfConversionError ? e : new PdfConversionError(errorLine(e), { cause: e }));
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private async convertOne(odt: Buffer): Promise<Buffer> {
    const o = this.ensureOffice();
    await o.ready;
    const base = path.join(
      this.opts.tmpPath,
      `utm5-doc-${process.pid}-${++this.seq}-${randomBytes(4).toString('hex')}`,
    );
    const input = `${base}.odt`;
    const output = `${base}.pdf`;
    await writeFile(input, odt);
    try {
      const code = await this.ask(
        o,
        JSON.stringify({ format: 'writer_pdf_Export', inputFile: input, outputFile: output, formatOptions: '' }) + '\n',
      );
      if (code === '400') throw new PdfConversionError('LibreOffice cannot open the rendered document');
      if (code !== '200') throw new PdfConversionError(`LibreOffice answered ${code} when storing the PDF`);
      return await readFile(output);
    } finally {
      await rm(input, { force: true });
      await rm(output, { force: true });
    }
  }

  private ask(o: Office, line: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        o.waiter = null;
        reject(new PdfConversionError(`no answer from LibreOffice in ${this.timeoutMs} ms; restarting it`));
        void this.kill(o);
      }, this.timeoutMs);
      o.waiter = (code) => {
        clearTimeout(timer);
        o.waiter = null;
        if (code instanceof Error) reject(code);
        else resolve(code);
      };
      o.bridge.stdin!.write(line);
    });
  }

  private ensureOffice(): Office {
    if (this.office && !this.office.dead) return this.office;
    if (this.closed) throw new PdfConversionError('the converter is closed');
    const { soffice, python } = resolveBinaries(this.opts.libreofficePath);
    const pipeName = `utm5_doc_${process.pid}_${randomBytes(6).toString('hex')}`;
    const profileDir = path.join(this.opts.tmpPath, `${pipeName}_profile`);
    const officeArgs = [
      '--headless',
      '--invisible',
      '--nocrashreport',
      '--nodefault',
      '--nologo',
      '--nofirststartwizard',
      '--norestore',
      '--nolockcheck',
      `--accept=pipe,name=${pipeName};urp;StarOffice.ComponentContext`,
      `-env:UserInstallation=file://${profileDir}`,
    ];
    this.starts++;
    const sofficeProc = spawn(soffice, officeArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    const bridge = spawn(python, [CONVERTER_PY, '--pipe', pipeName], { stdio: ['pipe', 'pipe', 'pipe'] });
    const o: Office = {
      soffice: sofficeProc,
      bridge,
      pipeName,
      profileDir,
      ready: Promise.resolve(),
      waiter: null,
      dead: false,
    };
    this.office = o;
    this.log.info(`LibreOffice converter started (soffice pid ${sofficeProc.pid}, bridge pid ${bridge.pid})`);
    let stderr = '';
    const keepErr = (d: Buffer): void => {
      stderr = (stderr + d.toString()).slice(-400);
    };
    bridge.stderr!.on('data', keepErr);
    let pending = '';
    bridge.stdout!.on('data', (d: Buffer) => {
      pending += d.toString();
      while (pending.length >= 3) {
        const code = pending.slice(0, 3);
        pending = pending.slice(3);
        o.waiter?.(code);
      }
    });
    const onDeath = (who: string) => (code: number | null, signal: string | null) => {
      if (o.dead) return;
      o.dead = true;
      const why = `${who} exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`;
      const hint = /No module named 'uno'/.test(stderr) ? ' (install python3-uno: apt-get install python3-uno)' : '';
      this.log.warn(`LibreOffice converter: ${why}${hint}; it restarts on the next document`);
      o.waiter?.(new PdfConversionError(why + hint));
      void this.kill(o);
    };
    // A fresh profile makes soffice exit with 81 ("restart required") once; the bridge keeps trying to connect.
    const watchOffice = (proc: ChildProcess, restartsLeft: number): void => {
      proc.stderr!.on('data', keepErr);
      proc.on('exit', (code, signal) => {
        if (code === 81 && restartsLeft > 0 && !o.dead && !this.closed) {
          o.soffice = spawn(soffice, officeArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
          watchOffice(o.soffice, restartsLeft - 1);
          return;
        }
        onDeath('soffice')(code, signal);
      });
      proc.on('error', (e) => onDeath(`soffice (${e.message})`)(null, null));
    };
    watchOffice(sofficeProc, 2);
    bridge.on('exit', onDeath('the UNO bridge'));
    bridge.on('error', (e) => onDeath(`${python} (${e.message})`)(null, null));
    o.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        o.waiter = null;
        reject(new PdfConversionError(`LibreOffice did not start in ${START_TIMEOUT_MS / 1000} s`));
        void this.kill(o);
      }, START_TIMEOUT_MS);
      o.waiter = (code) => {
        clearTimeout(timer);
        o.waiter = null;
        if (code === '204') resolve();
        else reject(code instanceof Error ? code : new PdfConversionError(`the UNO bridge said ${code} at start`));
      };
    });
    // A start that fails is reported to the job awaiting it; nobody else awaits `ready`.
    o.ready.catch(() => undefined);
    void mkdir(profileDir, { recursive: true }).catch(() => undefined);
    return o;
  }

  private async kill(o: Office): Promise<void> {
    o.dead = true;
    if (this.office === o) this.office = null;
    await this.stop(o);
  }

  private async stop(o: Office): Promise<void> {
    const exited = (p: ChildProcess): Promise<void> =>
      p.exitCode !== null || p.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((r) => {
            p.once('exit', () => r());
            setTimeout(r, 5_000).unref();
          });
    o.bridge.stdin?.end();
    for (const p of [o.bridge, o.soffice]) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    await Promise.all([exited(o.bridge), exited(o.soffice)]);
    await rm(o.profileDir, { recursive: true, force: true });
  }
}
