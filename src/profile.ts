import type { AccountInputs } from './account-inputs.ts';
import { hasAccountPlan } from './account-inputs.ts';
import type { BuyingCentre } from './buying-centre.ts';
import type { Explanation } from './explanation.ts';
import { formatList, round } from './format.ts';
import { MIN_COMPETITORS } from './next-actions.ts';
import type { Satisfaction } from './satisfaction.ts';
import type { ProfileField, Settings, Tier } from './settings.ts';

/** kam-model.md §14: how complete the customer's file is, and what it lacks. */
export interface CustomerProfile {
  /** present / required × 100, whole; 100 when nothing is required. */
  readonly completeness: number;
  readonly required: readonly ProfileField[];
  readonly missing: readonly ProfileField[];
}

/** How a field reads in a sentence. */
export const PROFILE_FIELD_LABEL: Readonly<Record<ProfileField, string>> = {
  name: 'name',
  industry: 'industry',
  owner: 'owner',
  size: 'size (annual revenue or employees)',
  decision_maker: 'a decision maker',
  competitors: `${MIN_COMPETITORS} competitors`,
  account_plan: 'an account plan',
  survey: 'a current survey',
};

/** What the profile reads of an account besides its inputs. */
export interface ProfileSources {
  readonly inputs: AccountInputs;
  readonly buyingCentre: BuyingCentre;
  readonly satisfaction: Pick<Satisfaction, 'surveyCurrent'>;
}

function present(field: ProfileField, sources: ProfileSources): boolean {
  const { inputs } = sources;
  switch (field) {
    case 'name':
      return inputs.name !== null;
    case 'industry':
      return inputs.industry !== null;
    case 'owner':
      return inputs.ownerId !== null;
    case 'size':
      return inputs.annualRevenue !== null || inputs.employees !== null;
    case 'decision_maker':
      return sources.buyingCentre.covered.includes('DECISION_MAKER');
    case 'competitors':
      return inputs.competitors.length >= MIN_COMPETITORS;
    case 'account_plan':
      return hasAccountPlan(inputs);
    case 'survey':
      return sources.satisfaction.surveyCurrent;
  }
}

/**
 * The profile of one account under its tier's required fields. Without
 * contact records in the portal a decision maker cannot be known: the field
 * is then not required (data the portal lacks changes no result, §1).
 */
export function customerProfile(
  sources: ProfileSources,
  tier: Tier,
  settings: Settings,
): CustomerProfile {
  const required = settings.profileRequiredFields[tier].filter(
    (field) => field !== 'decision_maker' || sources.buyingCentre.source === 'contacts',
  );
  const missing = required.filter((field) => !present(field, sources));
  const completeness =
    required.length === 0
      ? 100
      : round((100 * (required.length - missing.length)) / required.length);
  return { completeness, required, missing };
}

/** The completeness explanation a card shows (rule, inputs, numbers). */
export function profileExplanation(profile: CustomerProfile): Explanation {
  const present = profile.required.length - profile.missing.length;
  return {
    rule: 'profile.completeness',
    text:
      `Profile ${profile.completeness}% complete (${present} of ${profile.required.length} required fields)` +
      (profile.missing.length === 0
        ? ''
        : `; missing ${formatList(profile.missing.map((field) => PROFILE_FIELD_LABEL[field]))}`),
    inputs: {
      completeness: profile.completeness,
      required: profile.required.join('; '),
      missing: profile.missing.join('; '),
    },
  };
}
