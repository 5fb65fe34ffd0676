import { api, type RoundReport, type RoundRow } from '../api';
import { h, append, clear, fmt, pct } from '../dom';
import { t } from '../i18n';
import { errorBox, type AppState } from '../app';

function delta(value: number | null): HTMLElement | null {
  if (value === null || value === undefined) return null;
  const cls = value < 0 ? 'delta down' : value > 0 ? 'delta up' : 'delta';
  return h('span', { class: cls }, `${value > 0 ? '+' : ''}${value.toFixed(3)}`);
}

function lossCell(value: number | null, change: number | null): HTMLElement {
  return h('td', { class: 'num' }, h('span', {}, fmt(value)), ' ', delta(change));
}

function behaviourCell(row: RoundRow): HTMLElement {
  const d = t();
  const b = row.behaviour;
  if (!b) return h('td', { class: 'muted' }, '—');
  if (b.shareChanged === null || b.shareChanged === undefined) {
    return h('td', {}, h('span', { class: `status status-${b.status}` }, b.status));
  }
  const bar = h('div', { class: 'mini-bar' });
  const fill = h('div', { class: 'mini-fill' });
  fill.style.width = `${Math.round(b.shareChanged * 100)}%`;
  bar.appendChild(fill);
  return h('td', {}, h('div', { class: 'cell-stack' },
    h('strong', {}, pct(b.shareChanged)),
    h('span', { class: 'muted small' }, d.changedOf(b.changed ?? 0, b.total ?? 0)), bar));
}

function verdictCell(row: RoundRow): HTMLElement {
  const d = t();
  const v = row.verdict;
  if (!v) return h('td', { class: 'muted' }, '—');
  return h('td', {}, h('div', { class: 'cell-stack' },
    h('strong', {}, d.winRate(pct(v.winRate), pct(v.low), pct(v.high))),
    h('span', { class: 'muted small' }, `${d.votes(v.votes)} · ${v.decided ? d.decided : d.undecided}`)));
}

/** One run: the round report table (loss Δ, behaviour Δ, verdict, what is missing) per checkpoint. */
export function renderRound(main: HTMLElement, _state: AppState, runId: string): () => void {
  const d = t();
  const page = h('section', { class: 'round', 'data-testid': 'round-page' });
  append(main, page);
  let alive = true;

  async function load(): Promise<void> {
    clear(page);
    append(page, h('a', { href: '#/runs', class: 'back' }, d.back), h('p', { class: 'muted' }, d.loading));
    try {
      const report = (await api.get<RoundReport>(`/api/rounds/${encodeURIComponent(runId)}`))!;
      if (!alive) return;
      clear(page);
      append(page,
        h('a', { href: '#/runs', class: 'back' }, d.back),
        h('h1', { 'data-testid': 'round-run-name' }, report.run.name),
        h('p', { class: 'muted' }, `${d.roundTitle} · ${report.run.project}`,
          report.run.baseline ? ` · ${d.baseline} ${report.run.baseline.endpoint}/${report.run.baseline.model}` : ''));
      if (report.missing.length > 0) {
        const list = h('ul', { class: 'notice warn', 'data-testid': 'round-missing' });
        for (const m of report.missing) list.appendChild(h('li', {}, m));
        append(page, list);
      }
      if (report.checkpoints.length === 0) {
        append(page, h('p', { class: 'empty-state muted' }, d.noCheckpoints));
        return;
      }
      const body = h('tbody');
      for (const row of report.checkpoints) {
        const notes = h('td', { class: 'notes' });
        for (const m of row.missing) notes.appendChild(h('div', { class: 'small muted' }, m));
        append(body, h('tr', { 'data-testid': 'round-row', 'data-checkpoint-id': row.checkpointId },
          h('td', { class: 'num' }, String(row.step)),
          h('td', {}, h('div', { class: 'cell-stack' }, h('strong', {}, row.label ?? '—'),
            h('span', { class: 'mono small muted' }, row.target ? `${row.target.endpoint}/${row.target.model}` : ''))),
          lossCell(row.loss.train, row.loss.trainDelta),
          lossCell(row.loss.eval, row.loss.evalDelta),
          behaviourCell(row),
          verdictCell(row),
          notes));
      }
      append(page, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'round-table' },
        h('thead', {}, h('tr', {}, h('th', { class: 'num' }, d.step), h('th', {}, d.checkpoint),
          h('th', { class: 'num' }, d.trainLoss), h('th', { class: 'num' }, d.evalLoss), h('th', {}, d.behaviour),
          h('th', {}, d.verdict), h('th', {}, d.notes))),
        body)));
    } catch (e) {
      if (!alive) return;
      clear(page);
      append(page, h('a', { href: '#/runs', class: 'back' }, d.back), errorBox(e, () => void load()));
    }
  }

  void load();
  return () => {
    alive = false;
  };
}
