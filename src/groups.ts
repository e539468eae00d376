/**
 * Group accounts (kam-model.md §11): a top parent with all its descendants
 * is one group, tiered by §3 over groups; a standalone company is a group of
 * one whose id is its own.
 */
import type { Explanation } from './explanation.ts';
import { formatCount, formatList, formatMoney, formatPercent, round } from './format.ts';
import type { Settings, Tier } from './settings.ts';
import { RATED_TIERS, TIER_LABEL } from './settings.ts';
import type { TierInput, Tiering, TierResult } from './tiering.ts';
import { assignTiers, compareHubSpotIds } from './tiering.ts';

/** What grouping needs of one company. */
export interface GroupMemberInput {
  readonly companyId: string;
  readonly name: string | null;
  readonly parentCompanyId: string | null;
  readonly revenueTtm: number;
  readonly revenuePrev: number;
  readonly pipelineWeighted: number;
  readonly openComplaints: number;
  /** Lines won in the last 2W (O3 names the ones siblings buy). */
  readonly productLines: readonly string[];
}

export interface GroupMember {
  readonly id: string;
  readonly name: string | null;
  readonly revenueTtm: number;
}

/** A group as the card shows it (CompanyScore.group): its top parent, members' sums and tier. */
export interface GroupFigures {
  /** The top parent's company id. */
  readonly id: string;
  /** The top parent's name. */
  readonly name: string | null;
  /** §3 over groups. */
  readonly tier: Tier;
  /** Members; 1 = standalone. */
  readonly size: number;
  readonly revenueTtm: number;
  readonly revenuePrev: number;
  readonly pipelineWeighted: number;
  readonly openComplaints: number;
  /** The member with the most revenueTtm (ties: lower id); null when none has revenue. */
  readonly biggestMember: GroupMember | null;
}

/** What the portfolio's groups view reads of a group. */
export type GroupRow = Pick<Group, 'id' | 'name' | 'tier' | 'size' | 'revenueTtm'>;

/** One group, with why it has its tier. */
export interface Group extends GroupFigures {
  readonly tierExplanation: Explanation;
}

/** The figures alone, as a new object of one shape. */
export function groupFigures(group: GroupFigures): GroupFigures {
  return {
    id: group.id,
    name: group.name,
    tier: group.tier,
    size: group.size,
    revenueTtm: group.revenueTtm,
    revenuePrev: group.revenuePrev,
    pipelineWeighted: group.pipelineWeighted,
    openComplaints: group.openComplaints,
    biggestMember: group.biggestMember,
  };
}

/** One company's group, as its standing keeps it (CompanyScore.group plus what O3 reads). */
export interface GroupStanding extends GroupFigures {
  /** Lines other members won in the last 2W and this company did not, sorted. */
  readonly siblingLines: readonly string[];
  readonly explanations: { readonly tier: Explanation; readonly membership: Explanation };
}

export interface Grouping {
  /** The group of the company at `index`, built when read (a re-rank reads few). */
  readonly standingAt: (index: number) => GroupStanding;
  /**
   * Whether the company's group reads as `before` in what its written group
   * properties (§11) and O3's sibling lines show, without building it.
   */
  readonly showsAlike: (index: number, before: GroupStanding) => boolean;
  /** Each company's group, in the order of the companies given (built on first use). */
  readonly standings: readonly GroupStanding[];
  /**
   * Every group, largest revenueTtm first (ties: lower id first), as the
   * groups view reads it; built on first use.
   */
  readonly groups: readonly GroupRow[];
}

const NO_LINES: readonly string[] = Object.freeze([]);

/**
 * The top parent of every company (by position): the parent chain is followed
 * up to a company with no parent; a parent missing from the portal ends the
 * walk at the last company reached; a cycle ends at its member with the
 * lowest id, so every member of a cycle lands in the same group.
 */
export function topParents(companies: readonly GroupMemberInput[]): number[] {
  // Positions of the companies named as a parent: few, next to 100k companies.
  const indexOf = new Map<string, number>();
  for (const company of companies) {
    if (company.parentCompanyId !== null) indexOf.set(company.parentCompanyId, -1);
  }
  companies.forEach((company, index) => {
    if (indexOf.get(company.companyId) === -1) indexOf.set(company.companyId, index);
  });
  for (const [id, index] of indexOf) if (index === -1) indexOf.delete(id);
  const parentOf = (index: number): number | undefined => {
    const parentId = (companies[index] as GroupMemberInput).parentCompanyId;
    return parentId === null ? undefined : indexOf.get(parentId);
  };
  const top = new Array<number>(companies.length).fill(-1);
  // 0: not seen; 1: on the walk now; 2: its top parent is known.
  const state = new Uint8Array(companies.length);
  const walk: number[] = [];
  for (let start = 0; start < companies.length; start += 1) {
    if (state[start] === 2) continue;
    walk.length = 0;
    let at: number | undefined = start;
    let root = -1;
    while (at !== undefined) {
      if (state[at] === 2) {
        root = top[at] as number;
        break;
      }
      if (state[at] === 1) {
        // A cycle: from `at` round to itself. Its lowest id is its top.
        const cycle = walk.slice(walk.indexOf(at));
        root = cycle.reduce((lowest, member) =>
          compareHubSpotIds(
            (companies[member] as GroupMemberInput).companyId,
            (companies[lowest] as GroupMemberInput).companyId,
          ) < 0
            ? member
            : lowest,
        );
        break;
      }
      state[at] = 1;
      walk.push(at);
      const parent = parentOf(at);
      if (parent === undefined) root = at;
      at = parent;
    }
    for (const member of walk) {
      top[member] = root;
      state[member] = 2;
    }
  }
  return top;
}

/**
 * Which group each company is in (§11), by position: it depends on the
 * companies' ids and parents alone, so a change of revenue keeps it.
 */
export interface GroupLayout {
  /** The group (its position) of the company at each position. */
  readonly groupOf: Int32Array;
  /** The top parent's position of each group. */
  readonly rootPositions: readonly number[];
  readonly sizeOf: (group: number) => number;
  /** The members' positions, in the companies' order. */
  readonly membersOf: (group: number) => Int32Array;
}

export function groupLayout(companies: readonly GroupMemberInput[]): GroupLayout {
  const top = topParents(companies);
  const count = companies.length;
  // Typed arrays by position, not maps and a list per group: a portfolio
  // has 100k companies, most of them groups of one.
  const groupOf = new Int32Array(count);
  const groupOfRoot = new Int32Array(count).fill(-1);
  const rootPositions: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const root = top[index] as number;
    let group = groupOfRoot[root] as number;
    if (group === -1) {
      group = rootPositions.length;
      groupOfRoot[root] = group;
      rootPositions.push(root);
    }
    groupOf[index] = group;
  }
  const groupCount = rootPositions.length;
  // Members of group g, in the companies' order: memberList[starts[g]] up to starts[g + 1].
  const starts = new Int32Array(groupCount + 1);
  for (let index = 0; index < count; index += 1) {
    const next = (groupOf[index] as number) + 1;
    starts[next] = (starts[next] as number) + 1;
  }
  for (let group = 0; group < groupCount; group += 1) {
    starts[group + 1] = (starts[group + 1] as number) + (starts[group] as number);
  }
  const memberList = new Int32Array(count);
  const filled = starts.slice(0, groupCount);
  for (let index = 0; index < count; index += 1) {
    const group = groupOf[index] as number;
    memberList[filled[group] as number] = index;
    filled[group] = (filled[group] as number) + 1;
  }
  return {
    groupOf,
    rootPositions,
    sizeOf: (group) => (starts[group + 1] as number) - (starts[group] as number),
    membersOf: (group) => memberList.subarray(starts[group], starts[group + 1]),
  };
}

/** The members' sums of every group, by the group's position. */
export interface GroupSums {
  readonly revenueTtm: Float64Array;
  readonly revenuePrev: Float64Array;
  readonly pipelineWeighted: Float64Array;
  readonly openComplaints: Float64Array;
  /** The position of the member with the most revenueTtm (ties: lower id); -1 when none has revenue. */
  readonly biggest: Int32Array;
}

export function groupSums(layout: GroupLayout, companies: readonly GroupMemberInput[]): GroupSums {
  const groupCount = layout.rootPositions.length;
  const sums: GroupSums = {
    revenueTtm: new Float64Array(groupCount),
    revenuePrev: new Float64Array(groupCount),
    pipelineWeighted: new Float64Array(groupCount),
    openComplaints: new Float64Array(groupCount),
    biggest: new Int32Array(groupCount),
  };
  for (let group = 0; group < groupCount; group += 1) sumGroup(layout, sums, companies, group);
  return sums;
}

/** Sums one group's members again, in the companies' order (a pass does the groups it changed). */
export function sumGroup(
  layout: GroupLayout,
  sums: GroupSums,
  companies: readonly GroupMemberInput[],
  group: number,
): void {
  let revenueTtm = 0;
  let revenuePrev = 0;
  let pipelineWeighted = 0;
  let openComplaints = 0;
  let biggest: GroupMemberInput | null = null;
  let biggestAt = -1;
  for (const index of layout.membersOf(group)) {
    const company = companies[index] as GroupMemberInput;
    revenueTtm += company.revenueTtm;
    revenuePrev += company.revenuePrev;
    pipelineWeighted += company.pipelineWeighted;
    openComplaints += company.openComplaints;
    if (
      company.revenueTtm > 0 &&
      (biggest === null ||
        company.revenueTtm > biggest.revenueTtm ||
        (company.revenueTtm === biggest.revenueTtm &&
          compareHubSpotIds(company.companyId, biggest.companyId) < 0))
    ) {
      biggest = company;
      biggestAt = index;
    }
  }
  sums.revenueTtm[group] = revenueTtm;
  sums.revenuePrev[group] = revenuePrev;
  sums.pipelineWeighted[group] = pipelineWeighted;
  sums.openComplaints[group] = openComplaints;
  sums.biggest[group] = biggestAt;
}

/** What §3's tiering reads of a group: its top parent's id and its members' revenue, never pinned. */
export function groupTierInput(
  layout: GroupLayout,
  sums: GroupSums,
  companies: readonly GroupMemberInput[],
  group: number,
): TierInput {
  return {
    companyId: (companies[layout.rootPositions[group] as number] as GroupMemberInput).companyId,
    revenueTtm: sums.revenueTtm[group] as number,
    tierOverride: null,
  };
}

/**
 * Groups a portfolio's companies (§11) and tiers the groups by §3 (Pareto or
 * thresholds, as the settings say) over groups.
 */
export function groupAccounts(
  companies: readonly GroupMemberInput[],
  settings: Settings,
): Grouping {
  const layout = groupLayout(companies);
  const sums = groupSums(layout, companies);
  const tiering = assignTiers(
    layout.rootPositions.map((_, group) => groupTierInput(layout, sums, companies, group)),
    settings,
  );
  return groupingOf(companies, layout, sums, tiering);
}

/**
 * The groups of some companies as their standings read them, from the
 * layout, the sums and the groups' tiers (of every group, or of the groups
 * asked for alone).
 */
export function groupingOf(
  companies: readonly GroupMemberInput[],
  layout: GroupLayout,
  sums: GroupSums,
  tiering: Pick<Tiering, 'tierAt' | 'resultAt'>,
): Grouping {
  const { groupOf, rootPositions, sizeOf, membersOf } = layout;
  const { revenueTtm, revenuePrev, pipelineWeighted, openComplaints, biggest } = sums;
  const biggestOf = (group: number): GroupMemberInput | null => {
    const index = biggest[group] as number;
    return index === -1 ? null : (companies[index] as GroupMemberInput);
  };
  const groupAt = (group: number): Group => {
    const topCompany = companies[rootPositions[group] as number] as GroupMemberInput;
    const tier = tiering.resultAt(group);
    const member = biggestOf(group);
    return {
      id: topCompany.companyId,
      name: topCompany.name,
      tier: tier.tier,
      size: sizeOf(group),
      revenueTtm: revenueTtm[group] as number,
      revenuePrev: revenuePrev[group] as number,
      pipelineWeighted: pipelineWeighted[group] as number,
      openComplaints: openComplaints[group] as number,
      biggestMember:
        member === null
          ? null
          : { id: member.companyId, name: member.name, revenueTtm: member.revenueTtm },
      tierExplanation: groupTierExplanation(tier),
    };
  };
  // Lines each group's members bought, counted once per group when first read.
  const buyers = new Map<number, Map<string, number>>();
  const buyersOf = (group: number): Map<string, number> => {
    let counted = buyers.get(group);
    if (counted === undefined) {
      counted = countLines(membersOf(group), companies);
      buyers.set(group, counted);
    }
    return counted;
  };
  const standingAt = (index: number): GroupStanding => {
    const company = companies[index];
    if (company === undefined) throw new Error(`internal: no company at ${index}`);
    const position = groupOf[index] as number;
    const group = groupAt(position);
    return {
      ...groupFigures(group),
      siblingLines: group.size > 1 ? siblingLines(company, buyersOf(position)) : NO_LINES,
      explanations: {
        tier: group.tierExplanation,
        membership: membershipExplanation(company, group),
      },
    };
  };

  const showsAlike = (index: number, before: GroupStanding): boolean => {
    const position = groupOf[index] as number;
    const topCompany = companies[rootPositions[position] as number] as GroupMemberInput;
    const size = sizeOf(position);
    if (
      before.id !== topCompany.companyId ||
      before.name !== topCompany.name ||
      before.tier !== tiering.tierAt(position) ||
      before.size !== size ||
      before.revenueTtm !== revenueTtm[position] ||
      (before.biggestMember?.id ?? null) !== (biggestOf(position)?.companyId ?? null)
    ) {
      return false;
    }
    if (size === 1) return before.siblingLines.length === 0;
    const lines = siblingLines(companies[index] as GroupMemberInput, buyersOf(position));
    return (
      lines.length === before.siblingLines.length &&
      lines.every((line, at) => line === before.siblingLines[at])
    );
  };

  const largestFirst = (a: GroupRow, b: GroupRow): number =>
    b.revenueTtm - a.revenueTtm || compareHubSpotIds(a.id, b.id);
  let standings: GroupStanding[] | undefined;
  let groups: GroupRow[] | undefined;
  return {
    standingAt,
    showsAlike,
    get standings() {
      standings ??= companies.map((_, index) => standingAt(index));
      return standings;
    },
    get groups() {
      groups ??= rootPositions
        .map((root, group): GroupRow => {
          const topCompany = companies[root] as GroupMemberInput;
          return {
            id: topCompany.companyId,
            name: topCompany.name,
            tier: tiering.tierAt(group),
            size: sizeOf(group),
            revenueTtm: revenueTtm[group] as number,
          };
        })
        .sort(largestFirst);
      return groups;
    },
  };
}

/** How many members of a group bought each line. */
function countLines(
  list: Iterable<number>,
  companies: readonly GroupMemberInput[],
): Map<string, number> {
  const buyers = new Map<string, number>();
  for (const index of list) {
    for (const line of (companies[index] as GroupMemberInput).productLines) {
      buyers.set(line, (buyers.get(line) ?? 0) + 1);
    }
  }
  return buyers;
}

/** Lines another member bought and this one did not. */
function siblingLines(
  company: GroupMemberInput,
  buyers: ReadonlyMap<string, number>,
): readonly string[] {
  const lines: string[] = [];
  for (const line of buyers.keys()) if (!company.productLines.includes(line)) lines.push(line);
  return lines.length === 0 ? NO_LINES : lines.sort();
}

/** The group tier's sentence: §3's own, said of the group. */
function groupTierExplanation(tier: TierResult): Explanation {
  const { explanation } = tier;
  return {
    rule: `group.${explanation.rule}`,
    text: `Group tier ${TIER_LABEL[tier.tier].toLowerCase()}: ${explanation.text.replace(/accounts ranked above/, 'groups ranked above')}`,
    inputs: { ...explanation.inputs, groupTier: tier.tier },
  };
}

/** A group's name in a sentence: its name, or its top parent's id. */
function groupLabel(group: Pick<Group, 'id' | 'name'>): string {
  return group.name ?? `company ${group.id}`;
}

function membershipExplanation(company: GroupMemberInput, group: Group): Explanation {
  const inputs = {
    groupId: group.id,
    groupName: groupLabel(group),
    topParent: group.id === company.companyId,
    groupSize: group.size,
    groupRevenueTtm: group.revenueTtm,
    groupTier: group.tier,
    biggestMemberId: group.biggestMember?.id ?? null,
    biggestMemberName:
      group.biggestMember === null
        ? null
        : group.biggestMember.id === company.companyId
          ? null
          : groupLabel(group.biggestMember),
    biggestMemberRevenueTtm: group.biggestMember?.revenueTtm ?? null,
  };
  if (group.size === 1) {
    return {
      rule: 'group.standalone',
      text: 'Standalone: no parent or child company in the portal, a group of one',
      inputs,
    };
  }
  const biggest = group.biggestMember;
  const buysMost =
    biggest === null
      ? 'no member has revenue in the window'
      : `${biggest.id === company.companyId ? 'this company' : groupLabel(biggest)} buys most (${formatMoney(biggest.revenueTtm)})`;
  const role = inputs.topParent ? 'Top parent of' : 'Part of';
  return {
    rule: 'group.member',
    text: `${role} ${groupLabel(group)}: ${TIER_LABEL[group.tier].toLowerCase()} group of ${formatCount(group.size, 'member', 'members')}, ${formatMoney(group.revenueTtm)} in the window; ${buysMost}`,
    inputs,
  };
}

/** Groups listed in the portfolio summary. */
export const SUMMARY_TOP_GROUPS = 10;

/** The portfolio summary's groups view: the Pareto over groups (§3 applied to groups). */
export interface GroupsSummary {
  readonly count: number;
  /** Groups of more than one company. */
  readonly multiMember: number;
  readonly tierCounts: Readonly<Record<Tier, number>>;
  /** Share of revenue held by the top 20% of groups with revenue; null when none has any. */
  readonly top20Share: number | null;
  /** The largest groups by revenueTtm. */
  readonly top: readonly {
    readonly id: string;
    readonly name: string | null;
    readonly tier: Tier;
    readonly size: number;
    readonly revenueTtm: number;
  }[];
  readonly explanation: Explanation;
}

/** The groups view of a portfolio, from its groups largest first. */
export function summarizeGroups(groups: readonly GroupRow[]): GroupsSummary {
  const tierCounts: Record<Tier, number> = {
    strategic: 0,
    key: 0,
    standard: 0,
    transactional: 0,
    unrated: 0,
  };
  let multiMember = 0;
  let rated = 0;
  let ratedRevenue = 0;
  for (const group of groups) {
    tierCounts[group.tier] += 1;
    if (group.size > 1) multiMember += 1;
    if (group.revenueTtm > 0) {
      rated += 1;
      ratedRevenue += group.revenueTtm;
    }
  }
  // Groups come largest first: the top 20% of the rated ones are the head.
  const topCount = Math.ceil(rated * 0.2);
  let topRevenue = 0;
  for (let index = 0; index < topCount; index += 1) {
    topRevenue += (groups[index] as GroupRow).revenueTtm;
  }
  const top20Share = rated > 0 ? topRevenue / ratedRevenue : null;
  const top = groups
    .slice(0, SUMMARY_TOP_GROUPS)
    .map(({ id, name, tier, size, revenueTtm }) => ({ id, name, tier, size, revenueTtm }));
  const counted = RATED_TIERS.filter((tier) => tierCounts[tier] > 0).map(
    (tier) => `${tierCounts[tier]} ${TIER_LABEL[tier].toLowerCase()}`,
  );
  return {
    count: groups.length,
    multiMember,
    tierCounts,
    top20Share,
    top,
    explanation: {
      rule: 'groups.pareto',
      text:
        `${formatCount(groups.length, 'group', 'groups')} (${multiMember} of more than one company)` +
        (counted.length > 0 ? `; tiered over groups: ${formatList(counted)}` : '') +
        (top20Share === null
          ? ''
          : `; the top ${topCount} of ${rated} groups with revenue (20%) hold ${formatPercent(top20Share)} of it`),
      inputs: {
        groups: groups.length,
        multiMember,
        topCount,
        ratedGroups: rated,
        top20Share: top20Share === null ? null : round(top20Share, 4),
      },
    },
  };
}
