import type { CrmObject, HubSpotOwner } from '../../src/hubspot-objects.ts';

/**
 * The synthetic portal's people and meetings (kam-model.md §9, §10): the
 * contacts of each company (as many as its `num_associated_contacts`, which
 * HubSpot counts from them), a buying role on a minority of them as in real
 * portals, job titles in English and Chinese; the meetings of the last
 * 400 days and a few older ones; the portal's owners. Drawn from their own
 * seeded stream, so every record the generator drew before stays as it was.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** The portal's owners: the four reps who own companies, and a VP who visits the largest. */
export const SYNTHETIC_OWNERS: readonly HubSpotOwner[] = [
  owner('71000001', 'Alice', 'Morgan', 9_100_001),
  owner('71000002', 'Bo', 'Chen', 9_100_002),
  owner('71000003', 'Carla', 'Diaz', 9_100_003),
  owner('71000004', 'Daniel', 'Okafor', 9_100_004),
  owner('71000005', 'Wei', 'Zhang', 9_100_005),
];
/** The owner whose meetings are executive visits once an admin lists them. */
export const SYNTHETIC_EXECUTIVE_OWNER_ID = '71000005';

function owner(id: string, firstName: string, lastName: string, userId: number): HubSpotOwner {
  const email = `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.com`;
  return { id, email, firstName, lastName, userId, archived: false };
}

const FIRST_NAMES = ['Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Farid', 'Grace', 'Hiro', 'Ines'];
const LAST_NAMES = ['Becker', 'Costa', 'Eriksen', 'Fischer', 'Kowalski', 'Novak', 'Silva'];
const ZH_SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵'];
const ZH_GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋'];
/** Titles people hold; the first ones name a decision maker when no role is set (§9). */
const SENIOR_TITLES = [
  'CEO',
  'Chief Operating Officer',
  'VP Procurement',
  'Director of IT',
  'Head of Operations',
  'Founder',
] as const;
const SENIOR_TITLES_ZH = ['总经理', '采购总监', '副总裁', '董事长', '办公室主任'] as const;
const OTHER_TITLES = [
  'Procurement Specialist',
  'IT Administrator',
  'Operations Analyst',
  'Project Engineer',
  'Accountant',
  'Office Coordinator',
] as const;
const OTHER_TITLES_ZH = ['采购专员', '工程师', '会计', '行政助理'] as const;
/** HubSpot's `hs_buying_role` values (multi-select). */
const BUYING_ROLES = [
  'DECISION_MAKER',
  'BUDGET_HOLDER',
  'CHAMPION',
  'INFLUENCER',
  'END_USER',
  'EXECUTIVE_SPONSOR',
  'BLOCKER',
] as const;
const MEETING_OUTCOMES = [
  'COMPLETED',
  'COMPLETED',
  'COMPLETED',
  'COMPLETED',
  'NO_SHOW',
  'CANCELED',
  'RESCHEDULED',
] as const;
const MEETING_TITLES = ['Account visit', 'Site visit', 'Product demo', 'Pricing discussion'];
const REVIEW_TITLES = ['Quarterly business review', 'QBR', '业务回顾', '经营分析会'];

export interface PeopleAndMeetings {
  readonly contacts: CrmObject[];
  readonly meetings: CrmObject[];
}

/** Contacts and meetings for `companies`; ids start at 6,000,000 and 7,000,000. */
export function contactsAndMeetings(
  companies: readonly CrmObject[],
  random: Random,
  asOfMs: number,
): PeopleAndMeetings {
  const contacts: CrmObject[] = [];
  const meetings: CrmObject[] = [];
  for (const company of companies) {
    const count = Number(company.properties.num_associated_contacts ?? 0);
    const chinese = random() < 0.25;
    // Roles are set in about one company in three, and there on some contacts only.
    const rolesSet = random() < 0.35;
    for (let index = 0; index < count; index += 1) {
      contacts.push(contact(contacts.length, company.id, random, asOfMs, chinese, rolesSet));
    }
    const size = Number(company.properties.numberofemployees ?? 0);
    const meetingCount = count === 0 ? 0 : Math.floor(random() * Math.min(2 + size / 200, 14));
    for (let index = 0; index < meetingCount; index += 1) {
      meetings.push(meeting(meetings.length, company, random, asOfMs));
    }
  }
  return { contacts, meetings };
}

function contact(
  index: number,
  companyId: string,
  random: Random,
  asOfMs: number,
  chinese: boolean,
  rolesSet: boolean,
): CrmObject {
  const senior = random() < 0.2;
  const title = chinese
    ? pick(random, senior ? SENIOR_TITLES_ZH : OTHER_TITLES_ZH)
    : pick(random, senior ? SENIOR_TITLES : OTHER_TITLES);
  const roles = new Set<string>();
  if (rolesSet && random() < 0.6) {
    roles.add(pick(random, BUYING_ROLES));
    if (random() < 0.2) roles.add(pick(random, BUYING_ROLES));
  }
  const contacted = random() < 0.8 ? asOfMs - Math.floor(random() * 300) * DAY_MS : null;
  return {
    id: String(6_000_000 + index),
    properties: {
      firstname: chinese ? pick(random, ZH_GIVEN) : pick(random, FIRST_NAMES),
      lastname: chinese ? pick(random, ZH_SURNAMES) : pick(random, LAST_NAMES),
      email: `contact${6_000_000 + index}@example.com`,
      jobtitle: random() < 0.9 ? title : null,
      hs_buying_role: roles.size === 0 ? null : [...roles].join(';'),
      notes_last_contacted: contacted === null ? null : new Date(contacted).toISOString(),
      hubspot_owner_id: random() < 0.7 ? pick(random, SYNTHETIC_OWNERS).id : null,
      createdate: new Date(asOfMs - Math.floor(200 + random() * 900) * DAY_MS).toISOString(),
    },
    associations: { companies: { results: [{ id: companyId, type: 'contact_to_company' }] } },
  };
}

/**
 * A meeting with the company: most in the last 400 days, some older (which
 * the app does not read), some still to come (SCHEDULED); most completed,
 * some not held; one in six a business review; a few with the executive.
 */
function meeting(index: number, company: CrmObject, random: Random, asOfMs: number): CrmObject {
  const draw = random();
  const daysAgo =
    draw < 0.1 ? -Math.ceil(random() * 30) : draw < 0.2 ? 400 + random() * 300 : random() * 400;
  const startMs = Math.round(asOfMs - daysAgo * DAY_MS);
  const outcome = startMs > asOfMs ? 'SCHEDULED' : pick(random, MEETING_OUTCOMES);
  const review = random() < 1 / 6;
  const executive = random() < 0.1;
  const ownerId = executive
    ? SYNTHETIC_EXECUTIVE_OWNER_ID
    : (company.properties.hubspot_owner_id ?? pick(random, SYNTHETIC_OWNERS).id);
  return {
    id: String(7_000_000 + index),
    properties: {
      hs_meeting_title: review ? pick(random, REVIEW_TITLES) : pick(random, MEETING_TITLES),
      hs_meeting_start_time: new Date(startMs).toISOString(),
      hs_meeting_end_time: new Date(startMs + HOUR_MS).toISOString(),
      hs_timestamp: new Date(startMs).toISOString(),
      hs_meeting_outcome: outcome,
      hubspot_owner_id: ownerId,
      hs_createdate: new Date(Math.min(startMs, asOfMs) - 7 * DAY_MS).toISOString(),
    },
    associations: {
      companies: { results: [{ id: company.id, type: 'meeting_event_to_company' }] },
    },
  };
}
