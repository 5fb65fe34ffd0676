// The round report table: one row per checkpoint (loss Δ, behaviour Δ against the previous checkpoint and the base,
// verdicts, flags and what is missing), plus a behaviours row under it. DOM only through h(): every server or model
// text goes in as a text node.
import { type BehaviourChange, type RoundFlag, type RoundReport, type RoundRow, type RoundVerdict, targetName } from '../api';
import { h, append, fmt, pct } from '../dom';
import { t, lang } from '../i18n';
import { passRatePoints } from './format';
import { flagSentence } from './flagText';
import {
  behaviourEvidence, behaviourSentence, brokenChecksText, directionLabel, reusedText, tagName, votesNeededText,
} from './truth';
import { compareHref } from '../compare/route';

/** Small labelled badges, one per flag; the sentence (server's, or rebuilt in Chinese) is shown as text only. */
export function flagList(flags: RoundFlag[] | null | undefined): HTMLElement | null {
  if (!flags || flags.length === 0) return null;
  const d = t();
  const list = h('ul', { class: 'flag-list', 'data-testid': 'round-flags', 'aria-label': d.flagsTitle });
  for (const f of flags) {
    const kind = f.kind ?? '';
    list.appendChild(h('li', { class: 'flag', 'data-testid': 'round-flag', 'data-kind': kind },
      h('span', { class: 'flag-badge' }, d.flagLabels[kind] ?? kind),
      h('span', { class: 'flag-message small' }, flagSentence(kind, f.message ?? '', f.evidence, lang()))));
  }
  return list;
}

function delta(value: number | null | undefined): HTMLElement | null {
  if (value === null || value === undefined) return null;
  const cls = value < 0 ? 'delta down' : value > 0 ? 'delta up' : 'delta';
  return h('span', { class: cls }, `${value > 0 ? '+' : ''}${value.toFixed(3)}`);
}

function lossCell(value: number | null | undefined, change: number | null | undefined): HTMLElement {
  return h('td', { class: 'num' }, h('span', {}, fmt(value)), ' ', delta(change));
}

/** This checkpoint's candidate against the previous checkpoint's target (same suite version), on the compare page. */
export function previousHref(row: RoundRow): string | null {
  const probeRunId = row.behaviour?.probeRunId ?? row.behaviourVsPrevious?.probeRunId;
  const previous = row.behaviourVsPrevious?.baseline;
  return probeRunId && previous ? compareHref(probeRunId, previous) : null;
}

/** The checks the candidate broke, by name ("checks −20 pts" says which). */
function brokenLine(b: BehaviourChange, testid: string): HTMLElement | null {
  const text = brokenChecksText(b.checks?.brokenChecks, lang());
  return text === null ? null : h('span', { class: 'small muted', 'data-testid': `${testid}-broken` }, text);
}

function shareBar(share: number): HTMLElement {
  const fill = h('div', { class: 'mini-fill' });
  fill.style.width = `${Math.round(share * 100)}%`; // CSSOM is CSP-safe
  return h('div', { class: 'mini-bar' }, fill);
}

function checksLine(b: BehaviourChange, testid: string): HTMLElement | null {
  const change = b.checks?.passRateChange;
  const points = passRatePoints(change);
  if (points === null || change === null || change === undefined) return null;
  const tone = change < 0 ? ' worse' : change > 0 ? ' better' : '';
  return h('span', { class: `small check-change${tone}`, 'data-testid': `${testid}-checks` }, t().passRateChange(points));
}

function phraseLine(b: BehaviourChange, testid: string): HTMLElement | null {
  const phrases = b.stockPhrases ?? [];
  if (phrases.length === 0) return null;
  return h('div', { class: 'phrase-mini', 'data-testid': `${testid}-phrases` },
    h('span', { class: 'muted small' }, t().phrasesRose(phrases.length)),
    ...phrases.slice(0, 3).map((p) => h('mark', { class: 'stock-phrase small' }, p.phrase ?? '')));
}

/** Share changed, pass-rate change and the stock phrases that rose, against the base or the previous checkpoint. */
export function behaviourCell(b: BehaviourChange | null | undefined, testid: string, href: string | null,
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
  return h('td', { 'data-testid': testid }, h('div', { class: 'cell-stack' },
    h('span', {}, h('strong', {}, pct(b.shareChanged)),
      b.identicalToBaseline ? h('span', { class: 'status' }, d.identicalShort) : null),
    h('span', { class: 'muted small' }, d.changedOf(b.changed ?? 0, b.total ?? 0)), shareBar(b.shareChanged),
    checksLine(b, testid), brokenLine(b, testid), phraseLine(b, testid), compare));
}

/** One verdict: win rate with its interval, votes, and decided or how many more votes would likely decide it. */
export function verdictLine(v: RoundVerdict, label: string | null): HTMLElement {
  const d = t();
  const testid = v.against === 'previous' ? 'round-verdict-previous' : 'round-verdict-base';
  const votes = v.votes ?? 0;
  const decided = v.decided === true;
  if (!votes || v.winRate === null || v.winRate === undefined) {
    return h('div', { class: 'cell-stack muted', 'data-testid': testid }, label ? h('span', { class: 'small' }, label) : null,
      d.chartNoVotes);
  }
  const needed = votesNeededText(decided, v.votesNeeded, votes, lang());
  return h('div', { class: 'cell-stack', 'data-testid': testid },
    label ? h('span', { class: 'small muted' }, label) : null,
    h('strong', {}, d.winRate(pct(v.winRate), pct(v.low), pct(v.high))),
    h('span', { class: 'muted small' }, `${d.votes(votes)} · ${decided ? d.decided : d.undecided}`),
    needed && !decided ? h('span', { class: 'small', 'data-testid': `${testid}-needed` }, needed) : null,
    v.stopped ? h('span', { class: 'small muted' }, d.stoppedEarly) : null);
}

export function verdictCell(row: RoundRow): HTMLElement {
  const d = t();
  const previous = (row.verdicts ?? []).filter((v) => v.against === 'previous');
  if (!row.verdict && previous.length === 0) return h('td', { class: 'muted' }, '—');
  return h('td', {}, h('div', { class: 'cell-stack' },
    row.verdict ? verdictLine(row.verdict, previous.length > 0 ? d.behaviourVsBase : null) : null,
    ...previous.map((v) => verdictLine(v, d.vsPreviousVerdict(v.baselineStep ?? null)))));
}

/** One sentence per checkpoint plus a small table: tag, direction, evidence. */
export function behavioursRow(row: RoundRow, columns: number): HTMLElement | null {
  const list = row.behaviours ?? [];
  if (list.length === 0) return null;
  const d = t();
  const language = lang();
  const table = h('table', { class: 'table compact', 'data-testid': 'round-behaviours' },
    h('thead', {}, h('tr', {}, h('th', {}, d.behaviourTag), h('th', {}, d.behaviourDirection),
      h('th', {}, d.behaviourEvidenceHeader))),
    h('tbody', {}, ...list.map((b) => h('tr', { 'data-testid': 'round-behaviour-tag', 'data-tag': b.tag,
      'data-direction': b.direction, 'data-source': b.source },
    h('td', {}, tagName(b, language), ' ', h('span', { class: 'muted small' }, d.behaviourSource[b.source ?? ''] ?? b.source)),
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
export function probeRunNotes(row: RoundRow): HTMLElement[] {
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

function notesCell(row: RoundRow): HTMLElement {
  const notes = h('td', { class: 'notes' });
  append(notes, flagList(row.flags), ...probeRunNotes(row));
  for (const m of row.missing ?? []) notes.appendChild(h('div', { class: 'small muted' }, m));
  return notes;
}

/** The checkpoint's row; `first` says the previous checkpoint is the base (nothing to compare with). */
export function checkpointRow(row: RoundRow, first: boolean): HTMLElement {
  const d = t();
  const probeRunId = row.behaviour?.probeRunId;
  return h('tr', { 'data-testid': 'round-row', 'data-checkpoint-id': row.checkpointId },
    h('td', { class: 'num' }, String(row.step)),
    h('td', {}, h('div', { class: 'cell-stack' }, h('strong', {}, row.label ?? '—'),
      h('span', { class: 'mono small muted' }, row.target ? targetName(row.target) : ''))),
    lossCell(row.loss?.train, row.loss?.trainDelta),
    lossCell(row.loss?.eval, row.loss?.evalDelta),
    behaviourCell(row.behaviourVsPrevious, 'round-behaviour-previous', previousHref(row),
      first ? d.firstCheckpointPrevious : undefined),
    behaviourCell(row.behaviour, 'round-behaviour-base', probeRunId ? compareHref(probeRunId) : null),
    verdictCell(row),
    notesCell(row));
}

const COLUMNS = 8;

/** The table of all checkpoints, or the "no checkpoints yet" note. */
export function roundTable(report: RoundReport): HTMLElement {
  const d = t();
  const rows = report.checkpoints ?? [];
  if (rows.length === 0) return h('p', { class: 'empty-state muted' }, d.noCheckpoints);
  const body = h('tbody');
  rows.forEach((row, i) => append(body, checkpointRow(row, i === 0), behavioursRow(row, COLUMNS)));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'round-table' },
    h('thead', {}, h('tr', {}, h('th', { class: 'num' }, d.step), h('th', {}, d.checkpoint),
      h('th', { class: 'num' }, d.trainLoss), h('th', { class: 'num' }, d.evalLoss), h('th', {}, d.behaviourVsPrevious),
      h('th', {}, d.behaviourVsBase),
      h('th', {}, d.verdict), h('th', {}, d.notes))),
    body));
}
