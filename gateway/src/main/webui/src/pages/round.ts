import { api, type Alarm, type MetricSeries, type ProbeRun, type RoundReport } from '../api';
import { h, append, clear } from '../dom';
import { t } from '../i18n';
import { errorBox, type AppState } from '../app';
import { chartAlarms, SERIES_NAMES, type ChartAlarm } from '../chart/lossOption';
import { chartCard } from '../round/chartCard';
import { connectLive, liveAction, liveBadge, quietRefresher, type LiveEvent } from '../round/live';
import { progressRow, progressSection, recommendationCard, roundTitle, runNotes } from '../round/summary';
import { roundTable } from '../round/table';

const SERIES_QUERY = `${SERIES_NAMES.map((n) => `name=${encodeURIComponent(n)}`).join('&')}&maxPoints=600`;

/** What the run page shows: the report, and the optional chart data and probe runs (null when they failed). */
interface RoundData {
  report: RoundReport;
  series: MetricSeries[] | null;
  alarms: ChartAlarm[] | null;
  probeRuns: ProbeRun[] | null;
}

/** The round report is required; the chart's data and the probe runs are optional (null when they fail). */
async function fetchRound(run: string): Promise<RoundData> {
  const seriesCall = api.get<{ series: MetricSeries[] }>(`/api/runs/${run}/series?${SERIES_QUERY}`)
    .then((r) => r?.series ?? [], () => null);
  const alarmsCall = api.get<Alarm[]>(`/api/runs/${run}/alarms`).then((r) => chartAlarms(r ?? []), () => null);
  const probeRunsCall = api.get<ProbeRun[]>(`/api/probe-runs?run=${run}`).then((r) => r ?? [], () => null);
  const report = await api.get<RoundReport>(`/api/rounds/${run}`);
  if (!report) throw new Error('empty round report');
  const [series, alarms, probeRuns] = await Promise.all([seriesCall, alarmsCall, probeRunsCall]);
  return { report, series, alarms, probeRuns };
}

/** Moves one probe run's bar in place; false when the page shows no bar for it. */
function moveProgress(page: HTMLElement, event: LiveEvent, runId: string): boolean {
  const probeRunId = event.probeRunId ?? '';
  const row = page.querySelector<HTMLElement>(
    `[data-testid="probe-run-progress"][data-probe-run-id="${CSS.escape(probeRunId)}"]`);
  if (!row) return false;
  const status = row.querySelector('.status')?.textContent ?? 'running';
  row.replaceWith(progressRow({ id: probeRunId, project: '', runId, checkpointId: null,
    step: Number(row.dataset.step ?? NaN) || null, status }, event.done ?? 0, event.errors ?? 0, event.total ?? 0));
  return true;
}

/**
 * One run: the loss chart, then the round report table (loss Δ, behaviour Δ, verdict, missing) per checkpoint, with
 * progress bars for probe runs still running. Live: /api/live (server-sent events) refreshes the page when a
 * checkpoint, alarm, probe run or verdict of this run changes, and moves the progress bars as answers come in.
 */
export function renderRound(main: HTMLElement, _state: AppState, runId: string): () => void {
  const page = h('section', { class: 'round', 'data-testid': 'round-page' });
  append(main, page);
  const run = encodeURIComponent(runId);
  /** Probe runs of this run (progressed events name only the probe run). */
  const probeRunIds = new Set<string>();
  const badge = liveBadge();
  let alive = true;
  let disposeChart: (() => void) | null = null;
  const refresher = quietRefresher((quiet) => loadOnce(quiet), () => alive);

  const source = connectLive(badge, (event) => {
    const action = liveAction(event, runId, probeRunIds);
    if (action === 'progress' && moveProgress(page, event, runId)) return;
    if (action !== 'ignore') refresher.schedule();
  });

  function resetChart(): void {
    disposeChart?.();
    disposeChart = null;
  }

  async function loadOnce(quiet: boolean): Promise<void> {
    const d = t();
    if (!quiet) {
      resetChart();
      clear(page);
      append(page, h('a', { href: '#/runs', class: 'back' }, d.back), h('p', { class: 'muted' }, d.loading));
    }
    try {
      const data = await fetchRound(run);
      if (!alive) return;
      for (const p of data.probeRuns ?? []) if (p.id) probeRunIds.add(p.id);
      for (const c of data.report.checkpoints ?? []) if (c.behaviour?.probeRunId) probeRunIds.add(c.behaviour.probeRunId);
      resetChart();
      clear(page);
      show(data);
    } catch (e) {
      if (!alive || quiet) return; // a failed live refresh keeps what is shown
      clear(page);
      append(page, h('a', { href: '#/runs', class: 'back' }, d.back), errorBox(e, () => void refresher.load(false)));
    }
  }

  function show({ report, series, alarms, probeRuns }: RoundData): void {
    append(page, h('a', { href: '#/runs', class: 'back' }, t().back), ...roundTitle(report, run, badge),
      ...runNotes(report), recommendationCard(report.recommendation),
      chartCard(report, series, alarms, (dispose) => {
        disposeChart = dispose;
      }, () => alive),
      progressSection(probeRuns), roundTable(report));
  }

  void refresher.load(false);
  return () => {
    alive = false;
    source?.close();
    refresher.cancel();
    resetChart();
  };
}
