/**
 * The card API's payloads as the cards read them (README "Card API"). Only
 * the fields a card shows are typed; `CompanyScore` is one company exactly as
 * `kam score --format json` prints it.
 */

export type Tier = 'strategic' | 'key' | 'standard' | 'transactional' | 'unrated';
export type PinnableTier = Exclude<Tier, 'unrated'>;
export type Grade = 'A' | 'B' | 'C' | 'D';
export type Level = 'low' | 'medium' | 'high';
export type Strategy = 'invest' | 'selective' | 'harvest';
/** kam-model.md v2 §5: the relationship stage (v1's `developing` is gone). */
export type Stage = 'lapsed' | 'new' | 'declining' | 'partner' | 'growing' | 'steady';
export type Segment = 'core' | 'at_risk' | 'rising_star' | 'low_value';
export type Breadth = 'comprehensive' | 'specialised';
export type SatisfactionLevel = 'dissatisfied' | 'below_expectations' | 'satisfied' | 'delighted';
export type Dimension = 'tangibles' | 'reliability' | 'responsiveness' | 'assurance' | 'empathy';
export type Quadrant = 'strength' | 'weakness' | 'opportunity' | 'threat';

export const DIMENSIONS: readonly Dimension[] = [
  'tangibles',
  'reliability',
  'responsiveness',
  'assurance',
  'empathy',
];

export type Evidence = Record<string, number | string | boolean | null>;

export interface Factor {
  factor: string;
  score: number;
  weight: number;
  effectiveWeight: number;
  text: string;
}

export interface Explanation {
  rule: string;
  text: string;
  /** The numbers the sentence was made from (the Chinese sentence is rebuilt from them). */
  inputs?: Evidence;
  factors?: Factor[];
  absent?: string[];
}

export interface DimensionGap {
  dimension: Dimension;
  expected: number | null;
  perceived: number | null;
  gap: number | null;
  weight: number;
}

export interface Satisfaction {
  dimensions: DimensionGap[];
  overallGap: number | null;
  level: SatisfactionLevel | null;
  surveyDate: string | null;
  surveyAgeDays: number | null;
  stale: boolean;
  openComplaints: number;
}

export interface SwotItem {
  ruleId: string | null;
  quadrant: Quadrant;
  dimension?: Dimension;
  text: string;
  evidence: Evidence;
}

export interface NextAction {
  ruleId: string;
  dimension?: Dimension;
  key: string;
  title: string;
  reason: string;
  evidence: Evidence;
  priority: number;
  dueDays: number;
  due: string;
}

export interface Metrics {
  revenueTtm: number;
  growth: number | null;
  wonCount: number;
  lostCount: number;
  openCount: number;
  winRate: number | null;
  closedInWindow: number;
  tenureDays: number | null;
  recencyDays: number | null;
  quartersWithWin: number;
  contacts: number | null;
  pipelineWeighted: number;
  productLines: string[];
}

// --- Relationship (kam-model.md v2 §9, §10, §14; CONTRACTS.md #12) ---

/** The key roles of a buying centre (§9); EXECUTIVE_SPONSOR is counted as DECISION_MAKER. */
export type BuyingRole =
  'DECISION_MAKER' | 'BUDGET_HOLDER' | 'CHAMPION' | 'INFLUENCER' | 'END_USER';

export const BUYING_ROLES: readonly BuyingRole[] = [
  'DECISION_MAKER',
  'BUDGET_HOLDER',
  'CHAMPION',
  'INFLUENCER',
  'END_USER',
];

export interface BuyingCentreContact {
  id: string;
  name: string | null;
  jobTitle: string | null;
  /** BLOCKER is shown, never counted as covered. */
  roles: readonly (BuyingRole | 'BLOCKER')[];
  /** The role was inferred from the job title (no contact of the company has a buying role). */
  inferred: boolean;
  /** Contacted in the last 90 days. */
  engaged: boolean;
  /** YYYY-MM-DD. */
  lastContacted: string | null;
  ownerId: string | null;
}

export interface BuyingCentre {
  /** contact_count: the portal has no contact records; the count num_associated_contacts stands in. */
  source: 'contacts' | 'contact_count';
  /** A bounded list, contacts with roles first. */
  contacts: readonly BuyingCentreContact[];
  contactsNotShown: number;
  /** 0–100. */
  coverage: number | null;
  engagedCoverage: number | null;
  covered: readonly BuyingRole[];
  engagedRoles: readonly BuyingRole[];
  missing: readonly BuyingRole[];
  engagedContacts: number;
  inferred: boolean;
}

export interface Visits {
  /** last_activity: the portal has no meetings; notes_last_updated stands in. */
  source: 'meetings' | 'last_activity' | 'none';
  daysSinceVisit: number | null;
  /** Dates YYYY-MM-DD. */
  lastVisit: string | null;
  lastExecutiveVisit: string | null;
  lastReview: string | null;
  /** The tier's visit cadence; null for unrated. */
  cadenceDays: number | null;
}

export type ProfileField =
  | 'name'
  | 'industry'
  | 'owner'
  | 'size'
  | 'decision_maker'
  | 'competitors'
  | 'account_plan'
  | 'survey';

export const PROFILE_FIELDS: readonly ProfileField[] = [
  'name',
  'industry',
  'owner',
  'size',
  'decision_maker',
  'competitors',
  'account_plan',
  'survey',
];

export interface Profile {
  /** 0–100. */
  completeness: number;
  required: readonly ProfileField[];
  missing: readonly ProfileField[];
}

// --- end Relationship ---

export interface CompanyScore {
  id: string;
  name: string;
  /** The company's HubSpot owner id (hubspot_owner_id). */
  ownerId?: string | null;
  tier: Tier;
  tierPinned: boolean;
  computedTier: Tier;
  /** Null, with the grade, when neither axis has a factor with a value (kam-model.md §4). */
  score: number | null;
  grade: Grade | null;
  /** An axis is null when none of its factors has a value; its level and the strategy with it. */
  attractiveness: number | null;
  strength: number | null;
  attractivenessLevel: Level | null;
  strengthLevel: Level | null;
  strategy: Strategy | null;
  stage: Stage;
  /** Null for a prospect or a first-year customer: not yet measurable (v2 §5). */
  loyalty: number | null;
  /** Null with loyalty: such a company is neither loyal nor low-value yet. */
  segment: Segment | null;
  breadth: Breadth | null;
  satisfaction: Satisfaction;
  metrics: Metrics;
  swot: SwotItem[];
  actions: NextAction[];
  explanations: {
    attractiveness: Explanation;
    strength: Explanation;
  };
  /** §9, §10, §14: absent from a snapshot scored before model #12. */
  buyingCentre?: BuyingCentre;
  visits?: Visits;
  profile?: Profile;
  /** §11–§13 (model v2): absent from an older backend. */
  group?: CompanyGroup;
  complaints?: Complaints;
  plan?: AccountPlan | null;
}

// ---- kam-model.md v2 §11 groups, §12 complaints, §13 the account plan ----

/** §11: the group the company belongs to; size 1 = a standalone company. */
export interface CompanyGroup {
  id: string;
  name: string | null;
  tier: Tier;
  size: number;
  revenueTtm: number;
  biggestMember: { id: string; name: string | null; revenueTtm: number } | null;
}

/** §12: the company's complaint tickets; `none` = the portal has no complaint tickets for it. */
export interface Complaints {
  source: 'tickets' | 'none';
  open: number;
  openMajor: number;
  overdue: number;
  last12Months: number;
  medianDaysToClose: number | null;
  /** A15: the 回访 follow-up owed after the last closed complaint. */
  followUp: { ticketId: string; closedAt: string; dueBy: string } | null;
}

/** §13: the plan as scored; null on the company = no plan. */
export interface AccountPlan {
  objective: string;
  goalRevenue: number | null;
  goalDate: string | null;
  strategies: string | null;
  measures: string | null;
  reviewedAt: string | null;
  /** Won revenue towards the goal, % of it; null without a goal. */
  attainment: number | null;
  /** Attainment plus the weighted pipeline closing by the goal date, %. */
  forecast: number | null;
  daysLeft: number | null;
}

/** §13: the plan as stored, for the editor (the objective falls back to v1's account plan). */
export interface PlanInputs {
  objective: string;
  goalRevenue: number | null;
  goalDate: string | null;
  strategies: string | null;
  measures: string | null;
  reviewedAt: string | null;
}

/** `PUT /api/v1/companies/:id/plan`: a field left out is kept, null clears it. */
export interface PlanUpdate {
  objective: string;
  goalRevenue: number | null;
  goalDate: string | null;
  strategies: string | null;
  measures: string | null;
}

/** §11: the portfolio summary's Pareto over groups. */
export interface PortfolioGroups {
  count: number;
  multiMember: number;
  tierCounts: Partial<Record<Tier, number>>;
  top20Share: number | null;
  top: { id: string; name: string | null; tier: Tier; size: number; revenueTtm: number }[];
}

/** `GET /api/v1/ticket-pipelines`: the portal's ticket pipelines, for the complaint setting. */
export interface TicketPipelines {
  pipelines: { id: string; label: string }[];
}

/** §12's settings: which pipelines hold complaints, and a major complaint's SLA per tier. */
export interface ComplaintSettings {
  complaintPipelines: string[];
  complaintSlaDays: Record<Tier, number>;
}

// ---- end of §11–§13 ----

export interface RecomputeStatus {
  state: 'idle' | 'queued' | 'running' | 'failed';
  progress: {
    pagesRead: number;
    companiesScored: number;
    companiesWritten: number;
    companiesTotal: number;
  };
  startedAt: string | null;
  finishedAt: string | null;
  error?: string;
}

export interface Task {
  id: string;
  subject: string;
  status: string;
  dueDate: string;
  ownerId: string | null;
}

export interface ManualInputs {
  strengths: string[];
  weaknesses: string[];
  opportunities: string[];
  threats: string[];
  competitors: string[];
  accountPlan: string | null;
  tierOverride: PinnableTier | null;
  /** §13: the stored plan; null when it has no objective (absent from an older backend). */
  plan?: PlanInputs | null;
}

export interface Scorecard {
  portalId: string | number;
  companyId: string;
  scoredAt: string | null;
  company: CompanyScore | null;
  history: { at: string; score: number }[];
  /** `name` is the HubSpot user's name where the backend could look it up (null otherwise, or absent from an older backend). */
  pinnedBy: { userId: string | number; name?: string | null; at: string } | null;
  manual: ManualInputs;
  tasks: Record<string, Task>;
  tasksEnabled: boolean;
  recompute: RecomputeStatus;
  /** HubSpot refused the last write-back of this company's properties (e.g. a required-property rule). */
  writeFailure: { code: string; message: string } | null;
  /** The names of the owners the scorecard mentions (company owner, contact owners), by owner id. */
  ownerNames: Record<string, string>;
}

export interface SurveyRatings {
  surveyDate: string | null;
  ratings: Partial<Record<Dimension, { expected: number | null; perceived: number | null }>>;
}

export interface TaskResult {
  created: boolean;
  task: Task;
}

export interface Settings {
  windowDays: number;
  churnDays: number;
  tierMethod: 'pareto' | 'thresholds';
  paretoCutoffs: { strategic: number; key: number; standard: number };
  thresholds: { strategic: number; key: number; standard: number };
  attractivenessWeights: {
    size: number;
    growth: number;
    potential: number;
    profitability: number;
    scale: number;
  };
  strengthWeights: {
    win: number;
    tenure: number;
    repeat: number;
    breadth: number;
    satisfaction: number;
    recency: number;
  };
  scoreWeights: { attractiveness: number; strength: number };
  loyaltyWeights: {
    repeat: number;
    trend: number;
    rivals: number;
    selection: number;
    attitude: number;
  };
  loyaltyThreshold: number;
  visitCadenceDays: { strategic: number; key: number; standard: number; transactional: number };
  servqualWeights: Record<Dimension, number>;
  profitProperty: string | null;
  productLineProperty: string;
  tasksEnabled: boolean;
  // Relationship settings (kam-model.md v2 §10, §14); a backend before them
  // sends none, and the page then leaves their section out.
  /** HubSpot owner ids whose meetings count as executive visits; empty = A16 off. */
  executiveUserIds?: string[];
  /** Case-insensitive; a meeting whose title matches is a business review. */
  reviewTitlePattern?: string;
  profileRequiredFields?: Record<Tier, ProfileField[]>;
  /** §12 (absent from an older backend). */
  complaintPipelines?: ComplaintSettings['complaintPipelines'];
  complaintSlaDays?: ComplaintSettings['complaintSlaDays'];
}

/** `GET /api/v1/owners`: the portal's HubSpot owners, for the executives picker. */
export interface OwnersResponse {
  owners: { id: string; name: string; email: string | null }[];
  /** False: the app may not read the portal's owners (no owners scope), hence an empty list. */
  ownersScope?: boolean;
}

export interface SettingsResponse {
  settings: Settings;
  recompute?: RecomputeStatus;
}

/** `DELETE /api/v1/installation`: everything the backend kept about the portal is gone. */
export interface InstallationRemoval {
  removed: true;
  portalId: number;
}

export interface TierMove {
  companyId: string;
  name: string;
  from: Tier;
  to: Tier;
}

export interface SettingsPreview {
  tierCounts: Partial<Record<Tier, number>>;
  moves: TierMove[];
  /** The backend's remark on the preview, e.g. that nothing has been scored yet. */
  note?: string;
}

export interface Portfolio {
  tierCounts: Partial<Record<Tier, number>>;
  revenueShareByTier: Partial<Record<Tier, number>>;
  top20Share: number | null;
  /**
   * The seed's absolute bands: accounts at or above the key threshold, and
   * their revenue share; null from a backend before model v2.
   */
  topBands: {
    threshold: number;
    accounts: number;
    accountShare: number | null;
    revenueShare: number | null;
  } | null;
  paretoCurve: { accountShare: number; revenueShare: number }[];
  /** Keyed "attractiveness/strength", e.g. "high/medium". */
  matrixCounts: Record<string, number>;
  segmentCounts: Partial<Record<Segment, number>>;
  movements: TierMove[];
  dataQuality: Record<string, unknown>;
  /** §11: the Pareto over groups; absent from an older backend. */
  groups?: PortfolioGroups;
  recompute: RecomputeStatus;
  /** §14: strategic and key accounts with a profile under 80% or without an owner; null from an older backend. */
  profileAttention: ProfileAttention | null;
}

export interface ProfileAttention {
  /** Bounded, largest revenue first. */
  accounts: {
    id: string;
    name: string | null;
    tier: Tier;
    completeness: number;
    hasOwner: boolean;
  }[];
  /** Every such account, beyond the ones listed. */
  total: number;
}
