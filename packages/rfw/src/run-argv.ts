import { spawn } from 'node:child_process';

export interface RunOutcome {
  /** The exit code, or -1 when the program could not start, was killed, or timed out. */
  readonly exitCode: number;
  /** The last 1,000 characters of stderr, or why it could not run. */
  readonly stderr: string;
}

const STDERR_MAX = 1000;

/**
 * Runs a program with an argument vector and no shell: each element reaches the program as one argument, whatever
 * characters it holds. stdout is discarded (a firewall's chatter is not the billing's business); stderr is kept for
 * the log and the reply. Never rejects.
 */
export function runArgv(file: string, args: readonly string[], timeoutMs: number): Promise<RunOutcome> {
  return new Promise((resolve) => {
    let stderr = '';
    let settled = false;
    let timedOut = false;
    const finish = (o: RunOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    let child;
    try {
      child = spawn(file, args, { shell: false, stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    } catch (err) {
      resolve({ exitCode: -1, stderr: `cannot run ${file}: ${(err as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => {
      stderr = (stderr + c).slice(-STDERR_MAX);
    });
    child.on('error', (err) => finish({ exitCode: -1, stderr: `cannot run ${file}: ${err.message}` }));
    child.on('close', (code, signal) => {
      if (timedOut)
        finish({
          exitCode: -1,
          stderr: `${stderr}${stderr ? '; ' : ''}killed after ${timeoutMs} ms`.slice(-STDERR_MAX),
        });
      else if (code === null)
        finish({ exitCode: -1, stderr: `${stderr}${stderr ? '; ' : ''}killed by ${signal}`.slice(-STDERR_MAX) });
      else finish({ exitCode: code, stderr });
    });
  });
}
