import type { ManualInputs, Quadrant } from '../lib/types.ts';

/** Which manual-input list (and which `PUT swot` key) holds each quadrant's own items. */
export const QUADRANT_FIELDS: Record<
  Quadrant,
  'strengths' | 'weaknesses' | 'opportunities' | 'threats'
> = {
  strength: 'strengths',
  weakness: 'weaknesses',
  opportunity: 'opportunities',
  threat: 'threats',
};

export const QUADRANTS: readonly Quadrant[] = ['strength', 'weakness', 'opportunity', 'threat'];

export type SwotDraft = Record<Quadrant | 'competitors', string>;

export function draftFrom(manual: ManualInputs): SwotDraft {
  return {
    strength: manual.strengths.join('\n'),
    weakness: manual.weaknesses.join('\n'),
    opportunity: manual.opportunities.join('\n'),
    threat: manual.threats.join('\n'),
    competitors: manual.competitors.join('\n'),
  };
}
