// Mounts the loss chart. Loaded on demand (dynamic import) so only the run page pays for ECharts, and only the
// parts it uses are registered. The tooltip is built as DOM nodes with textContent: alarm messages and labels
// are never parsed as HTML, and nothing needs an inline style attribute (CSP).
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import {
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GridComponent,
  LegendPlainComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { h } from '../dom';
import { cssVars, keepDrawn } from './mount';
import { t } from '../i18n';
import {
  buildLossOption,
  formatValue,
  nearestPoint,
  parseValue,
  stepExtent,
  verdictTone,
  SERIES_NAMES,
  type LossChartData,
  type Palette,
} from './lossOption';

echarts.use([
  LineChart,
  GridComponent,
  LegendPlainComponent,
  TooltipComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  CanvasRenderer,
]);

function readPalette(): Palette {
  const v = cssVars();
  return {
    text: v('--text', '#1c2421'),
    muted: v('--muted', '#5f6b66'),
    border: v('--border', '#dde3df'),
    surface: v('--surface', '#ffffff'),
    train: v('--chart-train', '#2f6f5e'),
    eval: v('--chart-eval', '#c06a1b'),
    grad: v('--chart-grad', '#7b7f9e'),
    better: v('--chart-better', '#2e8b57'),
    worse: v('--chart-worse', '#c0392b'),
    undecided: v('--chart-undecided', '#8a938f'),
    alarm: v('--chart-alarm', '#d4a017'),
    alarmCritical: v('--chart-alarm-critical', '#c0392b'),
    nonFinite: v('--chart-nonfinite', '#c0392b'),
  };
}

function tooltipFor(data: LossChartData): (params: unknown) => HTMLElement {
  const d = t();
  const extent = stepExtent(data) ?? [0, 1];
  const tolerance = Math.max(0.5, (extent[1] - extent[0]) * 0.01);
  return (params: unknown) => {
    const list = Array.isArray(params) ? params : [params];
    const step = Number((list[0] as { axisValue?: unknown } | undefined)?.axisValue ?? NaN);
    const box = h('div', { class: 'chart-tip' }, h('div', { class: 'chart-tip-title' }, `${d.step} ${Math.round(step)}`));
    for (const name of SERIES_NAMES) {
      const series = data.series.find((s) => s.name === name);
      const point = series ? nearestPoint(series.points, step) : null;
      if (!point) continue;
      const value = parseValue(point.value);
      box.appendChild(h('div', { class: Number.isFinite(value) ? 'chart-tip-row' : 'chart-tip-row bad' },
        h('span', { class: 'chart-tip-name' }, name),
        h('span', { class: 'chart-tip-value' }, formatValue(value)),
        point.step !== Math.round(step) ? h('span', { class: 'chart-tip-step' }, `@${point.step}`) : null));
    }
    for (const c of data.checkpoints) {
      if (Math.abs(c.step - step) > tolerance) continue;
      const tone = verdictTone(c.verdict);
      const votes = c.verdict?.votes ?? 0;
      const winRate = c.verdict?.winRate;
      const verdict = votes > 0 && winRate !== null && winRate !== undefined
        ? d.chartWinRate(Math.round(winRate * 100), votes)
        : d.chartNoVotes;
      box.appendChild(h('div', { class: `chart-tip-checkpoint tone-${tone}` },
        `${d.checkpoint} ${c.label ?? c.step} · ${d.chartTone[tone]} · ${verdict}`));
    }
    for (const alarm of data.alarms) {
      const to = alarm.toStep ?? alarm.fromStep;
      if (step < alarm.fromStep - tolerance || step > to + tolerance) continue;
      box.appendChild(h('div', { class: `chart-tip-alarm severity-${alarm.severity}` },
        h('strong', {}, `${alarm.kind} (${alarm.severity})`), h('div', {}, alarm.message)));
    }
    return box;
  };
}

/** Draws the chart into el; follows light/dark and the element's size. Returns the disposer. */
export function mountLossChart(el: HTMLElement, data: LossChartData): () => void {
  const d = t();
  const chart = echarts.init(el, undefined, { renderer: 'canvas' });
  const draw = () => {
    const option = buildLossOption(data, readPalette(), { step: d.step, loss: d.chartLoss, gradNorm: d.chartGradNorm },
      tooltipFor(data) as never);
    chart.setOption(option, { notMerge: true });
  };
  return keepDrawn(el, chart, draw);
}
