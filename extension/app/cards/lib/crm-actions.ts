/** HubSpot's object type id of companies, for the CRM actions on the record. */
export const COMPANY_TYPE_ID = '0-2';

/**
 * Actions done by meeting the customer or by writing to it: HubSpot's own
 * tools (`CrmActionButton` SCHEDULE_MEETING / SEND_EMAIL) do them. A1, A8 and
 * A16 ask for a visit, a business review or an executive visit (§10); A10
 * asks to map the buying centre (§9), which starts with writing to the
 * contacts one has.
 */
export const MEETING_RULES: ReadonlySet<string> = new Set(['A1', 'A2', 'A8', 'A16']);
export const EMAIL_RULES: ReadonlySet<string> = new Set(['A10', 'A13']);
