import { describe, expect, it } from 'vitest';
import { setRecent } from '../../server/recent-map.ts';

describe('setRecent', () => {
  it('keeps the most recently set entries, dropping the one used longest ago past the bound', () => {
    const map = new Map<string, number>();
    setRecent(map, 'a', 1, 2);
    setRecent(map, 'b', 2, 2);
    setRecent(map, 'a', 3, 2); // used again: now the most recent
    setRecent(map, 'c', 4, 2);
    expect([...map]).toEqual([
      ['a', 3],
      ['c', 4],
    ]);
  });
});
