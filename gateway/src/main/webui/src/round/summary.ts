// The top of the round page: title, run-level missing parts and notices, the recommendation card, and the progress
// of probe runs still queued or running. Server text goes in as text nodes only.
import { type ProbeRun, type RoundReport, targetName } from '../api';
import { h, append } from '../dom';
import { t, lang } from '../i18n';
import { recommendationHeadline, type Recommendation } from './truth';

/** Run name, live badge, project and baseline, and the link to the verdict page. */
export function roundTitle(report: RoundReport, run: string, liveBadge: HTMLElement): HTMLElement[] {
  const d = t();
  const info = report.run;
  return [
    h('div', { class: 'title-row' }, h('h1', { 'data-testid': 'round-run-name' }, info?.name ?? ''), liveBadge),
    h('p', { class: 'muted' }, `${d.roundTitle} · ${info?.project ?? ''}`,
      info?.baseline ? ` · ${d.baseline} ${targetName(info.baseline)}` : '',
      ' · ', h('a', { href: `#/runs/${run}/verdicts`, 'data-testid': 'round-verdicts-link' }, d.verdictsLink)),
  ];
}

/** What the whole report could not say, then run-level notices (e.g. no suite). */
export function runNotes(report: RoundReport): HTMLElement[] {
  const out: HTMLElement[] = [];
  const missing = report.missing ?? [];
  if (missing.length > 0) {
    out.push(h('ul', { class: 'notice warn', 'data-testid': 'round-missing' }, ...missing.map((m) => h('li', {}, m))));
  }
  for (const n of report.notices ?? []) {
    out.push(h('p', { class: 'notice warn', 'data-testid': 'round-notice', 'data-code': n.code }, n.message ?? ''));
  }
  return out;
}

/** The recommendation card: the checkpoint the human ranking recommends, its evidence, and what is missing. */
export function recommendationCard(r: Recommendation | null | undefined): HTMLElement | null {
  if (!r) return null;
  const d = t();
  const card = h('section', { class: `recommendation confidence-${r.confidence}`, 'data-testid': 'round-recommendation',
    'data-step': r.step === null || r.step === undefined ? '' : String(r.step), 'data-confidence': r.confidence },
  h('h2', {}, d.recommendationTitle),
  h('p', { 'data-testid': 'round-recommendation-headline' }, h('strong', {}, recommendationHeadline(r, lang()))));
  const reasons = r.reasons ?? [];
  const blockers = r.blockers ?? [];
  if (reasons.length > 0) {
    append(card, h('h3', { class: 'small' }, d.reasonsTitle),
      h('ul', { 'data-testid': 'round-recommendation-reasons' }, ...reasons.map((x) => h('li', { class: 'small' }, x))));
  }
  if (blockers.length > 0) {
    append(card, h('h3', { class: 'small' }, d.blockersTitle),
      h('ul', { 'data-testid': 'round-recommendation-blockers' }, ...blockers.map((x) => h('li', { class: 'small muted' }, x))));
  }
  return card;
}

/** One probe run's progress bar (answers done and failed of the total). */
export function progressRow(p: ProbeRun, done: number, errors: number, total: number): HTMLElement {
  const d = t();
  const bar = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0',
    'aria-valuemax': String(total), 'aria-valuenow': String(done + errors) });
  const fill = h('div', { class: 'progress-fill' });
  fill.style.width = `${total > 0 ? Math.min(100, ((done + errors) / total) * 100) : 0}%`;
  bar.appendChild(fill);
  const step = p.step === null || p.step === undefined ? null : p.step;
  return h('li', { class: 'probe-progress', 'data-testid': 'probe-run-progress', 'data-probe-run-id': p.id,
    'data-step': step === null ? '' : String(step) },
  h('span', { class: `status status-${p.status}` }, p.status ?? ''),
  h('span', { class: 'small' }, d.probeRunProgress(step === null ? '—' : String(step), done, total, errors)), bar);
}

/** Probe runs still queued or running, by step; null when there are none (or they could not be loaded). */
export function progressSection(runs: ProbeRun[] | null): HTMLElement | null {
  const active = (runs ?? []).filter((p) => p.status === 'queued' || p.status === 'running');
  if (active.length === 0) return null;
  const list = h('ul', { class: 'progress-list', 'data-testid': 'round-progress' });
  for (const p of active.sort((x, y) => (x.step ?? 0) - (y.step ?? 0))) {
    append(list, progressRow(p, p.counts?.done ?? 0, p.counts?.error ?? 0, p.total ?? 0));
  }
  return h('section', { class: 'progress-card' }, h('h2', {}, t().probeRunsRunning), list);
}
