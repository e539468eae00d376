import { describe, expect, it } from 'vitest';
import { createFullAdmission } from '../../../server/jobs/full-admission.ts';

describe('the budget of large portals a process reads at once', () => {
  it('admits large portals while their companies fit, and again as runs end', () => {
    const admission = createFullAdmission(25_000);
    expect(admission.tryEnter(10_000)).toBe(true);
    expect(admission.tryEnter(10_000)).toBe(true);
    expect(admission.tryEnter(10_000)).toBe(false);
    admission.leave(10_000);
    expect(admission.tryEnter(10_000)).toBe(true);
  });

  it('always admits a portal of a tenth of the budget or less, without counting it', () => {
    const admission = createFullAdmission(25_000);
    expect(admission.tryEnter(20_000)).toBe(true);
    expect(admission.tryEnter(2_500)).toBe(true);
    expect(admission.tryEnter(0)).toBe(true); // size unknown: first install
    expect(admission.tryEnter(5_000)).toBe(true);
    expect(admission.tryEnter(2_501)).toBe(false);
  });

  it('admits a portal larger than the budget when no large run is under way, alone', () => {
    const admission = createFullAdmission(25_000);
    expect(admission.tryEnter(100_000)).toBe(true);
    expect(admission.tryEnter(10_000)).toBe(false);
    expect(admission.tryEnter(200)).toBe(true);
    admission.leave(100_000);
    expect(admission.tryEnter(10_000)).toBe(true);
  });
});
