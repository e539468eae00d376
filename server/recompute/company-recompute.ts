import type { AccountFacts, Settings } from '../../src/index.ts';
import {
  COMPANY_INPUT_PROPERTIES,
  createFactsCollector,
  dealInputProperties,
  dueDateCache,
  paretoCurve,
  scoreAccount,
  scorePortfolioStream,
} from '../../src/index.ts';
import type { CompanyUpdate, PortalClient } from '../hubspot/portal-client.ts';
import { changedKamProperties, kamPropertyValues } from './kam-property-values.ts';
import { KAM_WRITTEN_PROPERTIES } from '../hubspot/kam-properties.ts';
import type { DealIndex } from './deal-index.ts';
import type { AccountSnapshot, SnapshotStore, WriteFailure } from './snapshot-store.ts';

export interface CompanyRecomputeInput {
  readonly client: PortalClient;
  readonly snapshots: SnapshotStore;
  readonly dealIndex: DealIndex;
  readonly settings: Settings;
  readonly companyId: string;
  readonly asOfMs: number;
}

export type CompanyRecomputeOutcome =
  | { readonly kind: 'no_snapshot' }
  | {
      readonly kind: 'recomputed';
      readonly written: readonly string[];
      readonly failed: readonly {
        readonly id: string;
        readonly code: string;
        readonly message: string;
      }[];
    };

/**
 * Recomputes after one company's deals changed, without re-reading the
 * portal: re-reads that company and its deals, puts its new facts into the
 * snapshot, re-ranks the portfolio from the snapshot (tiers and percentiles
 * are relative) and writes only what changed — usually that one company, a
 * few more when it moved others across a tier boundary. Other companies'
 * due dates are left to the nightly recompute, so a change at noon does not
 * rewrite every account's due date.
 */
export async function recomputeCompany(
  input: CompanyRecomputeInput,
): Promise<CompanyRecomputeOutcome> {
  const { client, snapshots, settings, companyId, asOfMs } = input;
  const portalId = client.portalId;
  const frame = await snapshots.frame(portalId);
  if (frame === null) return { kind: 'no_snapshot' };

  const accounts = await snapshots.accounts(portalId);
  const previous = new Map(accounts.map((account) => [account.fact.companyId, account]));
  const [company] = await client.readCompanies(
    [companyId],
    [...COMPANY_INPUT_PROPERTIES, ...KAM_WRITTEN_PROPERTIES],
  );

  let facts: AccountFacts[] = accounts.map((account) => account.fact);
  if (company === undefined) {
    facts = facts.filter((fact) => fact.companyId !== companyId); // deleted or merged away
  } else {
    const deals = await client.readCompanyDeals(companyId, dealInputProperties(settings));
    await input.dealIndex.addDeals(portalId, deals);
    const collector = createFactsCollector([company], settings, asOfMs);
    collector.addDeals(deals);
    const [fresh] = collector.finish().facts;
    if (fresh !== undefined) {
      // Tickets are read by the full recompute; keep the complaints it counted.
      const kept = { ...fresh, openComplaints: previous.get(companyId)?.fact.openComplaints ?? 0 };
      facts = previous.has(companyId)
        ? facts.map((fact) => (fact.companyId === companyId ? kept : fact))
        : [...facts, kept];
    }
  }

  const scoredAt = new Date(asOfMs).toISOString();
  const oldFrame = { ...frame, dueDate: dueDateCache(frame.asOfMs) };
  const updates: CompanyUpdate[] = [];
  const next: AccountSnapshot[] = [];
  const summary = scorePortfolioStream(
    facts,
    settings,
    asOfMs,
    frame.summary.dataQuality,
    (scored, standing) => {
      const fact = facts[next.length];
      if (fact !== undefined) next.push({ fact, standing });
      const values = kamPropertyValues(scored);
      if (scored.id === companyId && company !== undefined) {
        const changed = changedKamProperties(company.properties, values, scoredAt);
        if (changed !== null) updates.push({ id: scored.id, properties: changed });
        return;
      }
      const before = previous.get(scored.id);
      if (before === undefined) return;
      const old = kamPropertyValues(scoreAccount(before.fact, before.standing, oldFrame));
      const comparable = { ...values, kam_next_action_due: old.kam_next_action_due };
      if (values.kam_next_action !== old.kam_next_action)
        comparable.kam_next_action_due = values.kam_next_action_due;
      const changed = changedKamProperties(old, comparable, scoredAt);
      if (changed !== null) updates.push({ id: scored.id, properties: changed });
    },
  );

  const outcome = await client.updateCompanies(updates);
  await snapshots.forgetHistory(portalId, outcome.updated);
  const failures = new Map<string, WriteFailure>(
    outcome.failed.map((failure) => [
      failure.id,
      { code: failure.code, message: failure.message, at: scoredAt },
    ]),
  );
  await snapshots.replace(
    portalId,
    next,
    {
      ...frame,
      productLines: summary.productLines,
      settings,
      summary,
      paretoCurve: paretoCurve(facts.map((fact) => fact.metrics.revenueTtm)),
    },
    failures,
  );
  return { kind: 'recomputed', written: outcome.updated, failed: outcome.failed };
}
