import type { ChildProcess } from 'node:child_process';

/**
 * Ends `child` when this process exits (`process.exit`, the end of the event
 * loop, a signal handler that exits), so a benchmark or demo stopped halfway
 * leaves no worker, API or redis-server behind. A child that ended first
 * takes its hook with it.
 */
export function endWithParent(child: ChildProcess): void {
  const end = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('exit', end);
  child.once('exit', () => process.off('exit', end));
}
