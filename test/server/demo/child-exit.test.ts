import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD_EXIT = fileURLToPath(new URL('../../../server/demo/child-exit.ts', import.meta.url));

/** Running: not gone and not a zombie (an orphan's parent here may never reap it). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
};

describe('endWithParent', () => {
  it('ends a spawned process when its parent exits, as a stopped benchmark does', async () => {
    const script = `
      import { spawn } from 'node:child_process';
      import { endWithParent } from ${JSON.stringify(CHILD_EXIT)};
      const kept = spawn('sleep', ['60'], { stdio: 'ignore' });
      const left = spawn('sleep', ['60'], { stdio: 'ignore' });
      endWithParent(kept);
      console.log(JSON.stringify([kept.pid, left.pid]));
      setTimeout(() => process.exit(130), 100);`;
    let output = '';
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? '');
    }
    const [kept, left] = JSON.parse(output) as [number, number];
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive(kept)).toBe(false);
    // Without the hook a child outlives its parent: what the bench used to leave behind.
    expect(alive(left)).toBe(true);
    process.kill(left);
  });
});
