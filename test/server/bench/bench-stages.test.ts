import { describe, expect, it } from 'vitest';
import { createStageRunner, stageFailed } from '../../../server/bench/bench-stages.ts';

describe('benchmark stages', () => {
  it("writes each stage's numbers as it ends, and a failing stage loses neither those before nor those after", async () => {
    const lines: string[] = [];
    const stages = createStageRunner((line) => lines.push(line));

    const full = await stages.run('fullRecompute', () => Promise.resolve({ wallSeconds: 110.8 }));
    expect(lines).toEqual(['stage fullRecompute: {"wallSeconds":110.8}']);

    const card = await stages.run('cardApi', () =>
      Promise.reject(new RangeError('Maximum call stack size exceeded')),
    );
    const fairness = await stages.run('fairness', () => Promise.resolve({ portals: [] }));

    expect(full).toEqual({ wallSeconds: 110.8 });
    expect(card).toEqual({ error: 'Maximum call stack size exceeded' });
    expect(stageFailed(card)).toBe(true);
    expect(stageFailed(fairness)).toBe(false);
    expect(stages.failures).toBe(1);
    expect(lines[1]).toMatch(
      /^stage cardApi failed: RangeError: Maximum call stack size exceeded\n\s+at /,
    );
    expect(lines[2]).toBe('stage fairness: {"portals":[]}');
  });
});
