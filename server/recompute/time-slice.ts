import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * How long a large portal's full recompute runs on the worker's thread
 * before it lets the other jobs' callbacks run (a small portal's pass
 * waits on this thread for each HubSpot answer it reads).
 */
export const SLICE_MS = 20;

/**
 * A pause for long loops: awaited after each item, it resolves at once
 * until `sliceMs` have passed since the last pause, then waits one turn of
 * the event loop, so the I/O callbacks that queued meanwhile run.
 */
export function timeSlicer(
  sliceMs = SLICE_MS,
  now: () => number = () => performance.now(),
): () => Promise<void> {
  let sliceStarted = now();
  return async () => {
    if (now() - sliceStarted < sliceMs) return;
    await nextTurn();
    sliceStarted = now();
  };
}
