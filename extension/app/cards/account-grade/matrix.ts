import type { Level, Strategy } from '../lib/types.ts';

/** The GE-style strategy of kam-model.md §4, attractiveness first. */
export function strategyOf(attractiveness: Level, strength: Level): Strategy {
  const rank = { low: 0, medium: 1, high: 2 } as const;
  const sum = rank[attractiveness] + rank[strength];
  if (sum >= 3) return 'invest';
  if (sum === 2) return 'selective';
  return 'harvest';
}

/** Rows top to bottom (attractiveness high → low), columns left to right (strength high → low), as the GE matrix is drawn. */
export const MATRIX_LEVELS: readonly Level[] = ['high', 'medium', 'low'];
