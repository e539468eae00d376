import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * How long a large portal's full recompute runs on the worker's thread
 * before it lets the other jobs' callbacks run. A small portal's pass
 * waits on this thread for each Redis reply and HubSpot answer, a few dozen
 * one after another, so each can cost up to a slice: at `--huge --scale
 * 0.2` the slowest such pass took 1,185 ms with 20 ms slices and 427 ms
 * with 5, the full recompute's own time unchanged (a turn of the loop
 * costs microseconds).
 */
export const SLICE_MS = 5;

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
