import type {
  RenderedChildNode,
  RenderedElementNode,
  RenderedRootNode,
} from '../../extension/app/cards/testing.ts';

/**
 * HubSpot draws a card's component tree with its own design system; this is
 * an approximation of it in plain HTML and CSS (sizes, spacing and colours
 * of HubSpot's Canvas components), good enough to judge density and wording,
 * not pixels. Overlays (panels) stay closed, as on the record page.
 */

const GAP: Record<string, number> = { flush: 0, xs: 4, sm: 8, md: 16, lg: 24, xl: 32 };

const TAG_COLOURS: Record<string, [string, string]> = {
  default: ['#eaf0f6', '#33475b'],
  info: ['#e5f5f8', '#0091ae'],
  success: ['#e5f8f6', '#00a38d'],
  warning: ['#fef8f0', '#b36b00'],
  error: ['#fde8e9', '#d94c53'],
  danger: ['#fde8e9', '#d94c53'],
};

export const GALLERY_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font-family: 'Lexend Deca', 'Noto Sans', 'Noto Sans CJK SC', sans-serif;
  font-size: 14px; line-height: 1.5; color: #33475b; background: #f5f8fa; }
.frame { background: #fff; border: 1px solid #dfe3eb; border-radius: 4px; padding: 16px; }
.frame-title { font-size: 12px; color: #7c98b6; margin: 0 0 8px; }
h2 { font-size: 16px; font-weight: 600; margin: 0; }
p { margin: 0; }
.microcopy { font-size: 12px; color: #516f90; }
.bold { font-weight: 700; } .demibold { font-weight: 600; }
.tile { border: 1px solid #cbd6e2; border-radius: 4px; padding: 16px; background: #fff; }
.tile.compact { padding: 8px 12px; }
.tag { display: inline-block; border-radius: 3px; padding: 0 8px; font-size: 12px;
  font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.stats { display: flex; gap: 24px; flex-wrap: wrap; }
.stat-label { font-size: 12px; font-weight: 600; text-transform: uppercase; color: #516f90; }
.stat-number { font-size: 28px; font-weight: 300; line-height: 1.2; }
.dl { display: flex; gap: 24px; flex-wrap: wrap; }
.dl.column { flex-direction: column; gap: 8px; }
.dl-label { font-size: 12px; font-weight: 600; color: #516f90; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #dfe3eb; vertical-align: top; }
table.bordered th, table.bordered td { border: 1px solid #dfe3eb; }
th { background: #f5f8fa; font-size: 12px; font-weight: 600; text-transform: uppercase; }
button { font: inherit; font-size: 14px; font-weight: 600; border-radius: 3px; padding: 8px 16px;
  border: 1px solid #cbd6e2; background: #eaf0f6; color: #33475b; align-self: flex-start; }
button.sm { font-size: 12px; padding: 4px 12px; }
button.xs { font-size: 12px; padding: 0 4px; line-height: 1.4; }
button.primary { background: #ff7a59; border-color: #ff7a59; color: #fff; }
button.destructive { background: #f2545b; border-color: #f2545b; color: #fff; }
button.transparent { background: none; border-color: transparent; color: #0091ae; padding-left: 0; }
button:disabled { opacity: 0.5; }
a { color: #0091ae; font-weight: 600; text-decoration: none; }
.alert { border-left: 4px solid; border-radius: 3px; padding: 8px 12px; background: #f5f8fa; }
.alert-title { font-weight: 600; }
.empty { display: flex; flex-direction: column; align-items: center; text-align: center; gap: 8px; padding: 16px; }
.empty.horizontal { flex-direction: row; text-align: left; align-items: flex-start; }
.illustration { width: 96px; height: 72px; border-radius: 8px; background: #eaf0f6; flex: none; }
.spinner { display: flex; gap: 8px; align-items: center; justify-content: center; padding: 24px; }
.spinner::before { content: ''; width: 20px; height: 20px; border-radius: 50%;
  border: 3px solid #cbd6e2; border-top-color: #0091ae; }
.progress-track { height: 8px; background: #eaf0f6; border-radius: 4px; }
.progress-fill { height: 8px; background: #00bda5; border-radius: 4px; }
.score-circle { width: 72px; height: 72px; border-radius: 50%; border: 6px solid #00bda5;
  display: flex; align-items: center; justify-content: center; font-size: 22px; font-weight: 600; flex: none; }
.field { display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.field-label { font-size: 14px; font-weight: 600; }
.field-box { border: 1px solid #cbd6e2; border-radius: 3px; padding: 6px 10px; min-height: 34px; background: #f5f8fa; }
.field-error { font-size: 12px; color: #d94c53; }
.field-description { font-size: 12px; color: #516f90; }
.chart { border: 1px solid #eaf0f6; border-radius: 4px; padding: 8px; }
ul { margin: 0; padding-left: 20px; }
hr { border: 0; border-top: 1px solid #dfe3eb; margin: 0; width: 100%; }
details { border: 1px solid #dfe3eb; border-radius: 4px; padding: 8px 12px; }
summary { font-weight: 600; }
`;

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

type Props = Record<string, unknown>;

function children(node: RenderedElementNode): string {
  return node.childNodes.map(nodeHtml).join('');
}

function nodeHtml(node: RenderedChildNode): string {
  return 'name' in node ? elementHtml(node) : escape(node.text);
}

function flexStyle(props: Props): string {
  const direction = props.direction === 'row' ? 'row' : 'column';
  const gap = GAP[str(props.gap)] ?? 0;
  const align = str(props.align);
  const justify = str(props.justify);
  return [
    'display:flex',
    `flex-direction:${direction}`,
    `gap:${gap}px`,
    props.wrap === true || props.wrap === 'wrap' ? 'flex-wrap:wrap' : '',
    align
      ? `align-items:${align === 'start' ? 'flex-start' : align === 'end' ? 'flex-end' : align}`
      : '',
    justify ? `justify-content:${justify === 'between' ? 'space-between' : justify}` : '',
    'min-width:0',
  ]
    .filter(Boolean)
    .join(';');
}

function field(props: Props, box: string): string {
  const error = props.error === true && str(props.validationMessage) !== '';
  return `<div class="field"><span class="field-label">${escape(str(props.label))}</span>${
    str(props.description)
      ? `<span class="field-description">${escape(str(props.description))}</span>`
      : ''
  }<div class="field-box">${box}</div>${
    error ? `<span class="field-error">${escape(str(props.validationMessage))}</span>` : ''
  }</div>`;
}

interface ChartAxes {
  x?: { field?: string; label?: string };
  y?: { field?: string; label?: string };
}

/** A chart as HubSpot sizes it, its data drawn as plain bars or a line. */
function chart(kind: 'bar' | 'line', props: Props): string {
  const data = Array.isArray(props.data) ? (props.data as Record<string, unknown>[]) : [];
  const axes = (props.axes ?? {}) as ChartAxes;
  const options = (props.options ?? {}) as { title?: string };
  const yField = axes.y?.field ?? '';
  const xField = axes.x?.field ?? '';
  const values = data.map((row) => Number(row[yField]) || 0);
  const max = Math.max(1, ...values.map(Math.abs));
  const min = Math.min(0, ...values);
  const width = 560;
  const height = 160;
  const scale = (v: number) => height - ((v - min) / (max - min || 1)) * height;
  let drawing: string;
  if (kind === 'bar') {
    const w = width / Math.max(1, data.length);
    drawing = data
      .map((row, i) => {
        const v = Number(row[yField]) || 0;
        const top = Math.min(scale(v), scale(0));
        const h = Math.abs(scale(v) - scale(0));
        return `<rect x="${i * w + w * 0.2}" y="${top}" width="${w * 0.6}" height="${Math.max(h, 1)}" fill="${v < 0 ? '#f2545b' : '#00bda5'}"/><text x="${i * w + w / 2}" y="${height + 14}" font-size="11" text-anchor="middle" fill="#516f90">${escape(str(row[xField]))}</text>`;
      })
      .join('');
  } else {
    const step = width / Math.max(1, data.length - 1);
    drawing = `<polyline fill="none" stroke="#0091ae" stroke-width="2" points="${values
      .map((v, i) => `${i * step},${scale(v)}`)
      .join(' ')}"/>`;
  }
  return `<div class="chart">${options.title ? `<p class="demibold">${escape(options.title)}</p>` : ''}<svg viewBox="0 -4 ${width} ${height + 20}" width="100%" height="${height + 20}" preserveAspectRatio="none">${drawing}</svg><p class="microcopy">${escape(axes.x?.label ?? '')} · ${escape(axes.y?.label ?? '')}</p></div>`;
}

function elementHtml(node: RenderedElementNode): string {
  const props = node.props as Props;
  const inner = () => children(node);
  switch (node.name) {
    case 'Flex':
      return `<div style="${flexStyle(props)}">${inner()}</div>`;
    case 'Box': {
      const flex = props.flex;
      return `<div style="min-width:0;${typeof flex === 'number' ? `flex:${flex} 1 0` : ''}">${inner()}</div>`;
    }
    case 'AutoGrid':
      return `<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(${str(props.columnWidth) || 200}px,1fr));gap:${GAP[str(props.gap)] ?? 8}px">${inner()}</div>`;
    case 'Tile':
      return `<div class="tile${props.compact === true ? ' compact' : ''}" style="display:flex;flex-direction:column;gap:4px;height:100%">${inner()}</div>`;
    case 'Heading':
      return `<h2>${inner()}</h2>`;
    case 'Text': {
      const format = (props.format ?? {}) as { fontWeight?: string };
      const classes = [
        props.variant === 'microcopy' ? 'microcopy' : '',
        format.fontWeight === 'bold' ? 'bold' : format.fontWeight === 'demibold' ? 'demibold' : '',
      ].join(' ');
      return `<p class="${classes}">${inner()}</p>`;
    }
    case 'Tag': {
      const [bg, fg] = TAG_COLOURS[str(props.variant) || 'default'] ??
        TAG_COLOURS.default ?? ['', ''];
      return `<span class="tag" style="background:${bg};color:${fg};border-color:${fg}33">${inner()}</span>`;
    }
    case 'Statistics':
      return `<div class="stats">${inner()}</div>`;
    case 'StatisticsItem':
      return `<div><div class="stat-label">${escape(str(props.label))}</div><div class="stat-number">${escape(str(props.number))}</div>${inner()}</div>`;
    case 'StatisticsTrend':
      return `<p class="microcopy">${escape(str(props.value))}</p>`;
    case 'DescriptionList':
      return `<div class="dl${props.direction === 'column' ? ' column' : ''}">${inner()}</div>`;
    case 'DescriptionListItem':
      return `<div><div class="dl-label">${escape(str(props.label))}</div>${inner()}</div>`;
    case 'Table':
      return `<table class="${props.bordered === true ? 'bordered' : ''}">${inner()}</table>`;
    case 'TableHead':
      return `<thead>${inner()}</thead>`;
    case 'TableBody':
      return `<tbody>${inner()}</tbody>`;
    case 'TableFooter':
      return `<tfoot>${inner()}</tfoot>`;
    case 'TableRow':
      return `<tr>${inner()}</tr>`;
    case 'TableHeader':
      return `<th>${inner()}</th>`;
    case 'TableCell':
      return `<td>${inner()}</td>`;
    case 'Button':
    case 'LoadingButton':
    case 'CrmActionButton':
      return `<button class="${str(props.variant)} ${str(props.size)}"${props.disabled === true ? ' disabled' : ''}>${inner()}</button>`;
    case 'ButtonRow':
      return `<div style="display:flex;gap:8px;flex-wrap:wrap">${inner()}</div>`;
    case 'Link':
    case 'CrmActionLink':
      return `<a>${inner()}</a>`;
    case 'Alert': {
      const [, fg] = TAG_COLOURS[str(props.variant) || 'info'] ?? TAG_COLOURS.info ?? ['', ''];
      return `<div class="alert" style="border-color:${fg}"><div class="alert-title">${escape(str(props.title))}</div>${inner()}</div>`;
    }
    case 'EmptyState':
    case 'ErrorState':
      return `<div class="empty${props.layout === 'horizontal' ? ' horizontal' : ''}"><div class="illustration"></div><div style="display:flex;flex-direction:column;gap:8px;align-items:inherit"><h2>${escape(str(props.title))}</h2>${inner()}</div></div>`;
    case 'LoadingSpinner':
      return `<div class="spinner">${escape(str(props.label))}</div>`;
    case 'ProgressBar': {
      const pct = (Number(props.value) / (Number(props.maxValue) || 100)) * 100;
      return `<div><p class="demibold">${escape(str(props.title))}</p><div class="progress-track"><div class="progress-fill" style="width:${pct}%"></div></div></div>`;
    }
    case 'ScoreCircle':
      return `<div class="score-circle">${Math.round(Number(props.score))}</div>`;
    case 'BarChart':
      return chart('bar', props);
    case 'LineChart':
      return chart('line', props);
    case 'List':
      return `<ul>${node.childNodes.map((child) => `<li>${nodeHtml(child)}</li>`).join('')}</ul>`;
    case 'Divider':
      return '<hr>';
    case 'Accordion':
      return `<details${props.defaultOpen === true ? ' open' : ''}><summary>${escape(str(props.title))}</summary>${inner()}</details>`;
    case 'Select':
    case 'MultiSelect': {
      const options = Array.isArray(props.options)
        ? (props.options as { label: string; value: unknown }[])
        : [];
      // A multi-select's value is the list of the chosen options' values.
      const values: unknown[] = Array.isArray(props.value) ? props.value : [props.value];
      const chosen = options.filter((option) => values.includes(option.value));
      return field(props, escape(chosen.map((option) => option.label).join(', ')));
    }
    case 'Input':
    case 'NumberInput':
    case 'TextArea':
    case 'StepperInput':
    case 'CurrencyInput':
      return field(props, escape(str(props.value)));
    case 'DateInput': {
      const value = props.value as { year: number; month: number; date: number } | undefined;
      return field(
        props,
        value
          ? `${value.year}-${String(value.month + 1).padStart(2, '0')}-${String(value.date).padStart(2, '0')}`
          : '',
      );
    }
    case 'Toggle':
    case 'Checkbox':
    case 'RadioButton':
      return `<label style="display:flex;gap:8px;align-items:center"><input type="checkbox"${props.checked === true ? ' checked' : ''}>${escape(str(props.label))}${inner()}</label>`;
    case 'Form':
      return `<form style="display:flex;flex-direction:column;gap:16px">${inner()}</form>`;
    default:
      return `<div data-component="${escape(node.name)}">${inner()}</div>`;
  }
}

/** The page of one rendered card: its frame at the width HubSpot gives its location. */
export function pageHtml(root: RenderedRootNode, title: string, width: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>${GALLERY_CSS}</style></head><body><div style="width:${width}px;padding:16px"><p class="frame-title">${escape(title)}</p><div class="frame" id="card">${root.childNodes.map(nodeHtml).join('')}</div></div></body></html>`;
}
