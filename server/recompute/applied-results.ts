import type { ChainableCommander } from 'ioredis';

/**
 * Each command's reply of a pipeline or transaction. A refused command, or
 * an aborted transaction, fails the caller: ioredis hands errors back in
 * the replies instead of throwing them.
 */
export function appliedResults(
  results: Awaited<ReturnType<ChainableCommander['exec']>>,
  what: string,
): unknown[] {
  if (results === null) throw new Error(`${what} was not applied`);
  return results.map(([error, value]) => {
    if (error !== null) throw error;
    return value;
  });
}
