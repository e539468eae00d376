/**
 * kam-model.md §9 (buying centre), §10 (visits and reviews) and §14
 * (profile) through the whole model: roles and the job-title fallback,
 * engagement at 90 days, the bounded contact list, visits from meetings,
 * executive visits and reviews, profile completeness, and the portal that
 * has neither contacts nor meetings.
 */
import { describe, expect, it } from 'vitest';
import { actionReason, actionTitle, swotText } from '../../extension/app/cards/lib/format.ts';
import { messagesFor } from '../../extension/app/cards/lib/i18n.ts';
import { englishWords } from '../support/english-words.ts';
import {
  buyingRoles,
  collectAccountFacts,
  isDecisionMakerTitle,
  MAX_CONTACTS_SHOWN,
} from '../../src/index.ts';
import type { CompanyScore, CrmObject, PortalInput } from '../../src/index.ts';
import {
  AS_OF,
  company,
  companyOf,
  contact,
  isoDaysAgo,
  meeting,
  score,
  settingsWith,
  won,
} from './builders.ts';

/** Company 1 is strategic (90% of revenue), company 2 standard. */
const COMPANIES = [
  company('1', { industry: 'Retail', hubspot_owner_id: '77', notes_last_updated: isoDaysAgo(12) }),
  company('2', { num_associated_contacts: '1' }),
];
const DEALS = [
  won({ company: '1', amount: 900_000, closedDaysAgo: 30 }),
  won({ company: '2', amount: 100_000, closedDaysAgo: 30 }),
];

const scored = (extra: Partial<PortalInput>, id = '1', settings = settingsWith({})): CompanyScore =>
  companyOf(score({ companies: COMPANIES, deals: DEALS, ...extra }, settings), id);

const rules = (company: CompanyScore): string[] => [
  ...company.swot.flatMap((item) => (item.ruleId === null ? [] : [item.ruleId])),
  ...company.actions.map((action) => action.ruleId),
];

/** A contact of company 1 with these roles, last contacted `days` ago (null: never). */
const person = (id: string, roles: string, days: number | null, props = {}): CrmObject =>
  contact(id, '1', {
    hs_buying_role: roles,
    notes_last_contacted: days === null ? null : isoDaysAgo(days),
    ...props,
  });

describe('§9 roles from hs_buying_role', () => {
  it.each([
    ['DECISION_MAKER', ['DECISION_MAKER']],
    ['EXECUTIVE_SPONSOR', ['DECISION_MAKER']],
    ['CHAMPION;BUDGET_HOLDER', ['BUDGET_HOLDER', 'CHAMPION']],
    [' end_user ; BLOCKER ', ['END_USER', 'BLOCKER']],
    ['EXECUTIVE_SPONSOR;DECISION_MAKER;OTHER;LEGAL_AND_COMPLIANCE', ['DECISION_MAKER']],
    ['', []],
    [null, []],
  ] as const)('%j reads as %j', (value, roles) => {
    expect(buyingRoles(value)).toEqual(roles);
  });

  it('coverage = 100 × key roles with a contact / 5; engaged roles likewise', () => {
    const centre = scored({
      contacts: [
        person('c1', 'DECISION_MAKER;BUDGET_HOLDER', 90),
        person('c2', 'CHAMPION', 91),
        person('c3', 'BLOCKER', 1),
      ],
    }).buyingCentre;
    expect(centre).toMatchObject({
      source: 'contacts',
      coverage: 60,
      engagedCoverage: 40,
      covered: ['DECISION_MAKER', 'BUDGET_HOLDER', 'CHAMPION'],
      engagedRoles: ['DECISION_MAKER', 'BUDGET_HOLDER'],
      missing: ['INFLUENCER', 'END_USER'],
      engagedContacts: 2,
      inferred: false,
    });
    // The blocker is shown, never covered.
    expect(centre.contacts.find((entry) => entry.id === 'c3')?.roles).toEqual(['BLOCKER']);
    expect(centre.contacts.find((entry) => entry.id === 'c1')).toMatchObject({
      name: 'Contact c1',
      engaged: true,
      lastContacted: '2026-05-17',
      inferred: false,
    });
  });

  it('an executive sponsor covers the decision maker and makes S5 fire', () => {
    const company = scored({ contacts: [person('c1', 'EXECUTIVE_SPONSOR', 5)] });
    expect(company.buyingCentre.covered).toEqual(['DECISION_MAKER']);
    expect(rules(company)).toContain('S5');
    expect(company.swot.find((item) => item.ruleId === 'S5')?.text).toBe(
      'Decision maker engaged: last contacted 5 days ago',
    );
  });

  it('W2 and A10 name the missing roles of a strategic account', () => {
    const company = scored({
      contacts: [person('c1', 'CHAMPION', 5), person('c2', 'INFLUENCER', 5)],
    });
    const w2 = company.swot.find((item) => item.ruleId === 'W2');
    expect(w2?.text).toBe(
      'Single-threaded relationship: 2 contacts engaged in the last 90 days, no decision maker known; missing decision maker, budget holder, and end user',
    );
    expect(w2?.evidence).toMatchObject({
      engagedContacts: 2,
      decisionMaker: false,
      missingRoles: 'DECISION_MAKER; BUDGET_HOLDER; END_USER',
    });
    expect(company.actions.find((action) => action.ruleId === 'A10')?.reason).toBe(w2?.text);
  });
});

describe('§9 the job-title fallback when no contact of the company has a role', () => {
  it.each([
    'CEO',
    'Chief Revenue Officer',
    'VP Sales',
    'SVP, Operations',
    'Vice President of Finance',
    'Vice-President',
    'Director of IT',
    'Head of Procurement',
    'Owner',
    'Co-founder',
    'Founder & CTO',
    'General Manager',
    '总经理',
    '采购总监',
    '销售经理',
    '董事长',
    '办公室主任',
    '王总',
    '副总裁',
  ])('"%s" reads as a decision maker', (title) => {
    expect(isDecisionMakerTitle(title)).toBe(true);
  });

  it.each([
    'Headquarters clerk',
    'Directory assistant',
    'Ownership analyst',
    'Procurement specialist',
    'VPN engineer',
    'Chiefly a buyer',
    '总部文员',
    '总务专员',
    '采购专员',
    '',
  ])('"%s" does not', (title) => {
    expect(isDecisionMakerTitle(title)).toBe(false);
  });

  it('counts a senior title as DECISION_MAKER, flagged inferred, and says so', () => {
    const company = scored({
      contacts: [
        person('c1', '', 10, { jobtitle: 'Head of Procurement' }),
        person('c2', '', 10, { jobtitle: 'Headquarters clerk' }),
      ],
    });
    expect(company.buyingCentre).toMatchObject({
      covered: ['DECISION_MAKER'],
      coverage: 20,
      inferred: true,
    });
    expect(company.buyingCentre.contacts.map((entry) => [entry.id, entry.inferred])).toEqual([
      ['c1', true],
      ['c2', false],
    ]);
    expect(company.buyingCentre.contacts[0]?.roles).toEqual(['DECISION_MAKER']);
    expect(company.explanations.buyingCentre?.rule).toBe('buyingCentre.inferred');
    expect(company.explanations.buyingCentre?.text).toContain('inferred from the job title');
    expect(company.swot.find((item) => item.ruleId === 'S5')?.text).toContain(
      '(inferred from the job title)',
    );
  });

  it('infers nothing once any contact of the company has a role', () => {
    const company = scored({
      contacts: [person('c1', 'CHAMPION', 10), person('c2', '', 10, { jobtitle: 'CEO' })],
    });
    expect(company.buyingCentre).toMatchObject({ covered: ['CHAMPION'], inferred: false });
    expect(company.buyingCentre.contacts.every((entry) => !entry.inferred)).toBe(true);
  });

  it('a blocker alone is a role: titles infer nothing then either', () => {
    const company = scored({
      contacts: [person('c1', 'BLOCKER', 10, { jobtitle: 'CEO' })],
    });
    expect(company.buyingCentre).toMatchObject({ covered: [], coverage: 0, inferred: false });
  });
});

describe('§9 a bounded contact list, the same in any order', () => {
  const many = [
    ...Array.from({ length: 20 }, (_, index) => person(`p${index}`, '', 200 + index)),
    person('r1', 'CHAMPION', 300),
    person('e1', '', 3),
    person('t1', '', null, { jobtitle: 'Director' }),
    ...Array.from({ length: 5 }, (_, index) => person(`q${index}`, '', null)),
  ];

  it(`keeps ${MAX_CONTACTS_SHOWN} contacts: roles first, then senior titles, engaged, most recent`, () => {
    const centre = scored({ contacts: many }).buyingCentre;
    expect(centre.contacts).toHaveLength(MAX_CONTACTS_SHOWN);
    expect(centre.contactsNotShown).toBe(many.length - MAX_CONTACTS_SHOWN);
    expect(centre.contacts.slice(0, 4).map((entry) => entry.id)).toEqual(['r1', 't1', 'e1', 'p0']);
  });

  it('gives the same facts whatever the order or paging', () => {
    const input = { companies: COMPANIES, deals: DEALS };
    const once = collectAccountFacts({ ...input, contacts: many }, settingsWith({}), AS_OF);
    const reversed = collectAccountFacts(
      { ...input, contacts: [...many].reverse() },
      settingsWith({}),
      AS_OF,
    );
    expect(reversed.facts).toEqual(once.facts);
  });

  it('keeps a company’s facts compact (≤ 3 KB) however many contacts and meetings it has', () => {
    const crowd = Array.from({ length: 500 }, (_, index) =>
      person(`c${index}`, index % 7 === 0 ? 'INFLUENCER;CHAMPION' : '', index % 200, {
        firstname: 'Alexandra',
        lastname: 'Konstantinopoulou',
        jobtitle: 'Senior Director, Global Strategic Procurement',
        hubspot_owner_id: '123456789',
      }),
    );
    const meetings = Array.from({ length: 500 }, (_, index) => meeting(`m${index}`, '1', index));
    const { facts } = collectAccountFacts(
      { companies: COMPANIES, deals: DEALS, contacts: crowd, meetings },
      settingsWith({}),
      AS_OF,
    );
    const fact = facts[0];
    expect(fact?.contacts.total).toBe(500);
    expect(fact?.meetings.meetings).toBe(500);
    const bytes = Buffer.byteLength(
      JSON.stringify({ contacts: fact?.contacts, meetings: fact?.meetings }),
    );
    expect(bytes).toBeLessThanOrEqual(3000);
  });

  it('counts a contact for every company it is associated with, and ignores unknown companies', () => {
    const shared = contact('s1', ['1', '2', '999'], {
      hs_buying_role: 'DECISION_MAKER',
      notes_last_contacted: isoDaysAgo(1),
    });
    expect(scored({ contacts: [shared] }, '1').buyingCentre.covered).toEqual(['DECISION_MAKER']);
    expect(scored({ contacts: [shared] }, '2').buyingCentre.covered).toEqual(['DECISION_MAKER']);
  });
});

describe('§10 visits from meetings', () => {
  it('a visit is a meeting COMPLETED or without outcome, started at or before asOf', () => {
    const visits = (meetings: CrmObject[]) => scored({ meetings }).visits;
    expect(visits([meeting('m1', '1', 20)])).toMatchObject({
      source: 'meetings',
      daysSinceVisit: 20,
      lastVisit: '2026-07-26',
    });
    expect(visits([meeting('m1', '1', 20, { hs_meeting_outcome: '' })]).daysSinceVisit).toBe(20);
    for (const outcome of ['NO_SHOW', 'CANCELED', 'SCHEDULED', 'RESCHEDULED']) {
      expect(visits([meeting('m1', '1', 20, { hs_meeting_outcome: outcome })]).daysSinceVisit).toBe(
        null,
      );
    }
    expect(visits([meeting('m1', '1', -1, { hs_meeting_outcome: '' })]).daysSinceVisit).toBe(null);
    expect(visits([meeting('m1', '1', 0)]).daysSinceVisit).toBe(0);
  });

  it('W4: a strategic account visited 30 days ago is within cadence, 31 days ago is not', () => {
    expect(rules(scored({ meetings: [meeting('m1', '1', 30)] }))).not.toContain('W4');
    const late = scored({ meetings: [meeting('m1', '1', 31)] });
    expect(rules(late)).toEqual(expect.arrayContaining(['W4', 'A1']));
    expect(late.swot.find((item) => item.ruleId === 'W4')?.text).toBe(
      'No visit for 31 days; strategic accounts are visited every 30 days',
    );
  });

  it('W4 reads visits, not activity, once the portal has meetings', () => {
    // Company 2 had activity 12 days ago (none recorded here) but no meeting of its own.
    const other = scored({ meetings: [meeting('m1', '1', 1)] }, '2');
    expect(other.visits).toMatchObject({ source: 'meetings', daysSinceVisit: null });
    expect(other.swot.find((item) => item.ruleId === 'W4')?.text).toBe(
      'No recorded visit; standard accounts are visited every 90 days',
    );
  });

  it('business reviews match reviewTitlePattern, case-insensitive; A8 at 90 days', () => {
    const reviewed = (days: number, title: string) =>
      scored({ meetings: [meeting('m1', '1', days, { hs_meeting_title: title })] });
    expect(reviewed(90, 'Quarterly business REVIEW').visits.lastReview).toBe('2026-05-17');
    expect(rules(reviewed(90, 'qbr'))).not.toContain('A8');
    expect(rules(reviewed(91, 'QBR'))).toContain('A8');
    expect(rules(reviewed(10, '2026 业务回顾'))).not.toContain('A8');
    expect(rules(reviewed(10, 'Lunch'))).toContain('A8');
    const custom = settingsWith({ reviewTitlePattern: 'steering' });
    const steering = scored(
      { meetings: [meeting('m1', '1', 10, { hs_meeting_title: 'Steering committee' })] },
      '1',
      custom,
    );
    expect(rules(steering)).not.toContain('A8');
  });

  it('executive visits: owned by an executiveUserIds owner; A16 at 365 days, off when none listed', () => {
    const executives = settingsWith({ executiveUserIds: ['900'] });
    const visited = (days: number, owner: string, settings = executives) =>
      scored({ meetings: [meeting('m1', '1', days, { hubspot_owner_id: owner })] }, '1', settings);
    expect(visited(365, '900').visits.lastExecutiveVisit).toBe('2025-08-15');
    expect(rules(visited(365, '900'))).not.toContain('A16');
    expect(rules(visited(366, '900'))).toContain('A16');
    expect(rules(visited(1, '77'))).toContain('A16');
    expect(rules(visited(1, '77', settingsWith({})))).not.toContain('A16');
    // Company 2 is standard: A16 is for strategic accounts only.
    expect(rules(scored({ meetings: [meeting('m1', '1', 1)] }, '2', executives))).not.toContain(
      'A16',
    );
  });

  it('keeps the latest visit time in the facts (A15 reads it)', () => {
    const { facts } = collectAccountFacts(
      {
        companies: COMPANIES,
        deals: DEALS,
        meetings: [
          meeting('m1', '1', 40),
          meeting('m2', '1', 4),
          meeting('m3', '1', 2, { hs_meeting_outcome: 'NO_SHOW' }),
        ],
      },
      settingsWith({}),
      AS_OF,
    );
    expect(facts[0]?.meetings).toEqual({
      meetings: 3,
      lastVisitMs: AS_OF - 4 * 86_400_000,
      lastExecutiveVisitMs: null,
      lastReviewMs: null,
    });
  });
});

describe('§14 profile completeness', () => {
  it('a standard account needs name, industry and owner', () => {
    const profile = scored({}, '2').profile;
    expect(profile).toEqual({
      completeness: 33,
      required: ['name', 'industry', 'owner'],
      missing: ['industry', 'owner'],
    });
  });

  it('a strategic account needs all eight; without contact records the decision maker is not asked', () => {
    const company = scored({});
    expect(company.profile.required).toEqual([
      'name',
      'industry',
      'owner',
      'size',
      'competitors',
      'account_plan',
      'survey',
    ]);
    expect(company.profile.missing).toEqual(['size', 'competitors', 'account_plan', 'survey']);
    expect(company.profile.completeness).toBe(43);
    expect(company.explanations.profile?.text).toBe(
      'Profile 43% complete (3 of 7 required fields); missing size (annual revenue or employees), 2 competitors, an account plan, and a current survey',
    );
  });

  it('with contact records the decision maker counts, and a full profile is 100%', () => {
    const full = [
      company('1', {
        industry: 'Retail',
        hubspot_owner_id: '77',
        numberofemployees: '500',
        kam_competitors: 'Globex\nInitech',
        kam_account_plan: 'Grow 20%',
        kam_survey_date: isoDaysAgo(30).slice(0, 10),
      }),
      COMPANIES[1] as CrmObject,
    ];
    const withDecisionMaker = companyOf(
      score({ companies: full, deals: DEALS, contacts: [person('c1', 'DECISION_MAKER', 1)] }),
      '1',
    );
    expect(withDecisionMaker.profile).toMatchObject({ completeness: 100, missing: [] });
    const without = companyOf(
      score({ companies: full, deals: DEALS, contacts: [person('c1', 'CHAMPION', 1)] }),
      '1',
    );
    expect(without.profile).toMatchObject({ completeness: 88, missing: ['decision_maker'] });
  });

  it('follows profileRequiredFields', () => {
    const settings = settingsWith({ profileRequiredFields: { standard: [] } });
    expect(scored({}, '2', settings).profile).toEqual({
      completeness: 100,
      required: [],
      missing: [],
    });
  });
});

describe('a portal with neither contacts nor meetings', () => {
  it('falls back: coverage unknown, W2 from the contact count, the last activity for visits', () => {
    const strategic = scored({});
    expect(strategic.buyingCentre).toMatchObject({
      source: 'contact_count',
      coverage: null,
      engagedCoverage: null,
      contacts: [],
    });
    expect(strategic.visits).toMatchObject({ source: 'last_activity', daysSinceVisit: 12 });
    expect(strategic.explanations.visits?.rule).toBe('visits.last_activity');
    const standard = scored({}, '2');
    expect(standard.visits).toMatchObject({ source: 'none', daysSinceVisit: null });
    expect(standard.swot.find((item) => item.ruleId === 'W2')?.text).toBe(
      'Single-threaded relationship: 1 contact',
    );
    // No review and no executive visit is asked of a portal that records no meetings.
    const executives = settingsWith({ executiveUserIds: ['900'] });
    expect(rules(scored({}, '1', executives))).not.toEqual(expect.arrayContaining(['A16']));
    expect(rules(strategic).filter((rule) => ['A8', 'A16', 'S5'].includes(rule))).toEqual([]);
  });

  it('empty lists change nothing: the same scores as a portal without the keys', () => {
    const input = { companies: COMPANIES, deals: DEALS };
    expect(score({ ...input, contacts: [], meetings: [], owners: [] })).toEqual(score(input));
  });
});

describe('§9–§10 sentences in Chinese', () => {
  it('S5, W2, W4, A8 (review), A10 and A16 read in Chinese with no English word', () => {
    const zh = messagesFor('zh');
    const executives = settingsWith({ executiveUserIds: ['900'] });
    const companies = [
      scored(
        { contacts: [person('c1', 'EXECUTIVE_SPONSOR', 5)], meetings: [meeting('m1', '1', 400)] },
        '1',
        executives,
      ),
      scored(
        {
          contacts: [person('c1', '', 5, { jobtitle: 'CEO' })],
          meetings: [meeting('m1', '1', 100, { hs_meeting_title: 'QBR' })],
        },
        '1',
        executives,
      ),
      scored({ contacts: [person('c1', 'CHAMPION', 5)], meetings: [meeting('m1', '1', 1)] }, '2'),
      scored({}, '1'),
      scored({}, '2'),
    ];
    const seen = new Set<string>();
    const found: string[] = [];
    for (const company of companies) {
      for (const item of company.swot) {
        if (item.ruleId === null) continue;
        seen.add(item.ruleId);
        const text = swotText(item, 'zh', zh);
        found.push(...englishWords(text, '').map((word) => `${item.ruleId}: ${word} in "${text}"`));
      }
      for (const action of company.actions) {
        seen.add(action.ruleId);
        const text = `${actionTitle(action, 'zh')} ${actionReason(action, 'zh', zh)}`;
        found.push(
          ...englishWords(text, '').map((word) => `${action.ruleId}: ${word} in "${text}"`),
        );
      }
    }
    expect(found).toEqual([]);
    for (const rule of ['S5', 'W2', 'W4', 'A1', 'A8', 'A10', 'A16']) expect(seen).toContain(rule);
  });

  it('says the numbers the English says', () => {
    const zh = messagesFor('zh');
    const company = scored({
      contacts: [person('c1', 'CHAMPION', 5), person('c2', 'INFLUENCER', 100)],
      meetings: [meeting('m1', '1', 31)],
    });
    const text = (rule: string) => {
      const item = company.swot.find((entry) => entry.ruleId === rule);
      return item === undefined ? '' : swotText(item, 'zh', zh);
    };
    expect(text('W2')).toBe(
      '单线联系：最近 90 天仅 1 位联系人有接触，尚不知决策者；缺少决策者、预算负责人、最终用户',
    );
    expect(text('W4')).toBe('已 31 天未拜访；该等级客户每 30 天拜访一次');
    const a8 = company.actions.find((action) => action.ruleId === 'A8');
    expect(a8 && actionReason(a8, 'zh', zh)).toBe('该战略客户尚无业务回顾记录；每 90 天至少一次');
  });
});
