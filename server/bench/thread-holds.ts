import { performance } from 'node:perf_hooks';

/** One time this process's thread was held: when it began (epoch ms) and for how long. */
export interface ThreadHold {
  readonly at: number;
  readonly ms: number;
}

/**
 * Records each time this process's thread is held for `thresholdMs` or
 * more, by a timer that should fire every `everyMs`: a late tick is a hold.
 * The bench process hosts the sandbox and the app's webhook receiver, so
 * its own collector pauses and long requests delay what a stage times.
 */
export function watchThreadHolds(
  thresholdMs = 200,
  everyMs = 10,
  now: () => number = () => performance.now(),
  wallClock: () => number = () => Date.now(),
): { stop(): ThreadHold[] } {
  const holds: ThreadHold[] = [];
  let last = now();
  const timer = setInterval(() => {
    const current = now();
    const late = current - last - everyMs;
    if (late >= thresholdMs) holds.push({ at: wallClock() - late, ms: Math.round(late) });
    last = current;
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return holds;
    },
  };
}
