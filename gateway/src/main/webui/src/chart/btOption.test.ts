import { describe, expect, it } from 'vitest';
import type { ScatterSeriesOption } from 'echarts/charts';
import type { Strength } from '../api';
import { btExtent, btWhiskers, buildBtOption, renderWhisker } from './btOption';

const s = (model: string, strength: number | null, low: number | null, high: number | null): Strength =>
  ({ target: { endpoint: 'sim', model }, strength, low, high, votes: 10 });
const strengths = [s('base', 0, 0, 0), s('ckpt-200', 0.4, -0.1, 0.9), s('ckpt-400', -0.7, -1.3, -0.2), s('loose', null, null, null)];
const palette = { text: 't', muted: 'm', border: 'b', point: 'p', base: 'g', whisker: 'w' };

describe('Bradley–Terry option', () => {
  it('draws a whisker per target with an interval, in category order', () => {
    expect(btWhiskers(strengths)).toEqual([[0, 0, 0], [1, -0.1, 0.9], [2, -1.3, -0.2]]);
  });

  it('keeps 0 and every interval end in range', () => {
    const [min, max] = btExtent(strengths);
    expect(min).toBeLessThanOrEqual(-1.3);
    expect(max).toBeGreaterThanOrEqual(0.9);
    expect([min, max]).toEqual([-2, 2]);
    expect(btExtent([])).toEqual([-1, 1]);
  });

  it('plots strengths with the base marked and a zero line, leaving unlinked targets out', () => {
    const option = buildBtOption(strengths, ['base', 'ckpt-200', 'ckpt-400', 'loose'], palette, { strength: 'strength', base: 'base' });
    const series = option.series as unknown[];
    expect(series).toHaveLength(2);
    const points = (series[1] as ScatterSeriesOption).data as Array<{ value: number[]; itemStyle: { color: string } }>;
    expect(points.map((p) => p.value)).toEqual([[0, 0], [1, 0.4], [2, -0.7]]);
    expect(points[0].itemStyle.color).toBe('g');
    expect(points[1].itemStyle.color).toBe('p');
    expect((series[1] as ScatterSeriesOption).markLine?.data).toEqual([{ yAxis: 0 }]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['base', 'ckpt-200', 'ckpt-400', 'loose']);
  });

  it('renders a whisker as a vertical line with two caps between low and high', () => {
    const values = [1, -0.1, 0.9];
    const api = {
      value: (dim: number) => values[dim],
      coord: ([x, y]: [number, number]) => [x * 100, 200 - y * 100],
      size: () => [80, 0],
    };
    const shape = renderWhisker('w')(null, api) as { children: Array<{ shape: Record<string, number>; style: { stroke: string } }> };
    expect(shape.children).toHaveLength(3);
    expect(shape.children[0].shape).toEqual({ x1: 100, y1: 210, x2: 100, y2: 110 });
    expect(shape.children[1].shape.x2 - shape.children[1].shape.x1).toBeCloseTo(2 * 9.6);
    expect(shape.children[2].style.stroke).toBe('w');
  });
});
