import { afterEach, describe, expect, it, vi } from 'vitest';
import { RelationshipCard } from '../../extension/app/cards/relationship/RelationshipCard.tsx';
import {
  Checkbox,
  CrmActionButton,
  LoadingSpinner,
  ProgressBar,
  Table,
  Tag,
  Tile,
} from '../../extension/app/cards/testing.ts';
import {
  PROFILE_FIELDS,
  type BuyingCentre,
  type CompanyScore,
  type Profile,
  type Visits,
} from '../../extension/app/cards/lib/types.ts';
import {
  MAP_BUYING_CENTRE as A10,
  fixtures,
  mockBackend,
  on,
  renderCard,
  scorecardFor,
} from './support/card-harness.ts';

const SCORECARD = '/api/v1/companies/1003/scorecard';
const strategic = fixtures.companies.strategic;

/** A buying centre with roles set in HubSpot: two of five roles covered, one engaged, a blocker. */
const CENTRE: BuyingCentre = {
  source: 'contacts',
  contacts: [
    {
      id: '501',
      name: 'Ingrid Olsen',
      jobTitle: 'CFO',
      roles: ['DECISION_MAKER', 'BUDGET_HOLDER'],
      inferred: false,
      engaged: true,
      lastContacted: '2026-10-20',
      ownerId: '71000003',
    },
    {
      id: '502',
      name: 'Per Lund',
      jobTitle: 'IT manager',
      roles: ['BLOCKER'],
      inferred: false,
      engaged: false,
      lastContacted: '2026-03-02',
      ownerId: '71000009',
    },
    {
      id: '503',
      name: null,
      jobTitle: null,
      roles: [],
      inferred: false,
      engaged: false,
      lastContacted: null,
      ownerId: null,
    },
  ],
  contactsNotShown: 1,
  coverage: 40,
  engagedCoverage: 40,
  covered: ['DECISION_MAKER', 'BUDGET_HOLDER'],
  engagedRoles: ['DECISION_MAKER', 'BUDGET_HOLDER'],
  missing: ['CHAMPION', 'INFLUENCER', 'END_USER'],
  engagedContacts: 1,
  inferred: false,
};

const VISITS: Visits = {
  source: 'meetings',
  daysSinceVisit: 45,
  lastVisit: '2026-09-17',
  lastExecutiveVisit: '2026-02-10',
  lastReview: null,
  cadenceDays: 30,
};

const PROFILE: Profile = {
  completeness: 63,
  required: PROFILE_FIELDS,
  missing: ['competitors', 'account_plan', 'survey'],
};

function company(overrides: Partial<CompanyScore> = {}): CompanyScore {
  return {
    ...strategic,
    ownerId: '71000003',
    buyingCentre: CENTRE,
    visits: VISITS,
    profile: PROFILE,
    ...overrides,
  };
}

const OWNER_NAMES = { '71000003': 'Mei Chen' };

function renderRelationship(
  target: CompanyScore | null,
  locale = 'en-us',
  ownerNames: Record<string, string> = OWNER_NAMES,
) {
  mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(target, { ownerNames }) }));
  return renderCard(RelationshipCard, { locale });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Relationship card', () => {
  it('shows a spinner while loading', () => {
    mockBackend(on('GET', SCORECARD, 'never'));
    const card = renderCard(RelationshipCard);
    expect(card.find(LoadingSpinner).props.label).toBe('Loading…');
  });

  it('draws the buying centre as roles × contacts: who holds which role, who is engaged, who owns them, what is missing', async () => {
    const card = renderRelationship(company());
    await card.waitForText('Buying centre');
    const matrix = card.findByTestId(Table, 'buying-centre-matrix').toString();
    for (const header of [
      'Decision maker',
      'Budget holder',
      'Champion',
      'Influencer',
      'End user',
      'Blocker',
      'Engaged',
      'Owned by',
    ]) {
      expect(matrix).toContain(header);
    }
    // The owner by name where the scorecard has it ("Mei Chen"), by id where it does not.
    for (const text of [
      'Ingrid Olsen',
      'last contacted 2026-10-20',
      'Mei Chen',
      'owner 71000009',
      'Unnamed contact',
      'never contacted',
      'Not engaged',
    ]) {
      expect(matrix).toContain(text);
    }
    const tags = card.findAll(Tag).map((tag) => tag.text);
    // Ingrid holds two roles and is engaged: two ticks; the blocker is named, never a tick.
    expect(tags.filter((text) => text === '✓')).toHaveLength(2);
    expect(tags).toContain('Blocker');
    const missing = card.findByTestId(Tile, 'relationship-buying-centre').toString();
    expect(missing).toContain('Missing roles');
    expect(tags).toEqual(expect.arrayContaining(['Champion', 'Influencer', 'End user']));
    expect(missing).toContain('1 more contact not shown');
    expect(card.findAll(ProgressBar).map((bar) => [bar.props.title, bar.props.value])).toEqual(
      expect.arrayContaining([
        ['Roles covered: 2 of 5', 40],
        ['Roles engaged in the last 90 days: 2 of 5', 40],
      ]),
    );
    expect(card.screen()).not.toContain('inferred from the job title');
  });

  it('shows visits, the cadence of the tier, the profile checklist and the owner by name', async () => {
    const card = renderRelationship(company());
    await card.waitForText('Visits');
    expect(card.screen()).toContain('Mei Chen');
    const visits = card.findByTestId(Tile, 'relationship-visits').toString();
    for (const text of [
      'Last visit',
      '2026-09-17 (45 days ago)',
      'Last executive visit',
      '2026-02-10',
      'Last business review',
      'None yet',
      'Every 30 days',
      '45 days since the last visit: over the cadence of 30 days',
    ]) {
      expect(visits).toContain(text);
    }
    expect(visits).not.toContain('this portal has no meetings');
    const profile = card.findByTestId(Tile, 'relationship-profile');
    expect(profile.find(ProgressBar).props).toMatchObject({ title: '63% complete', value: 63 });
    expect(profile.findAll(Checkbox).map((box) => [box.text, box.props.checked])).toEqual([
      ['At least 2 competitors', false],
      ['An account plan', false],
      ['A current satisfaction survey', false],
    ]);
  });

  it('says so when a key account has no owner, and counts agree with their noun', async () => {
    const card = renderRelationship(
      company({
        ownerId: null,
        visits: { ...VISITS, daysSinceVisit: 1, lastVisit: '2026-10-31', cadenceDays: 1 },
        buyingCentre: { ...CENTRE, contactsNotShown: 2 },
      }),
    );
    await card.waitForText('No owner: a key account needs one named person responsible');
    expect(card.screen()).toContain('2026-10-31 (1 day ago)');
    expect(card.screen()).toContain('Every 1 day');
    expect(card.screen()).toContain('2 more contacts not shown');
  });

  it('shows it in Chinese', async () => {
    const card = renderRelationship(company(), 'zh-cn');
    await card.waitForText('采购中心');
    const screen = card.screen();
    for (const text of [
      '决策者',
      '预算负责人',
      '反对者',
      '最近联系 2026-10-20',
      '另有 1 位联系人未显示',
      '缺少的角色',
      '最近拜访',
      '2026-09-17（45 天前）',
      '最近高层拜访',
      '最近业务回顾',
      '每 30 天',
      '完整度 63%',
      '至少 2 家竞争对手',
      '负责人',
      'Mei Chen',
      '安排会议',
      '待办：安排客户拜访、业务回顾会议',
    ]) {
      expect(screen).toContain(text);
    }
    expect(screen).not.toMatch(/Decision maker|Last visit|complete|Schedule/);
  });

  it('marks roles inferred from the job title', async () => {
    const inferred: BuyingCentre = {
      ...CENTRE,
      contacts: [
        {
          id: '601',
          name: '王伟',
          jobTitle: '采购总监',
          roles: ['DECISION_MAKER'],
          inferred: true,
          engaged: true,
          lastContacted: '2026-10-01',
          ownerId: null,
        },
      ],
      contactsNotShown: 0,
      coverage: 20,
      engagedCoverage: 20,
      covered: ['DECISION_MAKER'],
      engagedRoles: ['DECISION_MAKER'],
      missing: ['BUDGET_HOLDER', 'CHAMPION', 'INFLUENCER', 'END_USER'],
      inferred: true,
    };
    const card = renderRelationship(company({ buyingCentre: inferred }));
    await card.waitForText('decision makers are inferred from the job title');
    expect(card.findAll(Tag).map((tag) => tag.text)).toContain('✓ inferred from the job title');
    // No blocker among the contacts: no blocker column.
    expect(card.findByTestId(Table, 'buying-centre-matrix').toString()).not.toContain('Blocker');
    const zh = renderRelationship(company({ buyingCentre: inferred }), 'zh-cn');
    await zh.waitForText('决策者根据职位推断');
    expect(zh.findAll(Tag).map((tag) => tag.text)).toContain('✓ 根据职位推断');
  });

  it('falls back to the contact count when the portal has no contact records', async () => {
    const fallback: BuyingCentre = {
      source: 'contact_count',
      contacts: [],
      contactsNotShown: 0,
      coverage: null,
      engagedCoverage: null,
      covered: [],
      engagedRoles: [],
      missing: [],
      engagedContacts: 0,
      inferred: false,
    };
    const card = renderRelationship(
      company({ buyingCentre: fallback, metrics: { ...strategic.metrics, contacts: 1 } }),
    );
    await card.waitForText(
      'This portal has no contact records: the buying centre is measured from the company’s contact count (1 contact).',
    );
    expect(card.maybeFind(Table)).toBeNull();
    expect(card.screen()).not.toContain('Missing roles');
    expect(card.screen()).not.toContain('Roles covered');
    const zh = renderRelationship(
      company({ buyingCentre: fallback, metrics: { ...strategic.metrics, contacts: 3 } }),
      'zh-cn',
    );
    await zh.waitForText(
      '此 HubSpot 账户没有联系人记录：采购中心按公司的联系人数计算（3 位联系人）。',
    );
  });

  it('measures from the last activity when the portal has no meetings, and says so', async () => {
    const fallback: Visits = {
      source: 'last_activity',
      daysSinceVisit: 197,
      lastVisit: '2026-04-18',
      lastExecutiveVisit: null,
      lastReview: null,
      cadenceDays: 30,
    };
    const card = renderRelationship(company({ visits: fallback }));
    await card.waitForText('Measured from the last activity: this portal has no meetings.');
    const visits = card.findByTestId(Tile, 'relationship-visits').toString();
    expect(visits).toContain('Last activity');
    expect(visits).toContain('2026-04-18 (197 days ago)');
    // Executive visits and reviews are meetings: without meetings they are not measured.
    expect(visits).not.toContain('Last executive visit');
    expect(visits).not.toContain('Last business review');
    const zh = renderRelationship(company({ visits: fallback }), 'zh-cn');
    await zh.waitForText('按最近活动计算：此 HubSpot 账户没有会议记录。');
  });

  it('shows each section empty for a company with nothing: no contacts, no visit, no owner, no cadence', async () => {
    const nothing = company({
      ownerId: null,
      tier: 'unrated',
      actions: [],
      buyingCentre: {
        ...CENTRE,
        contacts: [],
        contactsNotShown: 0,
        coverage: 0,
        engagedCoverage: 0,
        covered: [],
        engagedRoles: [],
        missing: ['DECISION_MAKER', 'BUDGET_HOLDER', 'CHAMPION', 'INFLUENCER', 'END_USER'],
        engagedContacts: 0,
      },
      visits: {
        source: 'none',
        daysSinceVisit: null,
        lastVisit: null,
        lastExecutiveVisit: null,
        lastReview: null,
        cadenceDays: null,
      },
      profile: {
        completeness: 0,
        required: ['name', 'industry', 'owner'],
        missing: ['name', 'industry', 'owner'],
      },
    });
    const card = renderRelationship(nothing, 'en-us', {});
    await card.waitForText('No contact is associated with this company.');
    const screen = card.screen();
    expect(screen).toContain('No owner');
    expect(screen).toContain('No meeting or activity recorded for this company.');
    expect(screen).toContain('None (unrated)');
    expect(screen).toContain('0% complete');
    expect(card.maybeFind(Table)).toBeNull();
    expect(card.maybeFind(CrmActionButton)).toBeNull();
    expect(screen).not.toContain('undefined');
  });

  it('says the account is not scored yet, or was scored before the relationship was measured', async () => {
    const card = renderRelationship(null);
    await card.waitForText('Not scored yet');
    const older: CompanyScore = { ...strategic };
    const before = renderRelationship(older);
    await before.waitForText('Not measured yet');
  });

  it('offers a meeting only where A1, A8 or A16 ask for a visit, and an e-mail only where A10 asks for the buying centre', async () => {
    // The strategic fixture's actions ask for a visit (A1) and a review (A8), not for the buying centre.
    const card = renderRelationship(company());
    await card.waitForText('Visits');
    const visits = card.findByTestId(Tile, 'relationship-visits');
    expect(visits.find(CrmActionButton).props).toMatchObject({
      actionType: 'SCHEDULE_MEETING',
      actionContext: { objectTypeId: '0-2', objectId: 1003 },
    });
    expect(visits.toString()).toContain(
      'Asked for: Schedule an account visit; Business review meeting',
    );
    expect(
      card.findByTestId(Tile, 'relationship-buying-centre').maybeFind(CrmActionButton),
    ).toBeNull();

    const mapping = renderRelationship(company({ actions: [A10] }));
    await mapping.waitForText('Asked for: Map the buying centre');
    const centre = mapping.findByTestId(Tile, 'relationship-buying-centre');
    expect(centre.find(CrmActionButton).props.actionType).toBe('SEND_EMAIL');
    expect(mapping.findByTestId(Tile, 'relationship-visits').maybeFind(CrmActionButton)).toBeNull();
  });
});
