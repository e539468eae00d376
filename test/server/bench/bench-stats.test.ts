import { describe, expect, it } from 'vitest';
import { latencyReport, latencySummary } from '../../../server/bench/bench-stats.ts';

describe('latencyReport', () => {
  it('reports a million samples (a busy card-API stage) without overflowing the stack', () => {
    // 1..1,000,000 ms in a scrambled order: the percentiles are known exactly.
    const latencies = Array.from(
      { length: 1_000_000 },
      (_, index) => ((index * 7_919) % 1_000_000) + 1,
    );
    expect(latencyReport(latencies, 5, 20)).toEqual({
      requests: 1_000_005,
      errors: 5,
      requestsPerSecond: 50_000.3,
      p50Ms: 500_000,
      p95Ms: 950_000,
      maxMs: 1_000_000,
    });
  });

  it('has no latencies to report when every request failed', () => {
    expect(latencyReport([], 3, 2)).toEqual({
      requests: 3,
      errors: 3,
      requestsPerSecond: 1.5,
      p50Ms: null,
      p95Ms: null,
      maxMs: null,
    });
  });
});

describe('latencySummary', () => {
  it.each([
    { latencies: [12.34], p50Ms: 12.3, p95Ms: 12.3, maxMs: 12.3 },
    { latencies: [30, 10, 20], p50Ms: 20, p95Ms: 30, maxMs: 30 },
    { latencies: [5, 1, 4, 2, 3, 6, 7, 8, 9, 10], p50Ms: 5, p95Ms: 10, maxMs: 10 },
  ])('nearest rank of $latencies', ({ latencies, ...expected }) => {
    expect(latencySummary(latencies)).toEqual(expected);
  });
});
