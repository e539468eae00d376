import type { Explanation } from './explanation.ts';
import { formatMoney, formatPercent } from './format.ts';
import type { RatedTier, Settings, Tier } from './settings.ts';

export interface TierInput {
  readonly companyId: string;
  readonly revenueTtm: number;
  readonly tierOverride: RatedTier | null;
}

export interface TierResult {
  /** The tier in force: the pin when there is one. */
  readonly tier: Tier;
  /** What the model computed, whatever the pin says. */
  readonly computedTier: Tier;
  readonly pinned: boolean;
  /** 1-based Pareto rank among rated accounts; null when unrated. */
  readonly rank: number | null;
  /** Revenue share held by the accounts ranked above (Pareto), null when unrated. */
  readonly shareBefore: number | null;
  readonly explanation: Explanation;
}

export interface Tiering {
  readonly byCompany: ReadonlyMap<string, TierResult>;
  /** Company ids of rated accounts, largest revenueTtm first (ties: lower HubSpot id first). */
  readonly ranking: readonly string[];
}

/**
 * Orders HubSpot ids numerically (they are decimal strings), falling back to
 * text order for anything else.
 */
export function compareHubSpotIds(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The value tier of kam-model.md §3 for every company. A company with no
 * revenue in the window is `unrated`. A pin (`kam_tier_override`) wins.
 */
export function assignTiers(accounts: readonly TierInput[], settings: Settings): Tiering {
  const rated = accounts
    .filter((account) => account.revenueTtm > 0)
    .sort((a, b) => b.revenueTtm - a.revenueTtm || compareHubSpotIds(a.companyId, b.companyId));
  const ratedRevenue = rated.reduce((sum, account) => sum + account.revenueTtm, 0);
  const byCompany = new Map<string, TierResult>();

  let revenueAbove = 0;
  rated.forEach((account, index) => {
    // Dividing summed revenue (not summing shares) keeps exact cut-offs exact.
    const shareBefore = revenueAbove / ratedRevenue;
    revenueAbove += account.revenueTtm;
    const computed =
      settings.tierMethod === 'pareto'
        ? paretoTier(account, index + 1, rated.length, shareBefore, settings)
        : thresholdTier(account, settings);
    byCompany.set(
      account.companyId,
      withPin(account, { ...computed, rank: index + 1, shareBefore }),
    );
  });

  for (const account of accounts) {
    if (byCompany.has(account.companyId)) continue;
    const explanation: Explanation = {
      rule: 'tier.unrated',
      text: 'Unrated: no won revenue in the window',
      inputs: { revenueTtm: account.revenueTtm },
    };
    byCompany.set(
      account.companyId,
      withPin(account, { tier: 'unrated', explanation, rank: null, shareBefore: null }),
    );
  }
  return { byCompany, ranking: rated.map((account) => account.companyId) };
}

interface Computed {
  readonly tier: Tier;
  readonly explanation: Explanation;
}

function paretoTier(
  account: TierInput,
  rank: number,
  ratedCount: number,
  shareBefore: number,
  settings: Settings,
): Computed {
  const { strategic, key, standard } = settings.paretoCutoffs;
  const [tier, cutoff]: [RatedTier, number | null] =
    shareBefore < strategic
      ? ['strategic', strategic]
      : shareBefore < key
        ? ['key', key]
        : shareBefore < standard
          ? ['standard', standard]
          : ['transactional', null];
  const comparison =
    cutoff === null ? `≥ ${formatPercent(standard)}` : `< ${formatPercent(cutoff)}`;
  return {
    tier,
    explanation: {
      rule: 'tier.pareto',
      text: `Rank ${rank} of ${ratedCount} by revenue (${formatMoney(account.revenueTtm)}); accounts ranked above hold ${formatPercent(shareBefore)} of revenue (${comparison}) → ${tier}`,
      inputs: { rank, ratedCount, revenueTtm: account.revenueTtm, shareBefore, cutoff },
    },
  };
}

function thresholdTier(account: TierInput, settings: Settings): Computed {
  const { strategic, key, standard } = settings.thresholds;
  const revenue = account.revenueTtm;
  const [tier, threshold]: [RatedTier, number | null] =
    revenue >= strategic
      ? ['strategic', strategic]
      : revenue >= key
        ? ['key', key]
        : revenue >= standard
          ? ['standard', standard]
          : ['transactional', null];
  const comparison =
    threshold === null ? `< ${formatMoney(standard)}` : `≥ ${formatMoney(threshold)}`;
  return {
    tier,
    explanation: {
      rule: 'tier.thresholds',
      text: `Revenue ${formatMoney(revenue)} in the window (${comparison}) → ${tier}`,
      inputs: { revenueTtm: revenue, threshold },
    },
  };
}

function withPin(
  account: TierInput,
  computed: Computed & Pick<TierResult, 'rank' | 'shareBefore'>,
): TierResult {
  if (account.tierOverride === null) {
    return { ...computed, computedTier: computed.tier, pinned: false };
  }
  return {
    tier: account.tierOverride,
    computedTier: computed.tier,
    pinned: true,
    rank: computed.rank,
    shareBefore: computed.shareBefore,
    explanation: {
      rule: 'tier.override',
      text: `Pinned to ${account.tierOverride} by an admin (the model says ${computed.tier}: ${computed.explanation.text})`,
      inputs: {
        ...computed.explanation.inputs,
        computedTier: computed.tier,
        pinnedTier: account.tierOverride,
      },
    },
  };
}

export interface ParetoPoint {
  /** Share of rated accounts, largest first (0–1). */
  readonly accountShare: number;
  /** Share of revenue those accounts hold (0–1). */
  readonly revenueShare: number;
}

/**
 * The Pareto (Lorenz) curve of a portfolio: for the largest x% of rated
 * accounts, the share of revenue they hold; at most `points` + 1 points,
 * from (0, 0) to (1, 1). The 80/20 rule reads off it at x = 0.2.
 *
 * @example
 * paretoCurve([60, 30, 10], 3) // (0,0) (⅓,0.6) (⅔,0.9) (1,1)
 */
export function paretoCurve(revenues: readonly number[], points = 100): ParetoPoint[] {
  const rated = revenues.filter((revenue) => revenue > 0).sort((a, b) => b - a);
  const total = rated.reduce((sum, revenue) => sum + revenue, 0);
  if (rated.length === 0 || total <= 0) return [];
  const steps = Math.min(points, rated.length);
  const curve: ParetoPoint[] = [{ accountShare: 0, revenueShare: 0 }];
  let held = 0;
  let taken = 0;
  for (let step = 1; step <= steps; step += 1) {
    const upTo = Math.round((step / steps) * rated.length);
    while (taken < upTo) held += rated[taken++] as number;
    curve.push({ accountShare: upTo / rated.length, revenueShare: held / total });
  }
  return curve;
}
