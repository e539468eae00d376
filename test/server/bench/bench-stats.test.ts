import { describe, expect, it } from 'vitest';
import { latencyReport, latencySummary, passSummary } from '../../../server/bench/bench-stats.ts';

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

describe('passSummary', () => {
  it("reads the workers' logged passes since the stage began, skipping other lines", () => {
    const pass = (
      time: number,
      durationMs: number,
      companies: number,
      rescored: number,
      rankMs?: number,
    ) =>
      JSON.stringify({
        level: 30,
        time,
        portalId: 1,
        companies,
        rescored,
        durationMs,
        ...(rankMs === undefined
          ? {}
          : {
              readMs: 10,
              changedWrittenMs: 20,
              rankMs,
              rescoreMs: 5,
              neighboursWriteMs: 0,
              storeMs: 7,
              gcMs: rankMs === 60 ? 30 : 0,
              majorGcs: rankMs === 60 ? 1 : 0,
            }),
        msg: 'changed companies recomputed',
      });
    const one = [
      pass(900, 5_000, 9, 9),
      pass(1_000, 120, 2, 10, 60),
      'not json "changed companies recomputed"',
    ].join('\n');
    const two = [
      JSON.stringify({ time: 1_100, msg: 'full recompute done' }),
      pass(1_200, 80, 4, 30, 40),
      // Wrote its changed companies and left the re-rank to the next pass.
      JSON.stringify({ ...(JSON.parse(pass(1_300, 90, 3, 20)) as object), reRanked: false }),
    ].join('\n');
    expect(passSummary([one, two], 1_000)).toEqual({
      passes: 3,
      companiesPerPass: 3,
      rescoredPerPass: 20,
      reRankedPasses: 2,
      p50Ms: 90,
      p95Ms: 120,
      maxMs: 120,
      // Of the passes that logged their phases (an older worker's did not).
      phasesP50: {
        readMs: 10,
        changedWrittenMs: 20,
        rankMs: 40,
        rescoreMs: 5,
        neighboursWriteMs: 0,
        storeMs: 7,
      },
      slowest: [
        {
          durationMs: 120,
          companies: 2,
          reRanked: true,
          changedWrittenMs: 20,
          gcMs: 30,
          majorGcs: 1,
        },
        {
          durationMs: 90,
          companies: 3,
          reRanked: false,
          changedWrittenMs: null,
          gcMs: null,
          majorGcs: null,
        },
        {
          durationMs: 80,
          companies: 4,
          reRanked: true,
          changedWrittenMs: 20,
          gcMs: 0,
          majorGcs: 0,
        },
      ],
    });
    expect(passSummary([], 0)).toMatchObject({
      passes: 0,
      companiesPerPass: null,
      p95Ms: null,
      phasesP50: null,
      slowest: [],
    });
  });

  it("keeps one portal's passes when asked (a stage's other portal is busy with a full recompute)", () => {
    const pass = (portalId: number, durationMs: number) =>
      JSON.stringify({
        time: 2_000,
        portalId,
        companies: 1,
        rescored: 1,
        durationMs,
        msg: 'changed companies recomputed',
      });
    const log = [pass(7, 30), pass(8, 900), pass(7, 50)].join('\n');
    expect(passSummary([log], 0, 7)).toMatchObject({ passes: 2, maxMs: 50 });
    expect(passSummary([log], 0, 8)).toMatchObject({ passes: 1, maxMs: 900 });
    expect(passSummary([log], 0)).toMatchObject({ passes: 3, maxMs: 900 });
  });
});
