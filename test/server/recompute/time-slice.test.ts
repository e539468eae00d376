import { describe, expect, it } from 'vitest';
import { timeSlicer } from '../../../server/recompute/time-slice.ts';

describe('timeSlicer: long loops give the event loop a turn every slice', () => {
  it('resolves at once within the slice, and waits one turn once the slice has passed', async () => {
    let clock = 0;
    const pause = timeSlicer(20, () => clock);
    const turns: string[] = [];
    const turn = (label: string) => setImmediate(() => turns.push(label));

    turn('queued within the slice');
    clock = 19;
    await pause();
    expect(turns).toEqual([]); // a microtask: the immediate has not run

    clock = 20;
    await pause();
    expect(turns).toEqual(['queued within the slice']);

    // The slice starts again after the pause.
    turn('queued in the next slice');
    clock = 39;
    await pause();
    expect(turns).toEqual(['queued within the slice']);
    clock = 40;
    await pause();
    expect(turns).toEqual(['queued within the slice', 'queued in the next slice']);
  });
});
