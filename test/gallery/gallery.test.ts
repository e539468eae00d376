import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionReason, actionTitle, swotText } from '../../extension/app/cards/lib/format.ts';
import { messagesFor } from '../../extension/app/cards/lib/i18n.ts';
import { CHROMIUM, HEIGHT_BUDGETS, renderGallery, type Shot } from './gallery.ts';
import { DEFAULT_SETTINGS, galleryData } from './gallery-states.ts';
import { englishWords } from '../support/english-words.ts';

// `npm run gallery` keeps the pictures in docs/gallery/; the CI run checks
// them in a temporary directory.
const keep = process.env.GALLERY_DIR;
const outDir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'kam-gallery-'));

let shots: Shot[] = [];
const data = galleryData();
// The portal's own data: its words, and the HubSpot property names the settings hold.
const names = [
  ...data.portalWords,
  String(DEFAULT_SETTINGS.productLineProperty),
  // The review title pattern is the admin's own words (default review|QBR|业务回顾|经营分析).
  DEFAULT_SETTINGS.reviewTitlePattern,
].join(' ');
const english = (text: string): string[] => englishWords(text, names);

beforeAll(async () => {
  shots = await renderGallery(outDir);
}, 180_000);

afterAll(() => {
  if (!keep) rmSync(outDir, { recursive: true, force: true });
});

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keyPaths(inner, `${prefix}.${key}`));
}

describe('the gallery in a real browser', () => {
  it('renders every card and page in every state, in en and zh, with Chromium', () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    expect(shots.length).toBeGreaterThanOrEqual(80);
    for (const shot of shots) expect(existsSync(shot.file), shot.name).toBe(true);
  });

  it('has every message in both languages', () => {
    const en = keyPaths(messagesFor('en')).sort();
    const zh = keyPaths(messagesFor('zh')).sort();
    expect(zh).toEqual(en);
    for (const shot of shots)
      expect(shot.visibleText, shot.name).not.toMatch(/undefined|\[object /);
  });

  it('shows no English word on a Chinese card, beyond product names and the portal’s own data', () => {
    const found = shots
      .filter((shot) => shot.locale === 'zh')
      .flatMap((shot) => english(shot.visibleText).map((word) => `${shot.name}: ${word}`));
    expect(found).toEqual([]);
  });

  it('has Chinese for every SWOT item and action the model derives on the portal, shown or behind "Show all"', () => {
    const zh = messagesFor('zh');
    const found = data.companies.flatMap((company) => [
      ...company.swot
        .filter((item) => item.ruleId !== null)
        .flatMap((item) => english(swotText(item, 'zh', zh)).map((w) => `${item.ruleId}: ${w}`)),
      ...company.actions.flatMap((action) =>
        english(`${actionTitle(action, 'zh')} ${actionReason(action, 'zh', zh)}`).map(
          (w) => `${action.ruleId}: ${w}`,
        ),
      ),
    ]);
    expect([...new Set(found)]).toEqual([]);
  });

  it('shows no raw enum value or rule id', () => {
    const raw = shots.flatMap((shot) =>
      [
        ...(shot.visibleText.match(/\b[A-Z]{2,}_[A-Z_]+\b/g) ?? []), // NOT_STARTED
        ...(shot.visibleText.match(/\b(?!kam_)[a-z]+_[a-z_]+\b/g) ?? []), // at_risk, below_expectations
        ...(shot.visibleText.match(/\b[SWOTA]\d{1,2}\b/g) ?? []), // W4, A13
      ].map((text) => `${shot.name}: ${text}`),
    );
    expect(raw).toEqual([]);
  });

  it('keeps each card within what its location shows without scrolling', () => {
    const tall = shots
      .filter((shot) => {
        const budget = HEIGHT_BUDGETS[shot.location];
        return budget !== undefined && shot.height > budget;
      })
      .map((shot) => `${shot.name}: ${shot.height} px`);
    expect(tall).toEqual([]);
  });

  it('lets no text overflow its container', () => {
    expect(
      shots.flatMap((shot) => shot.overflowing.map((what) => `${shot.name}: ${what}`)),
    ).toEqual([]);
  });
});
