import { describe, expect, it } from 'vitest';
import type { LineSeriesOption } from 'echarts/charts';
import {
  buildLossOption, chartAlarms, formatValue, nearestPoint, nonFiniteRuns, parseValue, verdictTone, type Palette,
} from './lossOption';

const palette: Palette = {
  text: 't', muted: 'm', border: 'b', surface: 's', train: 'train', eval: 'eval', grad: 'grad',
  better: 'green', worse: 'red', undecided: 'grey', alarm: 'amber', alarmCritical: 'crit', nonFinite: 'nan',
};
const axis = { step: 'step', loss: 'loss', gradNorm: 'grad norm' };
const verdict = (winRate: number | null, decided: boolean, votes = 10) =>
  ({ wins: 0, ties: 0, losses: 0, bothBad: 0, votes, winRate, low: null, high: null, decided });

describe('values', () => {
  it('parses the non-finite strings', () => {
    expect(parseValue(1.5)).toBe(1.5);
    expect(parseValue('NaN')).toBeNaN();
    expect(parseValue('Infinity')).toBe(Infinity);
    expect(parseValue('-Infinity')).toBe(-Infinity);
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+∞');
    expect(formatValue(0.25)).toBe('0.2500');
  });

  it('groups consecutive non-finite points, anchored at the last finite value', () => {
    const runs = nonFiniteRuns([
      { step: 1, value: 'NaN' }, { step: 2, value: 2.5 }, { step: 3, value: 'NaN' }, { step: 4, value: 'NaN' },
      { step: 5, value: 'Infinity' }, { step: 6, value: 1 },
    ]);
    expect(runs).toEqual([
      { fromStep: 1, toStep: 1, count: 1, label: 'NaN', anchor: 2.5 },
      { fromStep: 3, toStep: 4, count: 2, label: 'NaN', anchor: 2.5 },
      { fromStep: 5, toStep: 5, count: 1, label: '+∞', anchor: 2.5 },
    ]);
  });

  it('finds the nearest point', () => {
    const points = [{ step: 10 }, { step: 20 }, { step: 40 }];
    expect(nearestPoint(points, 0)?.step).toBe(10);
    expect(nearestPoint(points, 29)?.step).toBe(20);
    expect(nearestPoint(points, 31)?.step).toBe(40);
    expect(nearestPoint(points, 99)?.step).toBe(40);
    expect(nearestPoint([], 5)).toBeNull();
  });
});

describe('verdict tone', () => {
  it('colours only decided verdicts', () => {
    expect(verdictTone(null)).toBe('undecided');
    expect(verdictTone(verdict(0.8, false))).toBe('undecided');
    expect(verdictTone(verdict(0.8, true))).toBe('better');
    expect(verdictTone(verdict(0.2, true))).toBe('worse');
    expect(verdictTone(verdict(null, true, 0))).toBe('undecided');
  });
});

describe('buildLossOption', () => {
  const option = buildLossOption({
    series: [
      { name: 'train/loss', count: 3, min: 1, max: 2, last: 'NaN',
        points: [{ step: 10, value: 2 }, { step: 20, value: 1 }, { step: 30, value: 'NaN' }] },
      { name: 'train/grad_norm', count: 2, min: 1, max: 3, last: 3, points: [{ step: 10, value: 1 }, { step: 20, value: 3 }] },
    ],
    alarms: [{ kind: 'loss_spike', severity: 'critical', fromStep: 25, toStep: 30, message: 'spike' }],
    checkpoints: [
      { step: 20, label: 'ckpt-20', verdict: verdict(0.9, true) },
      { step: 30, label: null, verdict: null },
    ],
  }, palette, axis);
  const series = option.series as LineSeriesOption[];

  it('draws present series, grad norm on the second axis, NaN as a gap with a marker', () => {
    expect(series.map((s) => s.name)).toEqual(['train/loss', 'train/grad_norm']);
    expect(series[1].yAxisIndex).toBe(1);
    expect(series[0].data).toEqual([[10, 2], [20, 1], [30, null]]);
    const marks = (series[0].markPoint?.data ?? []) as Array<{ coord: number[]; value: string }>;
    expect(marks).toEqual([expect.objectContaining({ coord: [30, 1], value: 'NaN' })]);
  });

  it('puts alarms in bands and checkpoints in verdict colours', () => {
    const bands = (series[0].markArea?.data ?? []) as unknown as Array<Array<{ xAxis: number; itemStyle?: { color: string } }>>;
    expect(bands[0][0]).toMatchObject({ xAxis: 25, itemStyle: { color: 'crit' } });
    expect(bands[0][1].xAxis).toBe(30);
    const lines = (series[0].markLine?.data ?? []) as Array<{ xAxis: number; lineStyle: { color: string } }>;
    expect(lines.map((l) => [l.xAxis, l.lineStyle.color])).toEqual([[20, 'green'], [30, 'grey']]);
  });
});

describe('chartAlarms', () => {
  it('keeps alarms with a start step, fills absent text, and drops the rest', () => {
    const alarms = chartAlarms([
      { kind: 'spike', severity: 'warning', fromStep: 120, toStep: null, message: 'loss jumped' },
      { kind: 'nan', severity: null, fromStep: 300, toStep: 310, message: null },
      { kind: 'plateau', severity: 'info', fromStep: null, toStep: 50, message: 'flat' },
    ]);
    expect(alarms).toEqual([
      { kind: 'spike', severity: 'warning', fromStep: 120, toStep: null, message: 'loss jumped' },
      { kind: 'nan', severity: '', fromStep: 300, toStep: 310, message: '' },
    ]);
  });
});
