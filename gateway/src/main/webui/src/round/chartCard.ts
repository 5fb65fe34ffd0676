// The run page's loss chart card: ECharts is loaded on demand; alarms and non-finite values are also listed as text.
import type { MetricSeries, RoundReport } from '../api';
import { h, append } from '../dom';
import { t } from '../i18n';
import { nonFiniteRuns, type ChartAlarm, type LossChartData } from '../chart/lossOption';

function keyItem(cls: string, label: string): HTMLElement {
  return h('span', { class: 'chart-key-item' }, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), label);
}

export function alarmList(alarms: ChartAlarm[]): HTMLElement {
  const d = t();
  const list = h('ul', { class: 'alarm-list', 'data-testid': 'round-alarms', 'aria-label': d.alarmsTitle });
  for (const alarm of [...alarms].sort((x, y) => x.fromStep - y.fromStep)) {
    list.appendChild(h('li', { class: `alarm severity-${alarm.severity}`, 'data-testid': 'round-alarm', 'data-kind': alarm.kind },
      h('span', { class: `status severity-${alarm.severity}` }, alarm.kind),
      h('span', { class: 'muted small' }, d.alarmSteps(alarm.fromStep, alarm.toStep)),
      h('span', { class: 'alarm-message' }, alarm.message)));
  }
  return list;
}

/** What the chart draws: series with points, alarms, and the checkpoints coloured by their verdict. */
export function chartData(report: RoundReport, series: MetricSeries[], alarms: ChartAlarm[] | null): LossChartData {
  return {
    series: series.filter((s) => s.points && s.points.length > 0),
    alarms: alarms ?? [],
    checkpoints: (report.checkpoints ?? []).map((c) => ({ step: c.step ?? 0, label: c.label ?? null, verdict: c.verdict ?? null })),
  };
}

function nonFiniteNotes(data: LossChartData): HTMLElement[] {
  const d = t();
  const out: HTMLElement[] = [];
  for (const s of data.series) {
    const runs = nonFiniteRuns(s.points);
    if (runs.length === 0) continue;
    const count = runs.reduce((sum, r) => sum + r.count, 0);
    out.push(h('p', { class: 'notice error small', 'data-testid': 'round-nonfinite', 'data-series': s.name },
      d.nonFinite(s.name ?? '', count, runs[0].fromStep)));
  }
  return out;
}

function chartKey(): HTMLElement {
  const d = t();
  return h('div', { class: 'chart-key' },
    keyItem('swatch-better', d.keyBetter), keyItem('swatch-worse', d.keyWorse),
    keyItem('swatch-undecided', d.keyUndecided), keyItem('swatch-alarm', d.keyAlarm),
    keyItem('swatch-nonfinite', d.keyNonFinite));
}

/** The card; `onMounted` receives the chart's dispose function once the lazily loaded chart is drawn. */
export function chartCard(report: RoundReport, series: MetricSeries[] | null, alarms: ChartAlarm[] | null,
  onMounted: (dispose: () => void) => void, isAlive: () => boolean): HTMLElement {
  const d = t();
  const card = h('section', { class: 'chart-card', 'data-testid': 'round-chart-section' }, h('h2', {}, d.chartTitle));
  if (series === null) {
    append(card, h('p', { class: 'notice warn', 'data-testid': 'round-chart-unavailable' }, d.chartUnavailable));
    return card;
  }
  const data = chartData(report, series, alarms);
  if (data.series.length === 0 && data.checkpoints.length === 0) {
    append(card, h('p', { class: 'muted', 'data-testid': 'round-chart-empty' }, d.chartEmpty));
    return card;
  }
  const canvas = h('div', { class: 'loss-chart', 'data-testid': 'round-chart', role: 'img', 'aria-label': d.chartAria });
  append(card, canvas, chartKey(), ...nonFiniteNotes(data));
  if (alarms === null) append(card, h('p', { class: 'muted small' }, d.alarmsUnavailable));
  else if (alarms.length > 0) append(card, alarmList(alarms));
  import('../chart/lossChart')
    .then(({ mountLossChart }) => {
      if (isAlive()) onMounted(mountLossChart(canvas, data));
    })
    .catch(() => {
      if (isAlive()) canvas.replaceWith(h('p', { class: 'notice warn' }, d.chartUnavailable));
    });
  return card;
}
