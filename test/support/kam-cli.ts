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
 * node_modules; `env` adds variables to the environment (undefined removes one).
 */
export async function kamWithEnv(
  env: Readonly<Record<string, string | undefined>>,
  ...args: string[]
): Promise<KamOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['server/cli/kam.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as KamOutcome;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** `kam` in this process's environment. */
export const kam = (...args: string[]): Promise<KamOutcome> => kamWithEnv({}, ...args);
