/**
 * The Chinese sentences of kam-model.md §11–§13 on the cards: group,
 * group tier, complaints, plan explanations and A4 (escalated), A15, A18,
 * O3 with sibling lines, rebuilt from the model's numbers.
 */
import { describe, expect, it } from 'vitest';
import {
  actionReason,
  actionTitle,
  explanationText,
  swotText,
} from '../../extension/app/cards/lib/format.ts';
import { messagesFor } from '../../extension/app/cards/lib/i18n.ts';
import type { CompanyScore } from '../../src/index.ts';
import {
  AS_OF,
  DAY,
  call,
  company,
  companyOf,
  complaint,
  iso,
  portal,
  score,
  won,
} from '../src/builders.ts';

const zh = messagesFor('zh');

const result = score(
  portal(
    [
      company('1', { name: '中石化集团' }),
      company('2', {
        name: '上海分公司',
        hs_parent_company_id: '1',
        kam_plan_objective: '成为唯一供应商',
        kam_plan_goal_revenue: '10000',
        kam_plan_goal_date: '2026-12-31',
        kam_plan_reviewed_at: iso(AS_OF - 100 * DAY),
      }),
      company('3', { name: '独立公司', kam_account_plan: '旧计划' }),
    ],
    [
      won({ company: '1', amount: 1000, closedDaysAgo: 10, line: '润滑油' }),
      won({ company: '2', amount: 2500, closedDaysAgo: 10, line: '燃料' }),
      won({ company: '3', amount: 3000, closedDaysAgo: 10, line: '燃料' }),
    ],
    [
      complaint('t1', '2', { hs_ticket_priority: 'URGENT', createdate: iso(AS_OF - 3 * DAY) }),
      complaint('t2', '3', {
        createdate: iso(AS_OF - 20 * DAY),
        closed_date: iso(AS_OF - 2 * DAY),
      }),
    ],
    [call('c1', '3', AS_OF - 5 * DAY)],
  ),
);
const of = (id: string): CompanyScore => companyOf(result, id);
const explain = (id: string, key: string): string => {
  const explanation = of(id).explanations[key];
  if (explanation === undefined) throw new Error(`no ${key} explanation`);
  return explanationText(explanation, 'zh', zh);
};

describe('zh sentences of §11–§13', () => {
  it('group membership and tier', () => {
    expect(explain('2', 'group')).toBe(
      '所属集团：中石化集团，战略集团，2 家成员，本期收入 3.5k；本公司采购最多（2.5k）',
    );
    expect(explain('1', 'group')).toBe(
      '集团母公司：中石化集团，战略集团，2 家成员，本期收入 3.5k；上海分公司采购最多（2.5k）',
    );
    expect(explain('3', 'group')).toBe('独立客户：门户中没有母公司或子公司，自成一组');
    expect(explain('2', 'groupTier')).toBe(
      '集团等级战略：按收入排名第 1/2（3.5k），排名在前的集团占收入 0%',
    );
  });

  it('complaints', () => {
    expect(explain('2', 'complaints')).toBe(
      '1 起未解决投诉（重大 1 起），1 起已超时；近 365 天投诉 1 起。战略客户时限：重大投诉 1 天，一般投诉 2 天',
    );
    expect(explain('1', 'complaints')).toBe('无投诉记录');
  });

  it('the plan', () => {
    expect(explain('2', 'plan')).toBe(
      '客户计划：2026-12-31 前目标 10k，已达成 25.0%（2.5k），计入加权商机预计 25.0%；剩余 138 天；100 天前评审（每 90 天评审一次）',
    );
    expect(explain('3', 'plan')).toBe('客户计划：未设定带日期的收入目标，无法计算达成率；从未评审');
    expect(explain('1', 'plan')).toBe('无客户计划：尚未填写目标');
  });

  it('A4 escalated, A18 and O3 with the lines siblings buy', () => {
    const a4 = of('2').actions.find((action) => action.ruleId === 'A4');
    if (a4 === undefined) throw new Error('no A4');
    expect(actionTitle(a4, 'zh')).toBe('升级处理投诉');
    expect(actionReason(a4, 'zh', zh)).toBe(
      '1 起未解决投诉，其中重大投诉 1 起（只有约 4% 的不满客户会投诉）；1 起投诉已超时，立即升级处理（战略客户的时限：重大投诉 1 天，一般投诉 2 天）',
    );
    const a18 = of('2').actions.find((action) => action.ruleId === 'A18');
    if (a18 === undefined) throw new Error('no A18');
    expect(actionReason(a18, 'zh', zh)).toBe('客户计划已 100 天未评审（每 90 天评审一次）');
    const o3 = of('1').swot.find((item) => item.ruleId === 'O3');
    if (o3 === undefined) throw new Error('no O3');
    expect(swotText(o3, 'zh', zh)).toBe('集团内其他成员购买而本公司未购买：燃料');
  });

  it('A15 and A4 due by the SLA', () => {
    const followUp = score(
      portal(
        [company('5', { name: '客户' })],
        [],
        [
          complaint('t9', '5', { closed_date: iso(AS_OF - 2 * DAY) }),
          complaint('t10', '5', { createdate: iso(AS_OF) }),
        ],
      ),
    );
    const actions = companyOf(followUp, '5').actions;
    const a15 = actions.find((action) => action.ruleId === 'A15');
    if (a15 === undefined) throw new Error('no A15');
    expect(actionReason(a15, 'zh', zh)).toBe(
      '投诉 t9 已于 2026-08-13 关闭，之后没有已完成的电话或拜访：请在 2026-08-27 前回访',
    );
    const a4 = actions.find((action) => action.ruleId === 'A4');
    if (a4 === undefined) throw new Error('no A4');
    expect(actionTitle(a4, 'zh')).toBe('解决投诉');
    expect(actionReason(a4, 'zh', zh)).toBe(
      '1 起未解决投诉（只有约 4% 的不满客户会投诉）；请在 10 天内解决（未评级客户的时限：重大投诉 5 天，一般投诉 10 天）',
    );
  });

  it('English stays the model’s own sentence', () => {
    const explanation = of('2').explanations.group;
    if (explanation === undefined) throw new Error('no group explanation');
    expect(explanationText(explanation, 'en', messagesFor('en'))).toBe(explanation.text);
  });
});
