import type { Explanation } from './explanation.ts';
import { formatCount, formatList, isoDate } from './format.ts';
import type { CrmObject } from './hubspot-objects.ts';
import { isBlank, parseInstantProperty } from './hubspot-objects.ts';
import { daysBetween } from './time.ts';

/** The key roles of a buying centre (kam-model.md §9), in the order cards show them. */
export const BUYING_ROLES = [
  'DECISION_MAKER',
  'BUDGET_HOLDER',
  'CHAMPION',
  'INFLUENCER',
  'END_USER',
] as const;
export type BuyingRole = (typeof BUYING_ROLES)[number];
/** A role a contact can be shown with: a key role, or BLOCKER (shown, never "covered"). */
export type ContactRole = BuyingRole | 'BLOCKER';

/** A contact is engaged when `notes_last_contacted` is at most this many days before asOf. */
export const ENGAGED_DAYS = 90;
/** Contacts a company's facts keep by name (the rest are counted): facts stay a few KB. */
export const MAX_CONTACTS_SHOWN = 10;
/** Names and job titles are kept to this many characters. */
export const MAX_CONTACT_TEXT = 80;

const ROLE_ORDER: readonly ContactRole[] = [...BUYING_ROLES, 'BLOCKER'];

/** How a role reads in a sentence. */
export const ROLE_LABEL: Readonly<Record<ContactRole, string>> = {
  DECISION_MAKER: 'decision maker',
  BUDGET_HOLDER: 'budget holder',
  CHAMPION: 'champion',
  INFLUENCER: 'influencer',
  END_USER: 'end user',
  BLOCKER: 'blocker',
};

/** `hs_buying_role` values read as a role; EXECUTIVE_SPONSOR counts as DECISION_MAKER. */
const ROLE_OF_VALUE: ReadonlyMap<string, ContactRole> = new Map<string, ContactRole>([
  ...ROLE_ORDER.map((role): [string, ContactRole] => [role, role]),
  ['EXECUTIVE_SPONSOR', 'DECISION_MAKER'],
]);

/**
 * The roles of an `hs_buying_role` value (multi-select, `;`-separated), in
 * card order, each once. Values that are no role of §9 (OTHER,
 * LEGAL_AND_COMPLIANCE) are left out.
 *
 * @example
 * buyingRoles('EXECUTIVE_SPONSOR;CHAMPION;OTHER') // ['DECISION_MAKER', 'CHAMPION']
 */
export function buyingRoles(value: string | null | undefined): ContactRole[] {
  if (isBlank(value)) return [];
  const found = new Set<ContactRole>();
  for (const part of value.split(';')) {
    const role = ROLE_OF_VALUE.get(part.trim().toUpperCase());
    if (role !== undefined) found.add(role);
  }
  return ROLE_ORDER.filter((role) => found.has(role));
}

/**
 * English titles of the people who decide: C-level, chief, VP, president,
 * director, head, owner, founder, chair, general manager. Whole words only
 * ("Headquarters clerk" is no head).
 */
const EN_DECISION_TITLE =
  /\b(?:C(?:EO|FO|OO|TO|IO|MO|RO|PO|SO|DO|HRO|ISO)|Chief|S?E?VP|Vice[\s-]+President|President|Director|Head|Owner|Co-?owner|Founder|Co-?founder|Chair(?:man|woman|person)?|General\s+Manager|Managing\s+Partner)\b/i;
/**
 * Chinese titles: 总 as in 总经理 / 总裁 / 总监 / 副总 / 王总 (not 总部, 总务),
 * 经理, 董事, 主任, 首席, 创始人, 老板.
 */
const ZH_DECISION_TITLE =
  /总(?:经理|裁|监|工|经济师|会计师)|副总|总$|经理|董事|主任|首席|创始人|老板/;

/** Whether a job title reads as a decision maker's (en and zh). */
export function isDecisionMakerTitle(title: string | null | undefined): boolean {
  if (isBlank(title)) return false;
  const trimmed = title.trim();
  return EN_DECISION_TITLE.test(trimmed) || ZH_DECISION_TITLE.test(trimmed);
}

/** One contact as a company's facts keep it. */
export interface ContactFact {
  readonly id: string;
  readonly name: string | null;
  readonly jobTitle: string | null;
  /** From `hs_buying_role`, in card order. */
  readonly roles: readonly ContactRole[];
  /** The job title reads as a decision maker's (counts only when no contact of the company has a role). */
  readonly titleDecisionMaker: boolean;
  readonly lastContactedMs: number | null;
  readonly ownerId: string | null;
}

/** A company's contacts, summed up as they stream past: a bounded list and counts. */
export interface ContactFacts {
  readonly total: number;
  /** At most MAX_CONTACTS_SHOWN: contacts with roles first, then engaged, then most recently contacted. */
  readonly shown: readonly ContactFact[];
  /** Per key role some contact holds: the latest `notes_last_contacted` among them (null: never). */
  readonly roleLastContactedMs: Readonly<Partial<Record<BuyingRole, number | null>>>;
  /** Some contact has a role of §9 (then job titles infer nothing). */
  readonly anyRole: boolean;
  /** Contacts whose job title reads as a decision maker's… */
  readonly titleDecisionMakers: number;
  /** …and the latest contact with one of them. */
  readonly titleLastContactedMs: number | null;
  /** Contacts contacted in the ENGAGED_DAYS before asOf. */
  readonly engaged: number;
}

/** A company without contacts: shared by most companies. */
export const NO_CONTACTS: ContactFacts = Object.freeze({
  total: 0,
  shown: Object.freeze([]),
  roleLastContactedMs: Object.freeze({}),
  anyRole: false,
  titleDecisionMakers: 0,
  titleLastContactedMs: null,
  engaged: 0,
});

/** Whether a contact made at `ms` is engaged as of `asOfMs`. */
export function isEngaged(ms: number | null | undefined, asOfMs: number): boolean {
  return ms != null && ms <= asOfMs && daysBetween(ms, asOfMs) <= ENGAGED_DAYS;
}

function clip(text: string | null): string | null {
  return text === null || text.length <= MAX_CONTACT_TEXT ? text : text.slice(0, MAX_CONTACT_TEXT);
}

function text(value: string | null | undefined): string | null {
  return isBlank(value) ? null : value.trim();
}

/** Reads one contact; an unparsable `notes_last_contacted` counts as never contacted. */
export function readContact(contact: CrmObject): ContactFact {
  const p = contact.properties;
  const name = [text(p.firstname), text(p.lastname)].filter((part) => part !== null).join(' ');
  const jobTitle = clip(text(p.jobtitle));
  const last = parseInstantProperty(p.notes_last_contacted);
  return {
    id: contact.id,
    name: clip(name === '' ? null : name),
    jobTitle,
    roles: buyingRoles(p.hs_buying_role),
    titleDecisionMaker: isDecisionMakerTitle(jobTitle),
    lastContactedMs: last === null || Number.isNaN(last) ? null : last,
    ownerId: text(p.hubspot_owner_id),
  };
}

/** Contacts with roles first, then senior titles, then engaged, then most recent; ties by id. */
function compareContacts(a: ContactFact, b: ContactFact, asOfMs: number): number {
  const rank = (contact: ContactFact): number =>
    (contact.roles.length > 0 ? 4 : 0) +
    (contact.titleDecisionMaker ? 2 : 0) +
    (isEngaged(contact.lastContactedMs, asOfMs) ? 1 : 0);
  return (
    rank(b) - rank(a) ||
    (b.lastContactedMs ?? -Infinity) - (a.lastContactedMs ?? -Infinity) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A company's contact facts while they are being collected. */
export type ContactTotals = Mutable<ContactFacts> & {
  shown: ContactFact[];
  roleLastContactedMs: Partial<Record<BuyingRole, number | null>>;
};

function latest(a: number | null | undefined, b: number | null): number | null {
  if (a == null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * Adds one contact to a company's running totals (null starts them). The
 * result does not depend on the order contacts arrive in.
 */
export function addContact(
  totals: ContactTotals | undefined,
  contact: ContactFact,
  asOfMs: number,
): ContactTotals {
  const into: ContactTotals = totals ?? {
    total: 0,
    shown: [],
    roleLastContactedMs: {},
    anyRole: false,
    titleDecisionMakers: 0,
    titleLastContactedMs: null,
    engaged: 0,
  };
  into.total += 1;
  if (isEngaged(contact.lastContactedMs, asOfMs)) into.engaged += 1;
  for (const role of contact.roles) {
    into.anyRole = true;
    if (role === 'BLOCKER') continue;
    into.roleLastContactedMs[role] = latest(
      into.roleLastContactedMs[role],
      contact.lastContactedMs,
    );
  }
  if (contact.titleDecisionMaker) {
    into.titleDecisionMakers += 1;
    into.titleLastContactedMs = latest(into.titleLastContactedMs, contact.lastContactedMs);
  }
  const shown = into.shown;
  if (shown.some((kept) => kept.id === contact.id)) return into;
  const worst = shown[shown.length - 1];
  if (shown.length < MAX_CONTACTS_SHOWN) shown.push(contact);
  else if (worst !== undefined && compareContacts(contact, worst, asOfMs) < 0) {
    shown[shown.length - 1] = contact;
  } else return into;
  shown.sort((a, b) => compareContacts(a, b, asOfMs));
  return into;
}

/** One contact as the card's matrix shows it. */
export interface BuyingCentreContact {
  readonly id: string;
  readonly name: string | null;
  readonly jobTitle: string | null;
  readonly roles: readonly ContactRole[];
  /** DECISION_MAKER read from the job title: no contact of the company has a role. */
  readonly inferred: boolean;
  readonly engaged: boolean;
  /** YYYY-MM-DD. */
  readonly lastContacted: string | null;
  readonly ownerId: string | null;
}

/** kam-model.md §9: who buys, who is engaged, which roles are missing. */
export interface BuyingCentre {
  /** `contact_count`: the portal has no contact records; `num_associated_contacts` stands in. */
  readonly source: 'contacts' | 'contact_count';
  readonly contacts: readonly BuyingCentreContact[];
  readonly contactsNotShown: number;
  /** 100 × key roles with a contact / 5; null without contact records. */
  readonly coverage: number | null;
  /** 100 × key roles with an engaged contact / 5; null without contact records. */
  readonly engagedCoverage: number | null;
  readonly covered: readonly BuyingRole[];
  readonly engagedRoles: readonly BuyingRole[];
  readonly missing: readonly BuyingRole[];
  readonly engagedContacts: number;
  /** The decision maker was read from job titles. */
  readonly inferred: boolean;
  /** Days since a decision maker (or executive sponsor) was last contacted; null: never, or none known. */
  readonly daysSinceDecisionMaker: number | null;
}

const NONE: readonly BuyingRole[] = Object.freeze([]);

/**
 * The buying centre of one company from its contact facts.
 *
 * @param portalHasContacts whether any company of the portal has a contact
 *   record; without any, `num_associated_contacts` stands in (W2's fallback)
 */
export function buyingCentre(
  facts: ContactFacts,
  portalHasContacts: boolean,
  asOfMs: number,
): BuyingCentre {
  if (!portalHasContacts) {
    return {
      source: 'contact_count',
      contacts: [],
      contactsNotShown: 0,
      coverage: null,
      engagedCoverage: null,
      covered: NONE,
      engagedRoles: NONE,
      missing: NONE,
      engagedContacts: 0,
      inferred: false,
      daysSinceDecisionMaker: null,
    };
  }
  const inferred = !facts.anyRole && facts.titleDecisionMakers > 0;
  const roleLast: Partial<Record<BuyingRole, number | null>> = inferred
    ? { DECISION_MAKER: facts.titleLastContactedMs }
    : facts.roleLastContactedMs;
  const covered = BUYING_ROLES.filter((role) => role in roleLast);
  const engagedRoles = covered.filter((role) => isEngaged(roleLast[role], asOfMs));
  const decisionMakerMs = roleLast.DECISION_MAKER ?? null;
  return {
    source: 'contacts',
    contacts: facts.shown.map((contact) => {
      const inferredHere = inferred && contact.titleDecisionMaker;
      return {
        id: contact.id,
        name: contact.name,
        jobTitle: contact.jobTitle,
        roles: inferredHere ? ['DECISION_MAKER'] : contact.roles,
        inferred: inferredHere,
        engaged: isEngaged(contact.lastContactedMs, asOfMs),
        lastContacted: contact.lastContactedMs === null ? null : isoDate(contact.lastContactedMs),
        ownerId: contact.ownerId,
      };
    }),
    contactsNotShown: facts.total - facts.shown.length,
    coverage: (100 * covered.length) / BUYING_ROLES.length,
    engagedCoverage: (100 * engagedRoles.length) / BUYING_ROLES.length,
    covered,
    engagedRoles,
    missing: BUYING_ROLES.filter((role) => !(role in roleLast)),
    engagedContacts: facts.engaged,
    inferred,
    daysSinceDecisionMaker:
      decisionMakerMs === null ? null : Math.max(0, daysBetween(decisionMakerMs, asOfMs)),
  };
}

/** Roles as a sentence lists them: 'budget holder and end user'. */
export function roleList(roles: readonly ContactRole[]): string {
  return formatList(roles.map((role) => ROLE_LABEL[role]));
}

/** The coverage explanation a card shows (rule, inputs, numbers). */
export function buyingCentreExplanation(
  centre: BuyingCentre,
  associatedContacts: number | null,
): Explanation {
  if (centre.source === 'contact_count') {
    return {
      rule: 'buyingCentre.contact_count',
      text:
        associatedContacts === null
          ? 'No contact records in the portal: buying roles unknown'
          : `No contact records in the portal: ${formatCount(associatedContacts, 'associated contact', 'associated contacts')}, buying roles unknown`,
      inputs: { contacts: associatedContacts },
    };
  }
  const coverage = centre.coverage ?? 0;
  const engagedCoverage = centre.engagedCoverage ?? 0;
  const missing =
    centre.missing.length === 0 ? 'no role missing' : `missing ${roleList(centre.missing)}`;
  return {
    rule: centre.inferred ? 'buyingCentre.inferred' : 'buyingCentre.roles',
    text:
      `Buying centre ${coverage}% covered, ${engagedCoverage}% engaged in the last ${ENGAGED_DAYS} days; ${missing}` +
      (centre.inferred
        ? ' (decision maker inferred from the job title: no contact has a buying role)'
        : ''),
    inputs: {
      coverage,
      engagedCoverage,
      covered: centre.covered.join('; '),
      missing: centre.missing.join('; '),
      engagedContacts: centre.engagedContacts,
      inferred: centre.inferred,
    },
  };
}
