import type { AccountMetrics } from './metrics.ts';
import { median } from './metrics.ts';
import type { RatedTier, Tier } from './settings.ts';
import { RATED_TIERS } from './settings.ts';

/** O3: a line bought by at least this share of an account's tier peers… */
export const WHITESPACE_PEER_SHARE = 0.3;
/** …and by at least this many of them. */
export const WHITESPACE_MIN_BUYERS = 3;

/** A product line most accounts of a tier buy (O3's whitespace). */
export interface WhitespaceLine {
  readonly line: string;
  /** Accounts of the tier that bought it in the last 2W. */
  readonly buyers: number;
  /** Accounts in the tier. */
  readonly tierSize: number;
}

/**
 * What scoring one account reads of the whole portfolio besides its own
 * standing: plain data, kept with the backend's snapshot so one account can
 * be rescored alone, and compared to know when every account must be.
 */
export interface PortfolioContext {
  /** Distinct product lines of the portfolio's won deals of the last 2W, sorted. */
  readonly productLines: readonly string[];
  /** Per rated tier, the lines bought by ≥ 30% (and ≥ 3) of its accounts, in line order. */
  readonly whitespace: Readonly<Record<RatedTier, readonly WhitespaceLine[]>>;
  /** Median salesCycleDays over the accounts that have one (loyalty's selection factor). */
  readonly medianSalesCycleDays: number | null;
  /** A product line's label (a pipeline's name, a property option's label), by value. */
  readonly productLineLabels: Readonly<Record<string, string>>;
  /** Some company has a contact record (kam-model.md §9); without any, contact counts stand in. */
  readonly hasContacts: boolean;
  /** Some company has a meeting (§10); without any, the last activity stands in for visits. */
  readonly hasMeetings: boolean;
}

type ContextMetrics = Pick<AccountMetrics, 'productLines' | 'salesCycleDays'>;

/** What the context reads of one account (contacts and meetings are absent before §9–§10 facts). */
interface ContextAccount {
  readonly metrics: ContextMetrics;
  readonly contacts?: { readonly total: number };
  readonly meetings?: { readonly meetings: number };
}

/**
 * The portfolio context from every account's metrics and tier (in the same
 * order), and the product lines' labels as HubSpot names them.
 */
export function portfolioContext(
  accounts: readonly ContextAccount[],
  tiers: readonly Tier[],
  productLineLabels: Readonly<Record<string, string>> = {},
): PortfolioContext {
  const lines = new Set<string>();
  const cycles: number[] = [];
  const tierSize = new Map<RatedTier, number>();
  const buyers = new Map<RatedTier, Map<string, number>>();
  let hasContacts = false;
  let hasMeetings = false;
  accounts.forEach((account, index) => {
    if ((account.contacts?.total ?? 0) > 0) hasContacts = true;
    if ((account.meetings?.meetings ?? 0) > 0) hasMeetings = true;
    const { productLines, salesCycleDays } = account.metrics;
    if (salesCycleDays !== null) cycles.push(salesCycleDays);
    for (const line of productLines) lines.add(line);
    const tier = tiers[index];
    if (tier === undefined || tier === 'unrated') return;
    tierSize.set(tier, (tierSize.get(tier) ?? 0) + 1);
    let counts = buyers.get(tier);
    if (counts === undefined) buyers.set(tier, (counts = new Map<string, number>()));
    for (const line of productLines) counts.set(line, (counts.get(line) ?? 0) + 1);
  });
  const productLines = [...lines].sort();
  const whitespace = Object.fromEntries(
    RATED_TIERS.map((tier) => {
      const size = tierSize.get(tier) ?? 0;
      const counts = buyers.get(tier);
      const popular: WhitespaceLine[] = [];
      for (const line of productLines) {
        const count = counts?.get(line) ?? 0;
        // Divided, not multiplied: 3 of 10 is exactly the 0.3 cut-off.
        if (count >= WHITESPACE_MIN_BUYERS && count / size >= WHITESPACE_PEER_SHARE) {
          popular.push({ line, buyers: count, tierSize: size });
        }
      }
      return [tier, popular];
    }),
  ) as Record<RatedTier, WhitespaceLine[]>;
  const labels: Record<string, string> = {};
  for (const line of productLines) {
    const label = Object.hasOwn(productLineLabels, line) ? productLineLabels[line] : undefined;
    if (label !== undefined && label !== line) labels[line] = label;
  }
  return {
    productLines,
    whitespace,
    medianSalesCycleDays: median(cycles),
    productLineLabels: labels,
    hasContacts,
    hasMeetings,
  };
}

/** A product line as people name it: its label where HubSpot has one, else its value. */
export function productLineLabel(context: PortfolioContext, line: string): string {
  return Object.hasOwn(context.productLineLabels, line)
    ? (context.productLineLabels[line] as string)
    : line;
}

/**
 * What of the context an account's scores, tier, next action and summary
 * entry can read: all of it but the buyer and tier counts of the whitespace
 * lines, which only O3's wording shows (and the cards word it from the
 * stored context when they are read). One account changing tier moves those
 * counts in two tiers without changing what any account is written, so a
 * re-rank compares this, not the whole context, to decide whether every
 * account must be scored again.
 */
export function contextScoringKey(context: PortfolioContext): string {
  const lines = Object.fromEntries(
    Object.entries(context.whitespace).map(([tier, popular]) => [
      tier,
      popular.map((entry) => entry.line),
    ]),
  );
  return JSON.stringify({ ...context, whitespace: lines });
}
