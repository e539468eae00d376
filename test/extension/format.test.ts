import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  actionReason,
  actionTitle,
  formatGap,
  formatMoney,
  linesToItems,
  swotText,
} from '../../extension/app/cards/lib/format.ts';
import { messagesFor } from '../../extension/app/cards/lib/i18n.ts';
import type { NextAction, SwotItem } from '../../extension/app/cards/lib/types.ts';

const examples = JSON.parse(
  readFileSync(new URL('./fixtures/rule-examples.json', import.meta.url), 'utf8'),
) as { swot: SwotItem[]; actions: NextAction[] };
const en = messagesFor('en');
const zh = messagesFor('zh');
const CJK = /[\u4e00-\u9fff]/;

describe('formatters', () => {
  it.each([
    [850, '850'],
    [7410, '7.4k'],
    [8567, '8.6k'],
    [742341, '742k'],
    [1185340, '1.2M'],
    [-3325, '-3.3k'],
  ])('formats %d as the model does: %s', (value, text) => {
    expect(formatMoney(value)).toBe(text);
  });

  it.each([
    [0.6, '+0.60'],
    [-0.4, '-0.40'],
    [0, '0.00'],
  ])('signs a gap of %d as %s', (value, text) => {
    expect(formatGap(value)).toBe(text);
  });

  it('splits a textarea into items, one per line, without blanks', () => {
    expect(linesToItems(' Nordlys AB \r\n\n Baltic Parts\n  ')).toEqual([
      'Nordlys AB',
      'Baltic Parts',
    ]);
  });
});

describe('every rule speaks Chinese', () => {
  it.each(examples.swot.map((item) => [item.ruleId, item] as const))(
    'SWOT %s is rebuilt from its evidence',
    (_rule, item) => {
      // Product lines are counted: the model names them by raw value, a pipeline id ("default") unless mapped.
      const named = item.ruleId === 'S4' || item.ruleId === 'O3';
      expect(swotText(item, 'en', en) === item.text).toBe(!named);
      expect(swotText(item, 'en', en)).not.toMatch(/default/);
      const text = swotText(item, 'zh', zh);
      expect(text).not.toBe(item.text);
      expect(text).toMatch(CJK);
    },
  );

  it.each(examples.actions.map((action) => [action.key, action] as const))(
    'action %s has a Chinese title and reason',
    (_key, action) => {
      expect(actionTitle(action, 'en')).toBe(action.title);
      // The sentence without the SWOT rule id the model prefixes it with ("W4: …").
      expect(actionReason(action, 'en', en)).toBe(action.reason.replace(/^[SWOT]\d+: /, ''));
      expect(actionReason(action, 'en', en)).not.toMatch(/^[A-Z]\d+:/);
      expect(actionTitle(action, 'zh')).toMatch(CJK);
      expect(actionReason(action, 'zh', zh)).toMatch(CJK);
      expect(actionReason(action, 'zh', zh)).not.toBe(action.reason);
    },
  );

  it.each([
    ['A3', 'tangibles', '改善有形展示：资料、设施、文档'],
    ['A3', 'reliability', '制定交付可靠性计划：首次即兑现承诺'],
    ['A7', undefined, '致电挽回客户'],
    ['A15', undefined, '回访客户'],
    ['A16', undefined, '安排高层拜访'],
    ['A17', undefined, '指定专人负责'],
    ['A18', undefined, '评审客户计划'],
  ] as const)('titles %s %s as a native reader would: %s', (ruleId, dimension, title) => {
    const action: NextAction = {
      ruleId,
      key: `${ruleId}-1`,
      title: 'English title',
      reason: 'English reason',
      evidence: {},
      priority: 2,
      dueDays: 7,
      due: '2026-11-08',
      ...(dimension === undefined ? {} : { dimension }),
    };
    expect(actionTitle(action, 'zh')).toBe(title);
  });

  // Model v2's evidence (kam-model.md v2 §7), as the lead's model writes it.
  it.each([
    [
      {
        ruleId: 'O3',
        quadrant: 'opportunity',
        text: 'Whitespace: peers of its tier buy Services (4 of 9 key accounts); this account does not',
        evidence: { missingLines: 1, lines: 'Services', tier: 'key' },
      },
      '同级客户常买的 1 条产品线尚未购买：Services',
    ],
    [
      {
        ruleId: 'T2',
        quadrant: 'threat',
        text: '3 deals lost in the last 180 days, to Globex and Initech',
        evidence: { lostDeals: 3, days: 180, competitors: 'Globex; Initech' },
      },
      '最近 180 天丢单 3 笔，输给Globex、Initech',
    ],
    [
      {
        ruleId: 'W5',
        quadrant: 'weakness',
        text: 'No owner: a key account needs one named person',
        evidence: { tier: 'key' },
      },
      '无负责人：重点客户需要指定专人负责',
    ],
  ] as [SwotItem, string][])(
    'rebuilds v2 item %# in Chinese, and keeps the model’s English',
    (item, zhText) => {
      expect(swotText(item, 'zh', zh)).toBe(zhText);
      expect(swotText(item, 'en', en)).toBe(item.text);
    },
  );

  it('gives v2 actions Chinese reasons', () => {
    const action = (ruleId: string, evidence: NextAction['evidence']): NextAction => ({
      ruleId,
      key: `${ruleId}-1`,
      title: 'English',
      reason: 'English',
      evidence,
      priority: 3,
      dueDays: 30,
      due: '2026-12-01',
    });
    expect(actionReason(action('A14', { tier: 'key', competitors: 0 }), 'zh', zh)).toBe(
      '已记录 0 家竞争对手；重点客户至少需要了解 2 家',
    );
    expect(actionReason(action('A17', { tier: 'strategic' }), 'zh', zh)).toBe(
      '无负责人：战略客户需要指定专人负责',
    );
    expect(
      actionReason(
        action('A6', { missingLines: 2, lines: 'Services; Hardware', tier: 'key' }),
        'zh',
        zh,
      ),
    ).toBe('同级客户常买的 2 条产品线尚未购买：Services、Hardware');
  });

  it('keeps a manual SWOT item in the words the rep wrote', () => {
    const manual: SwotItem = {
      ruleId: null,
      quadrant: 'threat',
      text: 'Competitor 10% cheaper',
      evidence: {},
    };
    expect(swotText(manual, 'zh', zh)).toBe('Competitor 10% cheaper');
  });
});
