import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KamOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real `kam` binary as a user would, with Node 24 from
 * node_modules; `env` adds to the environment (colour off unless it says).
 */
export async function runKam(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<KamOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['server/cli/kam.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
