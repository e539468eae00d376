import type { AccountInputs } from './account-inputs.ts';
import type { PlanStatus } from './account-plan.ts';
import type { ComplaintStatus } from './complaints.ts';
import type { ScoreExplanation } from './explanation.ts';
import type { GroupStanding } from './groups.ts';
import type { Breadth, RelationshipStage, Segment } from './loyalty.ts';
import type { AccountMetrics } from './metrics.ts';
import type { Satisfaction } from './satisfaction.ts';
import type { Tier } from './settings.ts';

/** What SWOT and next actions read about one scored account. */
export interface AccountView {
  readonly companyId: string;
  readonly inputs: AccountInputs;
  readonly metrics: AccountMetrics;
  /** revenueTtm / the portfolio's revenueTtm. */
  readonly share: number;
  readonly tier: Tier;
  readonly stage: RelationshipStage;
  /** Null while loyalty is not measurable (a prospect, a first-year customer). */
  readonly segment: Segment | null;
  readonly loyalty: number | null;
  /** Loyalty's factors, so A2 can name the low ones. */
  readonly loyaltyExplanation: ScoreExplanation;
  readonly breadth: Breadth | null;
  readonly satisfaction: Satisfaction;
  /** §12: complaints at the account's tier (A4's SLA, A15's follow-up). */
  readonly complaints: ComplaintStatus;
  /** §13: null = no plan (A9); A18 reads its review. */
  readonly plan: PlanStatus | null;
  /** §11: O3 also names the lines its siblings buy. */
  readonly group: GroupStanding;
}
