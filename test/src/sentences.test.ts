/**
 * kam-model.md §7 "Sentences": every explanation, SWOT item and action
 * reason of a generated 2,000-company portal reads as a rep would expect —
 * numbers rounded as shown, counts that agree with their noun.
 */
import { describe, expect, it } from 'vitest';
import { generatePortal } from '../../server/synthetic/generate-portal.ts';
import type { PortfolioScore } from '../../src/index.ts';
import { DEFAULT_SETTINGS, lines, scorePortal } from '../../src/index.ts';
import { competitorName } from '../../src/metrics.ts';
import {
  actionReason,
  actionTitle,
  explanationText,
  swotText,
} from '../../extension/app/cards/lib/format.ts';
import { messagesFor } from '../../extension/app/cards/lib/i18n.ts';
import { englishWords } from '../support/english-words.ts';

const AS_OF = '2026-11-01T00:00:00Z';

/** Every sentence the model writes for people, with where it came from. */
function sentencesOf(result: PortfolioScore): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  for (const [key, explanation] of Object.entries(result.portfolio.explanations)) {
    found.push({ where: `portfolio.${key}`, text: explanation.text });
  }
  for (const company of result.companies) {
    for (const [key, explanation] of Object.entries(company.explanations)) {
      found.push({ where: `${company.id}.${key}`, text: explanation.text });
    }
    for (const item of company.swot) {
      if (item.ruleId !== null)
        found.push({ where: `${company.id}.${item.ruleId}`, text: item.text });
    }
    for (const action of company.actions) {
      found.push({ where: `${company.id}.${action.ruleId}.title`, text: action.title });
      found.push({ where: `${company.id}.${action.ruleId}.reason`, text: action.reason });
    }
  }
  return found;
}

/** Nouns the model counts: a count of 1 takes the first, any other count the second. */
const NOUNS: readonly (readonly [string, string])[] = [
  ['day', 'days'],
  ['deal', 'deals'],
  ['open deal', 'open deals'],
  ['closed deal', 'closed deals'],
  ['contact', 'contacts'],
  ['quarter', 'quarters'],
  ['account', 'accounts'],
  ['product line', 'product lines'],
  ['competitor', 'competitors'],
  ['open complaint', 'open complaints'],
];

/** '1 deals', '2 deal': a count the noun after it does not agree with. */
function agreementErrors(text: string): string[] {
  const errors: string[] = [];
  for (const [one, other] of NOUNS) {
    const singularAfterMany = new RegExp(`(?<![\\d.,])(?:0|[2-9]|\\d{2,}) ${one}(?![\\w-])`, 'g');
    const pluralAfterOne = new RegExp(`(?<![\\d.,])1 ${other}\\b`, 'g');
    errors.push(...(text.match(singularAfterMany) ?? []), ...(text.match(pluralAfterOne) ?? []));
  }
  return errors;
}

/** A number printed with more digits than a card shows (scores and gaps to one decimal). */
const OVER_PRECISE = /\d\.\d{2,}/;

describe('§7 sentences of a generated 2,000-company portal', () => {
  const input = generatePortal({ companies: 2000, deals: 20_000, seed: 3, asOf: AS_OF });
  const result = scorePortal(input, DEFAULT_SETTINGS, Date.parse(AS_OF));
  const sentences = sentencesOf(result);

  it('has enough to read: every rule family speaks somewhere', () => {
    expect(sentences.length).toBeGreaterThan(20_000);
    const rules = new Set(
      result.companies.flatMap((company) => company.actions.map((a) => a.ruleId)),
    );
    for (const rule of ['A1', 'A2', 'A5', 'A6', 'A7', 'A9', 'A12', 'A13', 'A14', 'A17']) {
      expect(rules).toContain(rule);
    }
    // `kam generate` exercises what v2 reads: named rivals, stale surveys, prospects with only losses.
    const companies = result.companies;
    expect(companies.some((company) => company.metrics.lostToCompetitors.length > 0)).toBe(true);
    expect(companies.some((company) => company.satisfaction.stale)).toBe(true);
    const stageRules = new Set(companies.map((company) => company.explanations.stage?.rule));
    for (const rule of [
      'stage.lapsed.lost_only',
      'stage.declining.revenue',
      'stage.partner.long_term',
    ]) {
      expect(stageRules).toContain(rule);
    }
  });

  it('prints no number with more than the shown digits', () => {
    const overPrecise = sentences.filter(({ text }) => OVER_PRECISE.test(text));
    expect(overPrecise.slice(0, 5)).toEqual([]);
  });

  it('makes every count agree with its noun ("1 contact", "2 contacts")', () => {
    const wrong = sentences.flatMap(({ where, text }) =>
      agreementErrors(text).map((error) => `${where}: "${error}" in "${text}"`),
    );
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('the checks themselves catch what they are for', () => {
    expect(OVER_PRECISE.test('unrated account with loyalty 54.787671233')).toBe(true);
    expect(OVER_PRECISE.test('Loyalty 54.8, growth +25% (5.0M vs 4.0M)')).toBe(false);
    expect(agreementErrors('1 contacts, over 1 closed deals, 2 deal')).toEqual([
      '2 deal',
      '1 closed deals',
      '1 contacts',
    ]);
    expect(agreementErrors('1 contact, 2 contacts, 1 deal lost, 10 days, 31 days')).toEqual([]);
  });

  it('reads in Chinese with no English word but the portal’s own (product lines, rivals)', () => {
    const zh = messagesFor('zh');
    const portalWords = [
      ...result.portfolio.productLines,
      ...input.companies.flatMap((company) =>
        lines(company.properties.kam_competitors).map(competitorName),
      ),
      // §11: a group is named by its top parent's name.
      ...input.companies.map((company) => company.properties.name ?? ''),
    ].join(' ');
    const found = new Set<string>();
    for (const company of result.companies) {
      for (const item of company.swot) {
        if (item.ruleId === null) continue;
        const text = swotText(item, 'zh', zh);
        for (const word of englishWords(text, portalWords))
          found.add(`${item.ruleId}: ${word} in "${text}"`);
      }
      // §11–§13: the group, complaint and plan explanations the cards show.
      for (const key of ['group', 'groupTier', 'complaints', 'plan']) {
        const explanation = company.explanations[key];
        if (explanation === undefined) continue;
        const text = explanationText(explanation, 'zh', zh);
        for (const word of englishWords(text, portalWords))
          found.add(`${explanation.rule}: ${word} in "${text}"`);
      }
      for (const action of company.actions) {
        const text = `${actionTitle(action, 'zh')} ${actionReason(action, 'zh', zh)}`;
        for (const word of englishWords(text, portalWords))
          found.add(`${action.ruleId}: ${word} in "${text}"`);
      }
    }
    expect([...found].slice(0, 5)).toEqual([]);
  });
});
