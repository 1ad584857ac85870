/** Running a command asynchronously from a test, with its output collected. */
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** The command line, for messages (`(cd <cwd> && cmd args…)`). */
  readonly command: string;
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time in milliseconds. */
  readonly ms: number;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Killed (SIGKILL) after this long. @default 600_000 */
  readonly timeoutMs?: number;
}

/**
 * Runs a command without a shell, asynchronously (the event loop keeps running, so in-process servers such as
 * the registry's log pipes and token endpoint are served meanwhile); never throws for a non-zero exit.
 */
export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
  const t0 = process.hrtime.bigint();
  const line = [cmd, ...args].map(a => (/^[\w@./:=~+-]+$/.test(a) ? a : `'${a}'`)).join(' ');
  const command = options.cwd ? `(cd ${options.cwd} && ${line})` : line;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.once('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({
        command,
        status,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Number(process.hrtime.bigint() - t0) / 1e6,
      });
    });
  });
}
