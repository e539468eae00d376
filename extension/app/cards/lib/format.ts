import type { Locale, Messages } from './i18n.ts';
import type { CompanyScore, Evidence, Factor, NextAction, SwotItem } from './types.ts';

/**
 * Pure formatters. English text from the model (`text`, `reason`, factor
 * texts) is shown as the model wrote it; for Chinese the same facts are
 * rebuilt from the rule id and its evidence numbers, so both languages say
 * the same thing.
 */

/** 1 decimal, as the model rounds scores. */
export function formatScore(value: number): string {
  return (Math.round(value * 10) / 10).toFixed(1);
}

/** A signed gap with two decimals: "+0.60", "-1.00". */
export function formatGap(value: number): string {
  const rounded = (Math.round(value * 100) / 100).toFixed(2);
  return value > 0 ? `+${rounded}` : rounded;
}

export function formatPercent(ratio: number, signed = false): string {
  const pct = Math.round(ratio * 100);
  return `${signed && pct > 0 ? '+' : ''}${pct}%`;
}

/** Compact money as the model prints it: 850, 7.4k, 742k, 1.2M. */
export function formatMoney(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1_000_000) return `${trim(value / 1_000_000)}M`;
  if (abs >= 1_000) return `${trim(value / 1_000)}k`;
  return String(Math.round(value));
}

/** One decimal below 100 of the unit, none above: 7.4k, 742k, 1.2M, as the model prints. */
function trim(value: number): string {
  return Math.abs(value) >= 100
    ? String(Math.round(value))
    : (Math.round(value * 10) / 10).toString();
}

/** "2026-11-01T08:30:00Z" → "2026-11-01 08:30 UTC": unambiguous in both languages. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;
}

/** A YYYY-MM-DD date stays as it is; an instant becomes its UTC day. */
export function formatDay(value: string): string {
  return value.length > 10 ? value.slice(0, 10) : value;
}

function num(evidence: Evidence, key: string): number {
  const value = evidence[key];
  return typeof value === 'number' ? value : 0;
}

/** A list the model joins into one evidence string ("a; b"), joined as Chinese lists are. */
function zhList(evidence: Evidence, key: string): string {
  const value = evidence[key];
  return typeof value === 'string' ? value.split('; ').filter(Boolean).join('、') : '';
}

function tierOf(evidence: Evidence, m: Messages): string {
  const tier = evidence.tier;
  return typeof tier === 'string' && tier in m.tier ? m.tier[tier as keyof Messages['tier']] : '';
}

/** The text of a SWOT item in the user's language. Manual items are the user's own words. */
export function swotText(item: SwotItem, locale: Locale, m: Messages): string {
  const e = item.evidence;
  // Model v1 names product lines by their raw values, which are pipeline ids
  // ("default") unless an admin mapped a product-line property: count them.
  if (item.ruleId === 'S4') return m.swot.productLines(num(e, 'productLines'));
  if (item.ruleId === 'O3' && 'portalProductLines' in e) {
    return m.swot.whitespace(num(e, 'productLines'), num(e, 'portalProductLines'));
  }
  if (locale === 'en' || item.ruleId === null) return item.text;
  const dim = item.dimension ? m.dimension[item.dimension] : '';
  switch (item.ruleId) {
    case 'S1':
      return `长期合作：已合作 ${num(e, 'tenureDays')} 天`;
    case 'S2':
      return `赢单率高：${num(e, 'closedDeals')} 笔已关闭交易中赢单率 ${formatPercent(num(e, 'winRate'))}`;
    case 'S3':
      return `${dim}超出期望：差距 ${formatGap(num(e, 'gap'))}（感知 ${num(e, 'perceived')}，期望 ${num(e, 'expected')}）`;
    case 'W1':
      return `${dim}未达期望：差距 ${formatGap(num(e, 'gap'))}（感知 ${num(e, 'perceived')}，期望 ${num(e, 'expected')}）`;
    case 'W2':
      return `单线联系：仅 ${num(e, 'contacts')} 位联系人`;
    case 'W3':
      return `赢单率低：${num(e, 'closedDeals')} 笔已关闭交易中赢单率 ${formatPercent(num(e, 'winRate'))}`;
    case 'W4':
      return `已 ${num(e, 'daysSinceActivity')} 天无活动；该等级客户每 ${num(e, 'cadenceDays')} 天拜访一次`;
    case 'O1':
      return `增长中：收入 ${formatPercent(num(e, 'growth'), true)}（${formatMoney(num(e, 'revenueTtm'))}，上期 ${formatMoney(num(e, 'revenuePrev'))}）`;
    case 'O2':
      return `加权商机 ${formatMoney(num(e, 'pipelineWeighted'))}，近一期收入 ${formatMoney(num(e, 'revenueTtm'))}`;
    case 'T1':
      return `收入下降：${formatPercent(num(e, 'growth'), true)}（${formatMoney(num(e, 'revenueTtm'))}，上期 ${formatMoney(num(e, 'revenuePrev'))}）`;
    case 'T2': {
      const rivals = zhList(e, 'competitors');
      return `最近 ${num(e, 'days')} 天丢单 ${num(e, 'lostDeals')} 笔${rivals ? `，输给${rivals}` : ''}`;
    }
    case 'W5':
      return `无负责人：${tierOf(e, m)}客户需要指定专人负责`;
    case 'O3': {
      // Model v2: the lines the account's tier peers buy and it does not;
      // §11: and those the other members of its group buy.
      const peers =
        num(e, 'missingLines') > 0
          ? `同级客户常买的 ${num(e, 'missingLines')} 条产品线尚未购买：${zhList(e, 'lines')}`
          : '';
      const siblings = zhList(e, 'siblingLines');
      const group = siblings ? `集团内其他成员购买而本公司未购买：${siblings}` : '';
      return [peers, group].filter(Boolean).join('；');
    }
    case 'T3':
      return `${num(e, 'openComplaints')} 起未解决投诉${num(e, 'majorComplaints') > 0 ? `，其中重大投诉 ${num(e, 'majorComplaints')} 起` : ''}（只有约 4% 的不满客户会投诉）`;
    case 'T4':
      return `依赖单一客户：占组合收入 ${formatPercent(num(e, 'share'))}`;
    case 'T5':
      return `流失风险：已 ${num(e, 'recencyDays')} 天无赢单（${num(e, 'churnDays')} 天后判定流失）`;
    default:
      return item.text;
  }
}

const ZH_ACTION_TITLES: Record<string, string> = {
  A1: '安排客户拜访',
  A2: '高层拜访并制定挽留计划',
  'A3-tangibles': '改善有形展示：资料、设施、文档',
  'A3-reliability': '制定交付可靠性计划：首次即兑现承诺',
  'A3-responsiveness': '约定响应时间承诺',
  'A3-assurance': '派资深专家负责并确认专业能力',
  'A3-empathy': '指定一位负责人并了解客户自身需求',
  A4: '解决投诉',
  A5: '准备解决方案（方案营销）',
  A6: '交叉销售评审',
  A7: '致电挽回客户',
  A8: '业务回顾会议',
  A9: '编写年度客户计划（OGSM）',
  A10: '绘制采购中心（联系人矩阵）',
  A11: '审查信用风险（5C）',
  A12: '转为低接触服务模式',
  A13: '开展满意度调查',
  // kam-model.md v2 §7.
  A14: '分析至少两家竞争对手',
  A15: '回访客户',
  A16: '安排高层拜访',
  A17: '指定专人负责',
  A18: '评审客户计划',
};

export function actionTitle(action: NextAction, locale: Locale): string {
  if (locale === 'en') return action.title;
  // §12: an open complaint past its SLA is escalated.
  if (action.ruleId === 'A4' && action.evidence.escalate === true) return '升级处理投诉';
  const key = action.dimension ? `${action.ruleId}-${action.dimension}` : action.ruleId;
  return ZH_ACTION_TITLES[key] ?? action.title;
}

/** The SWOT rule behind an action, where there is one: its evidence has the same shape. */
const ACTION_SWOT_RULE: Record<string, SwotItem['ruleId']> = {
  A1: 'W4',
  A3: 'W1',
  A8: 'T1',
  A10: 'W2',
  A11: 'T4',
  A17: 'W5',
};

/** A reason the model took from a SWOT item starts with its rule id ("W4: …"); a rep reads the sentence. */
const RULE_ID_PREFIX = /^[SWOT]\d+: /;

export function actionReason(action: NextAction, locale: Locale, m: Messages): string {
  if (locale === 'en') return action.reason.replace(RULE_ID_PREFIX, '');
  const e = action.evidence;
  const asSwot = (ruleId: string): string =>
    swotText(
      {
        ruleId,
        quadrant: 'strength',
        text: action.reason,
        evidence: e,
        ...(action.dimension ? { dimension: action.dimension } : {}),
      },
      locale,
      m,
    );
  const swotRule = ACTION_SWOT_RULE[action.ruleId];
  if (swotRule) return asSwot(swotRule);
  const tier = tierOf(e, m);
  switch (action.ruleId) {
    case 'A2':
      return `风险客户：量大但忠诚度不足（忠诚度 ${formatScore(num(e, 'loyalty'))}）`;
    case 'A4': {
      // §12: the complaint's sentence, then its SLA (major; a general one gets twice).
      const sla = `${tier}客户的时限：重大投诉 ${num(e, 'slaDays')} 天，一般投诉 ${num(e, 'slaDays') * 2} 天`;
      const due =
        e.escalate === true
          ? `${num(e, 'overdueComplaints')} 起投诉已超时，立即升级处理`
          : `请在 ${num(e, 'slaDueDays')} 天内解决`;
      return `${asSwot('T3')}；${due}（${sla}）`;
    }
    case 'A5':
      return asSwot('growth' in e ? 'O1' : 'O2');
    case 'A6':
      // v2 derives it from the whitespace of O3; v1 from a single product line.
      return 'missingLines' in e ? asSwot('O3') : `专业型${tier}：只购买一条产品线`;
    case 'A7':
      return `流失：最近一次赢单在 ${num(e, 'recencyDays')} 天前，且无在途商机`;
    case 'A9':
      return '战略或重点客户尚无客户计划';
    case 'A12':
      return `低价值客户：${tier}，忠诚度 ${formatScore(num(e, 'loyalty'))}——量小且不忠诚`;
    case 'A13':
      return `该${tier}近 365 天没有满意度调查`;
    case 'A14':
      return `已记录 ${num(e, 'competitors')} 家竞争对手；${tier}客户至少需要了解 2 家`;
    case 'A15':
      return `投诉 ${String(e.ticketId)} 已于 ${String(e.closedAt)} 关闭，之后没有已完成的电话或拜访：请在 ${String(e.dueBy)} 前回访`;
    case 'A18':
      return 'reviewAgeDays' in e && e.reviewAgeDays !== null
        ? `客户计划已 ${num(e, 'reviewAgeDays')} 天未评审（每 ${num(e, 'reviewDays')} 天评审一次）`
        : '客户计划从未评审';
    default:
      return action.reason;
  }
}

export interface Driver {
  factor: string;
  axis: 'attractiveness' | 'strength';
  label: string;
  score: number;
  weight: number;
  text: string;
}

/** A factor at 50 of 100 neither lifts nor lowers a 0–100 score. */
const NEUTRAL_SCORE = 50;

/**
 * What lifts the score and what holds it back: each factor's pull is its
 * distance from the neutral 50 times its weight within its axis
 * (renormalised over the factors present); the strongest pulls each way,
 * largest first. Ranking by score × weight alone listed only strengths.
 */
export function scoreDrivers(
  company: CompanyScore,
  m: Messages,
  limit = 3,
): { helps: Driver[]; hurts: Driver[] } {
  const drivers = (['attractiveness', 'strength'] as const).flatMap((axis) =>
    (company.explanations[axis].factors ?? []).map((f: Factor): Driver & { pull: number } => ({
      factor: f.factor,
      axis,
      label: m.factor[f.factor] ?? f.factor,
      score: f.score,
      weight: f.effectiveWeight,
      text: f.text,
      pull: (f.score - NEUTRAL_SCORE) * f.effectiveWeight,
    })),
  );
  const strongest = (list: typeof drivers) =>
    list
      .sort((a, b) => Math.abs(b.pull) - Math.abs(a.pull) || a.factor.localeCompare(b.factor))
      .slice(0, limit)
      .map(({ pull: _pull, ...driver }) => driver);
  return {
    helps: strongest(drivers.filter((d) => d.pull > 0)),
    hurts: strongest(drivers.filter((d) => d.pull < 0)),
  };
}

/**
 * The score's move since the last history point that differs from it (the
 * history's newest point is usually the current score itself); null without one.
 */
export function scoreChange(
  score: number,
  history: readonly { at: string; score: number }[],
): { delta: number; since: string } | null {
  const rounded = Math.round(score * 10) / 10;
  for (let i = history.length - 1; i >= 0; i--) {
    const point = history[i];
    if (point !== undefined && Math.round(point.score * 10) / 10 !== rounded) {
      return { delta: rounded - Math.round(point.score * 10) / 10, since: point.at };
    }
  }
  return null;
}

/** Splits a textarea into items: one per line, blank lines dropped. */
export function linesToItems(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
