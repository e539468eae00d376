import { z } from 'zod';
import { round as roundNumber } from '../../src/index.ts';

/** The model's rounding, for numbers a report may lack. */
export const round = (value: number | null, digits = 1): number | null =>
  value === null ? null : roundNumber(value, digits);

export interface LatencySummary {
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly maxMs: number | null;
}

/**
 * p50, p95 (nearest rank) and max of some latencies in ms; null when there
 * are none. One sorted typed copy, never a spread into `Math.max`: a busy
 * card-API stage collects a few hundred thousand samples, more than a call
 * can take as arguments.
 */
export function latencySummary(latencies: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const rank = (q: number): number | null =>
    sorted.length === 0
      ? null
      : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ??
        null);
  return { p50Ms: round(rank(0.5)), p95Ms: round(rank(0.95)), maxMs: round(rank(1)) };
}

export interface LatencyReport extends LatencySummary {
  readonly requests: number;
  readonly errors: number;
  readonly requestsPerSecond: number | null;
}

/** Requests that answered (their latencies) and those that failed, over some seconds. */
export function latencyReport(
  latencies: readonly number[],
  errors: number,
  seconds: number,
): LatencyReport {
  const requests = latencies.length + errors;
  return {
    requests,
    errors,
    requestsPerSecond: round(requests / seconds),
    ...latencySummary(latencies),
  };
}

/** The worker's passes over changed companies in a stage: how long each took and how much it did. */
export interface PassSummary extends LatencySummary {
  readonly passes: number;
  /** Changed companies per pass, on average. */
  readonly companiesPerPass: number | null;
  /** Accounts rescored per pass (the changed ones and those whose rank moved), on average. */
  readonly rescoredPerPass: number | null;
  /** Passes that re-ranked the whole portfolio (the others wrote their changed companies only). */
  readonly reRankedPasses: number;
  /** The median of each phase of a pass (`PassPhases`), in ms; null when none logged them. */
  readonly phasesP50: Readonly<Record<PassPhase, number | null>> | null;
  /** The longest passes, longest first: what a p95 of the changes waited behind. */
  readonly slowest: readonly SlowPass[];
}

/** One long pass as its worker logged it. */
export interface SlowPass {
  readonly durationMs: number;
  readonly companies: number;
  readonly reRanked: boolean;
  /** When its changed companies were written (ms into the pass); null if not logged. */
  readonly changedWrittenMs: number | null;
  /** The collector's pauses inside it, in ms, and how many were major; null if not logged. */
  readonly gcMs: number | null;
  readonly majorGcs: number | null;
}

/** Passes `slowest` lists. */
const SLOWEST_PASSES = 3;

/** The phases a pass logs (company-recompute's `PassPhases`), in the order they run. */
const passPhases = z.object({
  readMs: z.number(),
  changedWrittenMs: z.number(),
  rankMs: z.number(),
  rescoreMs: z.number(),
  neighboursWriteMs: z.number(),
  storeMs: z.number(),
});
type PassPhase = keyof z.infer<typeof passPhases>;

/**
 * Reads the passes a worker logged (pino's JSON lines, `changed companies
 * recomputed`) at or after `sinceMs`, of one portal when `portalId` is
 * given; other lines are skipped.
 */
export function passSummary(
  logs: readonly string[],
  sinceMs: number,
  portalId?: number,
): PassSummary {
  const passes: NonNullable<ReturnType<typeof parseLine>>[] = [];
  for (const line of logs.flatMap((log) => log.split('\n'))) {
    if (!line.includes('"changed companies recomputed"')) continue;
    const entry = parseLine(line);
    if (entry === null || entry.time < sinceMs) continue;
    if (portalId !== undefined && entry.portalId !== portalId) continue;
    passes.push(entry);
  }
  const mean = (pick: (pass: (typeof passes)[number]) => number): number | null =>
    passes.length === 0 ? null : round(passes.reduce((sum, p) => sum + pick(p), 0) / passes.length);
  const timed = passes.flatMap((pass) => (pass.phases === undefined ? [] : [pass.phases]));
  const p50 = (phase: PassPhase): number | null =>
    latencySummary(timed.map((phases) => phases[phase])).p50Ms;
  return {
    passes: passes.length,
    companiesPerPass: mean((pass) => pass.companies),
    rescoredPerPass: mean((pass) => pass.rescored),
    reRankedPasses: passes.filter((pass) => pass.reRanked !== false).length,
    ...latencySummary(passes.map((pass) => pass.durationMs)),
    phasesP50:
      timed.length === 0
        ? null
        : {
            readMs: p50('readMs'),
            changedWrittenMs: p50('changedWrittenMs'),
            rankMs: p50('rankMs'),
            rescoreMs: p50('rescoreMs'),
            neighboursWriteMs: p50('neighboursWriteMs'),
            storeMs: p50('storeMs'),
          },
    slowest: passes
      .toSorted((a, b) => b.durationMs - a.durationMs)
      .slice(0, SLOWEST_PASSES)
      .map((pass) => ({
        durationMs: pass.durationMs,
        companies: pass.companies,
        reRanked: pass.reRanked !== false,
        changedWrittenMs: pass.phases?.changedWrittenMs ?? null,
        gcMs: pass.gcMs ?? null,
        majorGcs: pass.majorGcs ?? null,
      })),
  };
}

/** The numbers of a logged pass; other fields of the line are ignored. */
const passLine = z.object({
  time: z.number(),
  portalId: z.number(),
  durationMs: z.number(),
  companies: z.number(),
  rescored: z.number(),
  /** Logged since passes may leave the re-rank to a later one; before, every pass re-ranked. */
  reRanked: z.boolean().optional(),
  /** Logged since the worker profiles the collector during a pass. */
  gcMs: z.number().optional(),
  majorGcs: z.number().optional(),
});

function parseLine(
  line: string,
): (z.infer<typeof passLine> & { phases?: z.infer<typeof passPhases> }) | null {
  try {
    const json: unknown = JSON.parse(line);
    const parsed = passLine.safeParse(json);
    if (!parsed.success) return null;
    const phases = passPhases.safeParse(json);
    return phases.success ? { ...parsed.data, phases: phases.data } : parsed.data;
  } catch {
    return null;
  }
}
