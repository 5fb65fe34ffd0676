// The loss chart's ECharts option, built from plain data. No DOM and no ECharts runtime here (types only),
// so it is unit-tested as is; lossChart.ts mounts it.
import type { ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkAreaComponentOption,
  MarkLineComponentOption,
  MarkPointComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { Alarm, MetricSeries, MetricValue, RoundRow } from '../api';

export type LossOption = ComposeOption<
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | DataZoomComponentOption
  | MarkAreaComponentOption
  | MarkLineComponentOption
  | MarkPointComponentOption
>;

export const TRAIN_LOSS = 'train/loss';
export const EVAL_LOSS = 'eval/loss';
export const GRAD_NORM = 'train/grad_norm';
export const SERIES_NAMES = [TRAIN_LOSS, EVAL_LOSS, GRAD_NORM] as const;

export interface ChartCheckpoint {
  step: number;
  label: string | null;
  verdict: RoundRow['verdict'];
}

/** An alarm as the chart and the alarm list use it; alarms without a start step cannot be placed and are dropped. */
export interface ChartAlarm {
  kind: string;
  severity: string;
  fromStep: number;
  toStep: number | null;
  message: string;
}

export function chartAlarms(alarms: Alarm[]): ChartAlarm[] {
  const out: ChartAlarm[] = [];
  for (const a of alarms) {
    if (a.fromStep === null || a.fromStep === undefined) continue;
    out.push({ kind: a.kind ?? '', severity: a.severity ?? '', fromStep: a.fromStep, toStep: a.toStep ?? null,
      message: a.message ?? '' });
  }
  return out;
}

export interface LossChartData {
  series: MetricSeries[];
  alarms: ChartAlarm[];
  checkpoints: ChartCheckpoint[];
}

/** Colours from the page's CSS variables, so the chart follows the light/dark theme. */
export interface Palette {
  text: string;
  muted: string;
  border: string;
  surface: string;
  train: string;
  eval: string;
  grad: string;
  better: string;
  worse: string;
  undecided: string;
  alarm: string;
  alarmCritical: string;
  nonFinite: string;
}

export interface AxisLabels {
  step: string;
  loss: string;
  gradNorm: string;
}

export type VerdictTone = 'better' | 'worse' | 'undecided';

/** Green when humans decided the checkpoint beats the baseline, red when decided worse, grey otherwise. */
export function verdictTone(verdict: RoundRow['verdict']): VerdictTone {
  if (!verdict || !verdict.decided || !verdict.votes || verdict.winRate === null || verdict.winRate === undefined) {
    return 'undecided';
  }
  return verdict.winRate >= 0.5 ? 'better' : 'worse';
}

/** JSON numbers stay numbers; the strings "NaN", "Infinity", "-Infinity" become the non-finite values. */
export function parseValue(value: MetricValue | null | undefined): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity' || value === '+Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (value === null || value === undefined || value === '') return NaN;
  return Number(value);
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+∞';
  if (value === -Infinity) return '−∞';
  const abs = Math.abs(value);
  return abs !== 0 && (abs >= 1e5 || abs < 1e-3) ? value.toExponential(3) : value.toFixed(4);
}

/** Consecutive non-finite points of one kind, drawn as one marker at the last finite value before them. */
export interface NonFiniteRun {
  fromStep: number;
  toStep: number;
  count: number;
  label: string;
  anchor: number;
}

export function nonFiniteRuns(points: ReadonlyArray<{ step: number; value: MetricValue }>): NonFiniteRun[] {
  const runs: NonFiniteRun[] = [];
  let lastFinite: number | null = null;
  let current: NonFiniteRun | null = null;
  for (const point of points) {
    const value = parseValue(point.value);
    if (Number.isFinite(value)) {
      lastFinite = value;
      current = null;
      continue;
    }
    const label = formatValue(value);
    if (current && current.label === label) {
      current.toStep = point.step;
      current.count++;
    } else {
      current = { fromStep: point.step, toStep: point.step, count: 1, label, anchor: lastFinite ?? NaN };
      runs.push(current);
    }
  }
  // A run before any finite value sits at the first finite value after it, else at 0.
  const firstFinite = points.map((p) => parseValue(p.value)).find((v) => Number.isFinite(v)) ?? 0;
  for (const run of runs) if (Number.isNaN(run.anchor)) run.anchor = firstFinite;
  return runs;
}

/** The point nearest to a step (points in step order), or null. */
export function nearestPoint<P extends { step: number }>(points: readonly P[], step: number): P | null {
  if (points.length === 0) return null;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].step < step) lo = mid + 1;
    else hi = mid;
  }
  const after = points[lo];
  const before = lo > 0 ? points[lo - 1] : null;
  return before && step - before.step <= after.step - step ? before : after;
}

/** Alarm bands need a visible width even when an alarm names a single step. */
function alarmEnd(alarm: ChartAlarm, span: number): number {
  const to = alarm.toStep ?? alarm.fromStep;
  return to > alarm.fromStep ? to : alarm.fromStep + Math.max(1, span * 0.004);
}

export function stepExtent(data: LossChartData): [number, number] | null {
  const steps: number[] = [];
  for (const s of data.series) {
    if (s.points.length > 0) steps.push(s.points[0].step, s.points[s.points.length - 1].step);
  }
  for (const c of data.checkpoints) steps.push(c.step);
  for (const a of data.alarms) steps.push(a.fromStep, a.toStep ?? a.fromStep);
  return steps.length === 0 ? null : [Math.min(...steps), Math.max(...steps)];
}

export function buildLossOption(
  data: LossChartData,
  palette: Palette,
  axis: AxisLabels,
  tooltip?: TooltipComponentOption['formatter'],
): LossOption {
  const byName = new Map(data.series.map((s) => [s.name, s]));
  const extent = stepExtent(data) ?? [0, 1];
  const span = Math.max(1, extent[1] - extent[0]);
  const colours: Record<string, string> = { [TRAIN_LOSS]: palette.train, [EVAL_LOSS]: palette.eval, [GRAD_NORM]: palette.grad };

  const series: LineSeriesOption[] = [];
  for (const name of SERIES_NAMES) {
    const source = byName.get(name);
    // train/loss is always drawn: it carries the alarm bands and checkpoint markers.
    if (!source && name !== TRAIN_LOSS) continue;
    const points = source?.points ?? [];
    const colour = colours[name];
    const line: LineSeriesOption = {
      name,
      type: 'line',
      yAxisIndex: name === GRAD_NORM ? 1 : 0,
      showSymbol: name === EVAL_LOSS,
      symbolSize: 5,
      sampling: 'lttb',
      connectNulls: false,
      color: colour,
      lineStyle: name === GRAD_NORM ? { width: 1, type: 'dashed', opacity: 0.8 } : { width: 2 },
      emphasis: { disabled: true },
      data: points.map((p) => {
        const value = parseValue(p.value);
        return [p.step, Number.isFinite(value) ? value : null];
      }),
    };
    const runs = nonFiniteRuns(points);
    if (runs.length > 0) {
      line.markPoint = {
        symbol: 'pin',
        symbolSize: 38,
        silent: true,
        itemStyle: { color: palette.nonFinite },
        label: { color: '#fff', fontSize: 10, fontWeight: 'bold' },
        data: runs.slice(0, 30).map((run) => ({
          name: `${name} ${run.label}`,
          coord: [run.fromStep, run.anchor],
          value: run.label,
        })),
      };
    }
    series.push(line);
  }

  const host = series[0];
  if (data.alarms.length > 0) {
    host.markArea = {
      silent: true,
      label: { color: palette.muted, fontSize: 10, position: 'insideTop' },
      data: data.alarms.map((alarm) => {
        const critical = alarm.severity === 'critical' || alarm.severity === 'error';
        return [
          {
            name: alarm.kind,
            xAxis: alarm.fromStep,
            itemStyle: { color: critical ? palette.alarmCritical : palette.alarm, opacity: 0.18 },
          },
          { xAxis: alarmEnd(alarm, span) },
        ];
      }),
    };
  }
  if (data.checkpoints.length > 0) {
    const toneColour: Record<VerdictTone, string> = {
      better: palette.better, worse: palette.worse, undecided: palette.undecided,
    };
    host.markLine = {
      silent: true,
      symbol: ['none', 'circle'],
      symbolSize: 8,
      animation: false,
      data: data.checkpoints.map((c) => {
        const colour = toneColour[verdictTone(c.verdict)];
        return {
          name: c.label ?? String(c.step),
          xAxis: c.step,
          lineStyle: { color: colour, width: 2, type: 'solid' },
          itemStyle: { color: colour },
          label: { formatter: c.label ?? String(c.step), color: colour, position: 'end', fontSize: 11 },
        };
      }),
    };
  }

  const axisLine = { lineStyle: { color: palette.border } };
  const splitLine = { lineStyle: { color: palette.border, opacity: 0.6 } };
  const hasGrad = byName.has(GRAD_NORM);
  return {
    animation: false,
    textStyle: { color: palette.text },
    grid: { left: 56, right: hasGrad ? 64 : 24, top: 48, bottom: 72 },
    legend: { top: 4, textStyle: { color: palette.text }, inactiveColor: palette.muted },
    tooltip: {
      trigger: 'axis',
      confine: true,
      className: 'chart-tooltip',
      backgroundColor: palette.surface,
      borderColor: palette.border,
      textStyle: { color: palette.text },
      axisPointer: { type: 'line', lineStyle: { color: palette.muted } },
      formatter: tooltip,
    },
    xAxis: {
      type: 'value',
      name: axis.step,
      nameLocation: 'middle',
      nameGap: 26,
      min: extent[0],
      max: extent[1],
      axisLine,
      axisLabel: { color: palette.muted },
      splitLine: { show: false },
    },
    yAxis: [
      { type: 'value', name: axis.loss, scale: true, axisLine, axisLabel: { color: palette.muted }, splitLine },
      {
        type: 'value', name: axis.gradNorm, scale: true, show: hasGrad, position: 'right',
        axisLine, axisLabel: { color: palette.muted }, splitLine: { show: false },
      },
    ],
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      {
        type: 'slider', xAxisIndex: 0, filterMode: 'none', bottom: 8, height: 20,
        borderColor: palette.border, textStyle: { color: palette.muted },
        backgroundColor: 'transparent', fillerColor: 'rgba(128, 128, 128, 0.16)',
        dataBackground: { lineStyle: { color: palette.muted, opacity: 0.6 }, areaStyle: { color: palette.border } },
        selectedDataBackground: { lineStyle: { color: palette.train }, areaStyle: { color: palette.train, opacity: 0.15 } },
        handleStyle: { color: palette.surface, borderColor: palette.muted },
        moveHandleStyle: { color: palette.border },
      },
    ],
    series,
  };
}
