import { z } from 'zod';

/** HubSpot's record and event ids are positive 64-bit integers: at most 19 digits. */
const MAX_ID_DIGITS = 19;
const ID_PATTERN = new RegExp(`^\\d{1,${MAX_ID_DIGITS}}$`);
const ID_MESSAGE = `must be a HubSpot id: a positive integer of at most ${MAX_ID_DIGITS} digits`;

/**
 * A HubSpot id as it arrives in a URL or a webhook (text, or a JSON number
 * HubSpot did not round), as canonical text: no leading zeros, so `01000`
 * and `1000` are one record, and bounded, so a 5,000-digit id is refused
 * before it reaches Redis or HubSpot.
 *
 * @example
 * hubSpotId.parse('0001000') // => '1000'
 */
export const hubSpotId = z.preprocess(
  (value) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value),
  z
    .string({ error: ID_MESSAGE })
    .regex(ID_PATTERN, ID_MESSAGE)
    .transform((id) => id.replace(/^0+/, ''))
    .refine((id) => id !== '', ID_MESSAGE),
);
