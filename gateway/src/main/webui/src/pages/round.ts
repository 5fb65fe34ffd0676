import {
  api, type Alarm, type BehaviourChange, type MetricSeries, type ProbeRun, type RoundFlag, type RoundReport, type RoundRow,
  type RoundVerdict,
} from '../api';
import { h, append, clear, fmt, pct } from '../dom';
import { t, lang } from '../i18n';
import { errorBox, type AppState } from '../app';
import { passRatePoints } from '../round/format';
import { flagSentence } from '../round/flagText';
import {
  behaviourEvidence, behaviourSentence, brokenChecksText, directionLabel, recommendationHeadline, reusedText, tagName,
  votesNeededText, type Behaviour, type Recommendation,
} from '../round/truth';
import { compareHref } from '../compare/route';
import { nonFiniteRuns, SERIES_NAMES, type LossChartData } from '../chart/lossOption';

/** Small labelled badges, one per flag; the sentence (server's, or rebuilt in Chinese) is shown as text only. */
function flagList(flags: RoundFlag[] | undefined): HTMLElement | null {
  if (!flags || flags.length === 0) return null;
  const d = t();
  const list = h('ul', { class: 'flag-list', 'data-testid': 'round-flags', 'aria-label': d.flagsTitle });
  for (const f of flags) {
    list.appendChild(h('li', { class: 'flag', 'data-testid': 'round-flag', 'data-kind': f.kind },
      h('span', { class: 'flag-badge' }, d.flagLabels[f.kind] ?? f.kind),
      h('span', { class: 'flag-message small' }, flagSentence(f.kind, f.message, f.evidence, lang()))));
  }
  return list;
}

function delta(value: number | null): HTMLElement | null {
  if (value === null || value === undefined) return null;
  const cls = value < 0 ? 'delta down' : value > 0 ? 'delta up' : 'delta';
  return h('span', { class: cls }, `${value > 0 ? '+' : ''}${value.toFixed(3)}`);
}

/** This checkpoint's candidate against the previous checkpoint's target (same suite version), on the compare page. */
function previousHref(row: RoundRow): string | null {
  const probeRunId = row.behaviour?.probeRunId ?? row.behaviourVsPrevious?.probeRunId;
  const previous = row.behaviourVsPrevious?.baseline;
  return probeRunId && previous ? compareHref(probeRunId, previous) : null;
}

function lossCell(value: number | null, change: number | null): HTMLElement {
  return h('td', { class: 'num' }, h('span', {}, fmt(value)), ' ', delta(change));
}

/** Share changed, pass-rate change and the stock phrases that rose, against the base or the previous checkpoint. */
function behaviourCell(b: BehaviourChange | null | undefined, testid: string, href: string | null,
  emptyNote?: string): HTMLElement {
  const d = t();
  if (!b) return h('td', { class: 'muted small', 'data-testid': testid }, emptyNote ?? '—');
  const compare = href ? h('a', {
    href, class: 'small', 'data-testid': testid === 'round-behaviour-base' ? 'round-compare-link' : 'round-compare-previous-link',
  }, d.compareLink) : null;
  if (b.shareChanged === null || b.shareChanged === undefined) {
    return h('td', { 'data-testid': testid }, h('div', { class: 'cell-stack' },
      b.status ? h('span', {}, h('span', { class: `status status-${b.status}` }, b.status)) : null, compare));
  }
  const bar = h('div', { class: 'mini-bar' });
  const fill = h('div', { class: 'mini-fill' });
  fill.style.width = `${Math.round(b.shareChanged * 100)}%`;
  bar.appendChild(fill);
  const points = passRatePoints(b.checks?.passRateChange);
  const checkClass = b.checks?.passRateChange === null || b.checks?.passRateChange === undefined ? ''
    : b.checks.passRateChange < 0 ? ' worse' : b.checks.passRateChange > 0 ? ' better' : '';
  const phrases = b.stockPhrases ?? [];
  const phraseList = phrases.length > 0 ? h('div', { class: 'phrase-mini', 'data-testid': `${testid}-phrases` },
    h('span', { class: 'muted small' }, d.phrasesRose(phrases.length)),
    ...phrases.slice(0, 3).map((p) => h('mark', { class: 'stock-phrase small' }, p.phrase))) : null;
  return h('td', { 'data-testid': testid }, h('div', { class: 'cell-stack' },
    h('span', {}, h('strong', {}, pct(b.shareChanged)),
      b.identicalToBaseline ? h('span', { class: 'status' }, d.identicalShort) : null),
    h('span', { class: 'muted small' }, d.changedOf(b.changed ?? 0, b.total ?? 0)), bar,
    points !== null ? h('span', { class: `small check-change${checkClass}`, 'data-testid': `${testid}-checks` },
      d.passRateChange(points)) : null,
    brokenLine(b, testid),
    phraseList, compare));
}

/** The checks the candidate broke, by name ("checks −20 pts" says which). */
function brokenLine(b: BehaviourChange, testid: string): HTMLElement | null {
  const text = brokenChecksText(b.checks?.brokenChecks, lang());
  return text === null ? null : h('span', { class: 'small muted', 'data-testid': `${testid}-broken` }, text);
}

const SERIES_QUERY = `${SERIES_NAMES.map((n) => `name=${encodeURIComponent(n)}`).join('&')}&maxPoints=600`;

function keyItem(cls: string, label: string): HTMLElement {
  return h('span', { class: 'chart-key-item' }, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), label);
}

function alarmList(alarms: Alarm[]): HTMLElement {
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

/** The loss chart card: ECharts is loaded on demand; alarms and non-finite values are also listed as text. */
function chartCard(report: RoundReport, series: MetricSeries[] | null, alarms: Alarm[] | null,
  onMounted: (dispose: () => void) => void, isAlive: () => boolean): HTMLElement {
  const d = t();
  const card = h('section', { class: 'chart-card', 'data-testid': 'round-chart-section' }, h('h2', {}, d.chartTitle));
  if (series === null) {
    append(card, h('p', { class: 'notice warn', 'data-testid': 'round-chart-unavailable' }, d.chartUnavailable));
    return card;
  }
  const data: LossChartData = {
    series: series.filter((s) => s.points && s.points.length > 0),
    alarms: alarms ?? [],
    checkpoints: report.checkpoints.map((c) => ({ step: c.step, label: c.label, verdict: c.verdict })),
  };
  if (data.series.length === 0 && data.checkpoints.length === 0) {
    append(card, h('p', { class: 'muted', 'data-testid': 'round-chart-empty' }, d.chartEmpty));
    return card;
  }
  const canvas = h('div', { class: 'loss-chart', 'data-testid': 'round-chart', role: 'img', 'aria-label': d.chartAria });
  append(card, canvas, h('div', { class: 'chart-key' },
    keyItem('swatch-better', d.keyBetter), keyItem('swatch-worse', d.keyWorse),
    keyItem('swatch-undecided', d.keyUndecided), keyItem('swatch-alarm', d.keyAlarm),
    keyItem('swatch-nonfinite', d.keyNonFinite)));
  for (const s of data.series) {
    const runs = nonFiniteRuns(s.points);
    if (runs.length === 0) continue;
    const count = runs.reduce((sum, r) => sum + r.count, 0);
    append(card, h('p', { class: 'notice error small', 'data-testid': 'round-nonfinite', 'data-series': s.name },
      d.nonFinite(s.name, count, runs[0].fromStep)));
  }
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

/** One verdict: win rate with its interval, votes, and decided or how many more votes would likely decide it. */
function verdictLine(v: RoundVerdict, label: string | null): HTMLElement {
  const d = t();
  const testid = v.against === 'previous' ? 'round-verdict-previous' : 'round-verdict-base';
  if (!v.votes || v.winRate === null || v.winRate === undefined) {
    return h('div', { class: 'cell-stack muted', 'data-testid': testid }, label ? h('span', { class: 'small' }, label) : null,
      d.chartNoVotes);
  }
  const needed = votesNeededText(v.decided, v.votesNeeded, v.votes, lang());
  return h('div', { class: 'cell-stack', 'data-testid': testid },
    label ? h('span', { class: 'small muted' }, label) : null,
    h('strong', {}, d.winRate(pct(v.winRate), pct(v.low), pct(v.high))),
    h('span', { class: 'muted small' }, `${d.votes(v.votes)} · ${v.decided ? d.decided : d.undecided}`),
    needed && !v.decided ? h('span', { class: 'small', 'data-testid': `${testid}-needed` }, needed) : null,
    v.stopped ? h('span', { class: 'small muted' }, d.stoppedEarly) : null);
}

function verdictCell(row: RoundRow): HTMLElement {
  const d = t();
  const previous = (row.verdicts ?? []).filter((v) => v.against === 'previous');
  if (!row.verdict && previous.length === 0) return h('td', { class: 'muted' }, '—');
  return h('td', {}, h('div', { class: 'cell-stack' },
    row.verdict ? verdictLine(row.verdict, previous.length > 0 ? d.behaviourVsBase : null) : null,
    ...previous.map((v) => verdictLine(v, d.vsPreviousVerdict(v.baselineStep)))));
}

/** The recommendation card: the checkpoint the human ranking recommends, its evidence, and what is missing. */
function recommendationCard(r: Recommendation | null | undefined): HTMLElement | null {
  if (!r) return null;
  const d = t();
  const card = h('section', { class: `recommendation confidence-${r.confidence}`, 'data-testid': 'round-recommendation',
    'data-step': r.step === null ? '' : String(r.step), 'data-confidence': r.confidence },
  h('h2', {}, d.recommendationTitle),
  h('p', { 'data-testid': 'round-recommendation-headline' }, h('strong', {}, recommendationHeadline(r, lang()))));
  if (r.reasons.length > 0) {
    append(card, h('h3', { class: 'small' }, d.reasonsTitle),
      h('ul', { 'data-testid': 'round-recommendation-reasons' }, ...r.reasons.map((x) => h('li', { class: 'small' }, x))));
  }
  if (r.blockers.length > 0) {
    append(card, h('h3', { class: 'small' }, d.blockersTitle),
      h('ul', { 'data-testid': 'round-recommendation-blockers' }, ...r.blockers.map((x) => h('li', { class: 'small muted' }, x))));
  }
  return card;
}

/** One sentence per checkpoint plus a small table: tag, direction, evidence. */
function behavioursRow(row: RoundRow, columns: number): HTMLElement | null {
  const list: Behaviour[] = row.behaviours ?? [];
  if (list.length === 0) return null;
  const d = t();
  const language = lang();
  const table = h('table', { class: 'table compact', 'data-testid': 'round-behaviours' },
    h('thead', {}, h('tr', {}, h('th', {}, d.behaviourTag), h('th', {}, d.behaviourDirection),
      h('th', {}, d.behaviourEvidenceHeader))),
    h('tbody', {}, ...list.map((b) => h('tr', { 'data-testid': 'round-behaviour-tag', 'data-tag': b.tag,
      'data-direction': b.direction, 'data-source': b.source },
    h('td', {}, tagName(b, language), ' ', h('span', { class: 'muted small' }, d.behaviourSource[b.source] ?? b.source)),
    h('td', {}, h('span', { class: `direction direction-${b.direction}` }, directionLabel(b.direction, language))),
    h('td', { class: 'small' }, behaviourEvidence(b, language) || '—')))));
  const cell = h('td', { colspan: String(columns) },
    h('details', { class: 'behaviours' },
      h('summary', { 'data-testid': 'round-behaviours-sentence' },
        h('strong', {}, `${d.behavioursTitle}: `), behaviourSentence(list, language)),
      table));
  return h('tr', { class: 'behaviours-row', 'data-testid': 'round-behaviours-row', 'data-checkpoint-id': row.checkpointId }, cell);
}

/** Failure reason, warnings and reused answers of a row's probe run. */
function probeRunNotes(row: RoundRow): HTMLElement[] {
  const d = t();
  const out: HTMLElement[] = [];
  if (row.failureReason) {
    out.push(h('div', { class: 'notice error small', 'data-testid': 'round-failure' },
      h('strong', {}, `${d.probeRunFailed}: `), row.failureReason));
  }
  for (const w of row.warnings ?? []) {
    out.push(h('div', { class: 'notice warn small', 'data-testid': 'round-warning' }, h('strong', {}, `${d.probeRunWarning}: `), w));
  }
  const reused = reusedText(row.reused, lang());
  if (reused) out.push(h('div', { class: 'small muted', 'data-testid': 'round-reused' }, reused));
  return out;
}

interface LiveEvent {
  type: string;
  runId?: string | null;
  probeRunId?: string;
  done?: number;
  errors?: number;
  total?: number;
}

/** Events that change what the run page shows; probe-run.progressed only moves a progress bar. */
const REFRESHING = new Set(['checkpoint.registered', 'alarm.raised', 'probe-run.started', 'probe-run.completed',
  'verdict.updated']);

function progressRow(p: ProbeRun, done: number, errors: number, total: number): HTMLElement {
  const d = t();
  const bar = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0',
    'aria-valuemax': String(total), 'aria-valuenow': String(done + errors) });
  const fill = h('div', { class: 'progress-fill' });
  fill.style.width = `${total > 0 ? Math.min(100, ((done + errors) / total) * 100) : 0}%`;
  bar.appendChild(fill);
  return h('li', { class: 'probe-progress', 'data-testid': 'probe-run-progress', 'data-probe-run-id': p.id,
    'data-step': p.step === null ? '' : String(p.step) },
    h('span', { class: `status status-${p.status}` }, p.status),
    h('span', { class: 'small' }, d.probeRunProgress(p.step === null ? '—' : String(p.step), done, total, errors)), bar);
}

/**
 * One run: the loss chart, then the round report table (loss Δ, behaviour Δ, verdict, missing) per checkpoint, with
 * progress bars for probe runs still running. Live: /api/live (server-sent events) refreshes the page when a
 * checkpoint, alarm, probe run or verdict of this run changes, and moves the progress bars as answers come in.
 */
export function renderRound(main: HTMLElement, _state: AppState, runId: string): () => void {
  const d = t();
  const page = h('section', { class: 'round', 'data-testid': 'round-page' });
  append(main, page);
  let alive = true;
  let disposeChart: (() => void) | null = null;
  const run = encodeURIComponent(runId);
  /** Probe runs of this run (progressed events name only the probe run). */
  const probeRunIds = new Set<string>();
  const liveBadge = h('span', { class: 'live-badge off', 'data-testid': 'round-live', 'data-state': 'off' }, d.liveOff);
  let refreshTimer: number | null = null;
  let loading = false;
  let again = false;

  function progressSection(runs: ProbeRun[] | null): HTMLElement | null {
    if (!runs) return null;
    const active = runs.filter((p) => p.status === 'queued' || p.status === 'running');
    if (active.length === 0) return null;
    const list = h('ul', { class: 'progress-list', 'data-testid': 'round-progress' });
    for (const p of active.sort((x, y) => (x.step ?? 0) - (y.step ?? 0))) {
      const total = p.total ?? 0;
      append(list, progressRow(p, p.counts?.done ?? 0, p.counts?.error ?? 0, total));
    }
    return h('section', { class: 'progress-card' }, h('h2', {}, d.probeRunsRunning), list);
  }

  function onLive(event: LiveEvent): void {
    const ours = event.runId === runId || (event.probeRunId !== undefined && probeRunIds.has(event.probeRunId));
    if (!ours) return;
    if (event.type === 'probe-run.progressed' && event.probeRunId) {
      const row = page.querySelector<HTMLElement>(`[data-testid="probe-run-progress"][data-probe-run-id="${CSS.escape(event.probeRunId)}"]`);
      if (row) {
        const done = event.done ?? 0;
        const errors = event.errors ?? 0;
        const total = event.total ?? 0;
        const status = row.querySelector('.status')?.textContent ?? 'running';
        row.replaceWith(progressRow({ id: event.probeRunId, project: '', runId, checkpointId: null,
          step: Number(row.dataset.step ?? NaN) || null, status }, done, errors, total));
        return;
      }
    }
    if (REFRESHING.has(event.type) || event.type === 'probe-run.progressed') scheduleRefresh();
  }

  function scheduleRefresh(): void {
    if (refreshTimer !== null) return;
    refreshTimer = window.setTimeout(() => {
      refreshTimer = null;
      void load(true);
    }, 400);
  }

  let source: EventSource | null = null;
  if (typeof EventSource !== 'undefined') {
    source = new EventSource('/api/live');
    source.onopen = () => {
      liveBadge.textContent = d.live;
      liveBadge.className = 'live-badge on';
      liveBadge.dataset.state = 'on';
    };
    source.onerror = () => {
      liveBadge.textContent = d.liveOff;
      liveBadge.className = 'live-badge off';
      liveBadge.dataset.state = 'off';
    };
    source.onmessage = (message: MessageEvent<string>) => {
      try {
        onLive(JSON.parse(message.data) as LiveEvent);
      } catch {
        // not JSON: ignore
      }
    };
  }

  async function load(quiet = false): Promise<void> {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      await loadOnce(quiet);
    } finally {
      loading = false;
      if (again && alive) {
        again = false;
        scheduleRefresh();
      }
    }
  }

  async function loadOnce(quiet: boolean): Promise<void> {
    if (!quiet) {
      disposeChart?.();
      disposeChart = null;
      clear(page);
      append(page, h('a', { href: '#/runs', class: 'back' }, d.back), h('p', { class: 'muted' }, d.loading));
    }
    // The chart's data is optional: without it the round report still shows.
    const seriesCall = api.get<{ series: MetricSeries[] }>(`/api/runs/${run}/series?${SERIES_QUERY}`)
      .then((r) => r?.series ?? [], () => null);
    const alarmsCall = api.get<Alarm[]>(`/api/runs/${run}/alarms`).then((r) => r ?? [], () => null);
    const probeRunsCall = api.get<ProbeRun[]>(`/api/probe-runs?run=${run}`).then((r) => r ?? [], () => null);
    try {
      const report = (await api.get<RoundReport>(`/api/rounds/${run}`))!;
      const [series, alarms, probeRuns] = await Promise.all([seriesCall, alarmsCall, probeRunsCall]);
      if (!alive) return;
      for (const p of probeRuns ?? []) probeRunIds.add(p.id);
      for (const c of report.checkpoints) if (c.behaviour) probeRunIds.add(c.behaviour.probeRunId);
      disposeChart?.();
      disposeChart = null;
      clear(page);
      append(page,
        h('a', { href: '#/runs', class: 'back' }, d.back),
        h('div', { class: 'title-row' }, h('h1', { 'data-testid': 'round-run-name' }, report.run.name), liveBadge),
        h('p', { class: 'muted' }, `${d.roundTitle} · ${report.run.project}`,
          report.run.baseline ? ` · ${d.baseline} ${report.run.baseline.endpoint}/${report.run.baseline.model}` : '',
          ' · ', h('a', { href: `#/runs/${run}/verdicts`, 'data-testid': 'round-verdicts-link' }, d.verdictsLink)));
      if (report.missing.length > 0) {
        const list = h('ul', { class: 'notice warn', 'data-testid': 'round-missing' });
        for (const m of report.missing) list.appendChild(h('li', {}, m));
        append(page, list);
      }
      for (const n of report.notices ?? []) {
        append(page, h('p', { class: 'notice warn', 'data-testid': 'round-notice', 'data-code': n.code }, n.message));
      }
      append(page, recommendationCard(report.recommendation));
      append(page, chartCard(report, series, alarms, (dispose) => {
        disposeChart = dispose;
      }, () => alive), progressSection(probeRuns));
      if (report.checkpoints.length === 0) {
        append(page, h('p', { class: 'empty-state muted' }, d.noCheckpoints));
        return;
      }
      const body = h('tbody');
      for (const row of report.checkpoints) {
        const notes = h('td', { class: 'notes' });
        const flags = flagList(row.flags);
        if (flags) notes.appendChild(flags);
        append(notes, ...probeRunNotes(row));
        for (const m of row.missing) notes.appendChild(h('div', { class: 'small muted' }, m));
        append(body, h('tr', { 'data-testid': 'round-row', 'data-checkpoint-id': row.checkpointId },
          h('td', { class: 'num' }, String(row.step)),
          h('td', {}, h('div', { class: 'cell-stack' }, h('strong', {}, row.label ?? '—'),
            h('span', { class: 'mono small muted' }, row.target ? `${row.target.endpoint}/${row.target.model}` : ''))),
          lossCell(row.loss.train, row.loss.trainDelta),
          lossCell(row.loss.eval, row.loss.evalDelta),
          behaviourCell(row.behaviourVsPrevious, 'round-behaviour-previous', previousHref(row),
            row === report.checkpoints[0] ? d.firstCheckpointPrevious : undefined),
          behaviourCell(row.behaviour, 'round-behaviour-base',
            row.behaviour?.probeRunId ? compareHref(row.behaviour.probeRunId) : null),
          verdictCell(row),
          notes), behavioursRow(row, 8));
      }
      append(page, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'round-table' },
        h('thead', {}, h('tr', {}, h('th', { class: 'num' }, d.step), h('th', {}, d.checkpoint),
          h('th', { class: 'num' }, d.trainLoss), h('th', { class: 'num' }, d.evalLoss), h('th', {}, d.behaviourVsPrevious),
          h('th', {}, d.behaviourVsBase),
          h('th', {}, d.verdict), h('th', {}, d.notes))),
        body)));
    } catch (e) {
      if (!alive || quiet) return; // a failed live refresh keeps what is shown
      clear(page);
      append(page, h('a', { href: '#/runs', class: 'back' }, d.back), errorBox(e, () => void load()));
    }
  }

  void load();
  return () => {
    alive = false;
    source?.close();
    if (refreshTimer !== null) window.clearTimeout(refreshTimer);
    disposeChart?.();
  };
}
