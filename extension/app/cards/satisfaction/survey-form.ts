import type { BaseDate } from '@hubspot/ui-extensions';
import type { Messages } from '../lib/i18n.ts';
import { DIMENSIONS, type Dimension, type Satisfaction, type SurveyRatings } from '../lib/types.ts';

/** One survey answer's field name, as the backend names it under `ratings`: "responsiveness.expected". */
export type RatingField = `${Dimension}.${'expected' | 'perceived'}`;

export const RATING_FIELDS: readonly RatingField[] = DIMENSIONS.flatMap((dimension) => [
  `${dimension}.expected` as const,
  `${dimension}.perceived` as const,
]);

export interface SurveyDraft {
  /** YYYY-MM-DD or null. */
  surveyDate: string | null;
  /** null = left empty (partial surveys are allowed); NaN or out of scale is caught by validation. */
  ratings: Record<RatingField, number | null>;
}

export type SurveyErrors = Partial<Record<RatingField | 'surveyDate', string>>;

export function draftFromSatisfaction(satisfaction: Satisfaction | null): SurveyDraft {
  const ratings = Object.fromEntries(RATING_FIELDS.map((field) => [field, null])) as Record<
    RatingField,
    number | null
  >;
  for (const dimension of satisfaction?.dimensions ?? []) {
    ratings[`${dimension.dimension}.expected`] = dimension.expected;
    ratings[`${dimension.dimension}.perceived`] = dimension.perceived;
  }
  return { surveyDate: satisfaction?.surveyDate ?? null, ratings };
}

/**
 * Each answer is on the 1–7 scale or empty (decimals allowed: a survey of
 * several people is entered as its average); a survey with answers needs its date.
 */
export function validateSurvey(draft: SurveyDraft, m: Messages): SurveyErrors {
  const errors: SurveyErrors = {};
  for (const field of RATING_FIELDS) {
    const value = draft.ratings[field];
    if (value === null) continue;
    if (!Number.isFinite(value) || value < 1 || value > 7)
      errors[field] = m.satisfaction.outOfScale;
  }
  const answered = RATING_FIELDS.some((field) => draft.ratings[field] !== null);
  if (answered && draft.surveyDate === null) errors.surveyDate = m.satisfaction.dateRequired;
  return errors;
}

/** The `PUT survey` body: every dimension, with null for what was left empty (so a cleared answer is cleared). */
export function surveyBody(draft: SurveyDraft): SurveyRatings {
  const ratings: SurveyRatings['ratings'] = {};
  for (const dimension of DIMENSIONS) {
    ratings[dimension] = {
      expected: draft.ratings[`${dimension}.expected`],
      perceived: draft.ratings[`${dimension}.perceived`],
    };
  }
  return { surveyDate: draft.surveyDate, ratings };
}

/** The backend names a bad input `ratings.responsiveness.expected`; the form names it without the prefix. */
export function fieldOfServerError(field: string | undefined): RatingField | 'surveyDate' | null {
  if (field === undefined) return null;
  if (field === 'surveyDate') return 'surveyDate';
  const name = field.replace(/^ratings\./, '');
  return RATING_FIELDS.find((candidate) => candidate === name) ?? null;
}

/** NumberInput reports a cleared field as NaN or undefined; both mean "no answer". */
export function ratingFromInput(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value;
}

export function dateToIso(date: BaseDate | null): string | null {
  if (date === null) return null;
  const month = String(date.month + 1).padStart(2, '0');
  const day = String(date.date).padStart(2, '0');
  return `${date.year}-${month}-${day}`;
}

export function isoToDate(iso: string | null): BaseDate | undefined {
  const match = iso === null ? null : /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return undefined;
  return { year: Number(match[1]), month: Number(match[2]) - 1, date: Number(match[3]) };
}
