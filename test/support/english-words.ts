/** Words a Chinese card may show in Latin letters: product and method names, and units. */
const LATIN_ALLOWED = new Set(['KAM', 'HubSpot', 'SWOT', 'OGSM', 'SERVQUAL', 'UTC', 'for', 'kam']);

/**
 * The English words of a text meant to be Chinese: runs of three or more
 * Latin letters, beyond the allowed names and the portal's own words (its
 * product lines, rivals, company names), which stay as people typed them.
 */
export function englishWords(text: string, portalWords: string): string[] {
  return (text.match(/[A-Za-z]{3,}/g) ?? []).filter(
    (word) => !LATIN_ALLOWED.has(word) && !portalWords.includes(word),
  );
}
