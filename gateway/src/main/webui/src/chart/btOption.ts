// The Bradley–Terry chart's ECharts option, built from plain data: one point per target (strength, log scale, base at
// 0) with its 95 % bootstrap interval drawn as a whisker by a custom series. No DOM and no ECharts runtime here.
import type { ComposeOption } from 'echarts/core';
import type { CustomSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type { GridComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components';
import type { Strength } from '../api';

export type BtOption = ComposeOption<
  CustomSeriesOption | ScatterSeriesOption | GridComponentOption | TooltipComponentOption | MarkLineComponentOption
>;

export interface BtPalette {
  text: string;
  muted: string;
  border: string;
  point: string;
  base: string;
  whisker: string;
}

export interface BtLabels {
  strength: string;
  base: string;
}

/** One category per target, in the order review-service gives (base first, then by step). */
export function btCategories(strengths: Strength[], label: (s: Strength) => string): string[] {
  return strengths.map(label);
}

/** [categoryIndex, low, high] for each target that has an interval. */
export function btWhiskers(strengths: Strength[]): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  strengths.forEach((s, i) => {
    const low = s.low ?? NaN;
    const high = s.high ?? NaN;
    if (Number.isFinite(low) && Number.isFinite(high)) {
      out.push([i, Math.min(low, high), Math.max(low, high)]);
    }
  });
  return out;
}

/** The y range: every strength and interval end, padded, always including 0 (the base), on whole numbers. */
export function btExtent(strengths: Strength[]): [number, number] {
  const values = [0];
  for (const s of strengths) {
    for (const v of [s.strength, s.low, s.high]) if (v !== null && v !== undefined && Number.isFinite(v)) values.push(v);
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = Math.max(0.25, (max - min) * 0.1);
  return [Math.floor(min - pad), Math.ceil(max + pad)];
}

interface RenderApi {
  value(dim: number): number;
  coord(point: [number, number]): number[];
  size(point: [number, number]): number[] | number;
}

/** Draws one whisker: a vertical line from low to high with short caps (ECharts custom series renderItem). */
export function renderWhisker(colour: string) {
  return (_params: unknown, api: RenderApi) => {
    const index = api.value(0);
    const low = api.coord([index, api.value(1)]);
    const high = api.coord([index, api.value(2)]);
    const size = api.size([1, 0]);
    const band = Array.isArray(size) ? size[0] : size;
    const cap = Math.max(4, Math.min(14, band * 0.12));
    const style = { stroke: colour, lineWidth: 2 };
    return {
      type: 'group',
      children: [
        { type: 'line', shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
        { type: 'line', shape: { x1: low[0] - cap, y1: low[1], x2: low[0] + cap, y2: low[1] }, style },
        { type: 'line', shape: { x1: high[0] - cap, y1: high[1], x2: high[0] + cap, y2: high[1] }, style },
      ],
    };
  };
}

export function buildBtOption(strengths: Strength[], categories: string[], palette: BtPalette, labels: BtLabels,
  tooltip?: (params: unknown) => HTMLElement): BtOption {
  const [min, max] = btExtent(strengths);
  const points = strengths.map((s, i) => ({
    value: [i, s.strength === null || !Number.isFinite(s.strength) ? NaN : s.strength] as [number, number],
    itemStyle: { color: i === 0 && s.strength === 0 ? palette.base : palette.point },
  })).filter((p) => Number.isFinite(p.value[1]));
  return {
    animation: false,
    textStyle: { color: palette.text },
    grid: { left: 56, right: 24, top: 24, bottom: 48, containLabel: true },
    tooltip: tooltip ? { trigger: 'item', formatter: tooltip as never, className: 'chart-tooltip' } : { show: false },
    xAxis: {
      type: 'category', data: categories,
      axisLabel: { color: palette.muted, interval: 0, hideOverlap: true },
      axisLine: { lineStyle: { color: palette.border } },
    },
    yAxis: {
      type: 'value', min, max, name: labels.strength, nameTextStyle: { color: palette.muted },
      axisLabel: { color: palette.muted },
      splitLine: { lineStyle: { color: palette.border } },
    },
    series: [
      {
        type: 'custom', name: 'interval', renderItem: renderWhisker(palette.whisker) as never,
        data: btWhiskers(strengths), encode: { x: 0, y: [1, 2] }, z: 2, silent: true,
      },
      {
        type: 'scatter', name: labels.strength, data: points, symbolSize: 12, z: 3,
        markLine: {
          silent: true, symbol: 'none',
          lineStyle: { color: palette.muted, type: 'dashed' },
          label: { formatter: labels.base, color: palette.muted, position: 'insideEndTop' },
          data: [{ yAxis: 0 }],
        },
      },
    ],
  };
}
