import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { endWithParent } from './child-exit.ts';

const KAM_CLI = fileURLToPath(new URL('../cli/kam.ts', import.meta.url));

/** `kam worker` or `kam api` as its own OS process, configured by the app's environment variables. */
export interface KamProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** What it wrote to stdout and stderr (its logs), for an error message. */
  output(): string;
  /** The process's peak resident memory so far (VmHWM), in MB; null off Linux. */
  peakRssMb(): Promise<number | null>;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<string>;
  /** SIGTERM (a graceful shutdown) and wait for the exit. */
  stop(): Promise<string>;
}

export function startKamProcess(
  role: 'worker' | 'api',
  env: Readonly<Record<string, string>>,
): KamProcess {
  const child = spawn(process.execPath, [KAM_CLI, role], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? String(code)));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`kam ${role} did not start`);
  endWithParent(child);
  return {
    pid,
    child,
    exited,
    output: () => output,
    async peakRssMb() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
      const kilobytes = status?.match(/^VmHWM:\s+(\d+) kB$/m)?.[1];
      return kilobytes === undefined ? null : Math.round(Number(kilobytes) / 1024);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
