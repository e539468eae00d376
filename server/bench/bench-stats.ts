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
