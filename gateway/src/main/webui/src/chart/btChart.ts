// Mounts the Bradley–Terry chart (loaded on demand, like the loss chart). The tooltip is built from DOM nodes with
// textContent only; colours come from the page's CSS variables, so light and dark both work.
import * as echarts from 'echarts/core';
import { CustomChart, ScatterChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { Strength } from '../api';
import { h } from '../dom';
import { cssVars, keepDrawn } from './mount';
import { t } from '../i18n';
import { beatsBase } from '../verdict/verdictModel';
import { buildBtOption, type BtPalette } from './btOption';

echarts.use([CustomChart, ScatterChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

function readPalette(): BtPalette {
  const v = cssVars();
  return {
    text: v('--text', '#1c2421'),
    muted: v('--muted', '#5f6b66'),
    border: v('--border', '#dde3df'),
    point: v('--chart-train', '#2f6f5e'),
    base: v('--chart-undecided', '#8a938f'),
    whisker: v('--chart-train', '#2f6f5e'),
  };
}

export function mountBtChart(el: HTMLElement, strengths: Strength[], categories: string[]): () => void {
  const d = t();
  const chart = echarts.init(el, undefined, { renderer: 'canvas' });
  const tooltip = (params: unknown) => {
    const index = (params as { value?: [number, number] }).value?.[0] ?? -1;
    const s = strengths[index];
    const box = h('div', { class: 'chart-tip' });
    if (!s) return box;
    const p = beatsBase(s.strength);
    box.appendChild(h('div', { class: 'chart-tip-title' }, categories[index] ?? ''));
    box.appendChild(h('div', {}, `${d.btStrength}: ${s.strength === null || s.strength === undefined ? '—' : s.strength.toFixed(2)}`));
    if (s.low !== null && s.low !== undefined && s.high !== null && s.high !== undefined) {
      box.appendChild(h('div', {}, `${d.btInterval}: ${s.low.toFixed(2)} – ${s.high.toFixed(2)}`));
    }
    if (p !== null) box.appendChild(h('div', {}, `${d.btBeatsBase}: ${Math.round(p * 100)}%`));
    box.appendChild(h('div', { class: 'muted' }, `${d.btVotes}: ${s.votes}`));
    return box;
  };
  const draw = () => chart.setOption(buildBtOption(strengths, categories, readPalette(),
    { strength: d.btStrength, base: d.btBase }, tooltip), { notMerge: true });
  return keepDrawn(el, chart, draw);
}
