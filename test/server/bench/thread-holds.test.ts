import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchThreadHolds } from '../../../server/bench/thread-holds.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('watchThreadHolds', () => {
  it('records a tick that came late by the threshold or more, with when the hold began', () => {
    vi.useFakeTimers();
    let clock = 0;
    const watch = watchThreadHolds(
      200,
      10,
      () => clock,
      () => 1_000_000 + clock,
    );
    // On time, then 150 ms late (under the threshold), then 300 ms late: the tick due at 190 came at 490.
    for (const late of [0, 150, 0, 300, 0]) {
      clock += 10 + late;
      vi.advanceTimersByTime(10);
    }
    expect(watch.stop()).toEqual([{ at: 1_000_000 + 190, ms: 300 }]);
  });
});
