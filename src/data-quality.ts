/** What can be wrong with a record; the model flags it and carries on. */
export const FLAG_CODES = [
  'missing_amount',
  'invalid_amount',
  'missing_close_date',
  'invalid_close_date',
  'missing_probability',
  'missing_profit',
  'invalid_property',
  'invalid_survey_value',
  'invalid_tier_override',
  'text_too_long',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export interface DataQualityFlag {
  readonly code: FlagCode;
  readonly recordType: 'company' | 'deal';
  readonly recordId: string;
  readonly field: string;
  readonly message: string;
}

/** Portal-wide counts for the run's data-quality report. */
export interface DataQualityReport {
  readonly deals: number;
  /** Deals with no associated company: ignored (kam-model.md §1). */
  readonly dealsWithoutCompany: number;
  /** Deals whose companies are all outside the portfolio given: ignored. */
  readonly dealsWithUnknownCompany: number;
  /** Deals split equally because no association is primary. */
  readonly dealsSplitWithoutPrimary: number;
  readonly companiesFlagged: number;
  readonly flags: Readonly<Partial<Record<FlagCode, number>>>;
}
