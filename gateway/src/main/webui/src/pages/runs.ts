import { api, type Run } from '../api';
import { h, append, clear } from '../dom';
import { t, lang } from '../i18n';
import { errorBox, type AppState } from '../app';

/** Runs of the selected project, newest first; a row opens the round report. */
export function renderRuns(main: HTMLElement, state: AppState): () => void {
  const d = t();
  const page = h('section', { class: 'runs', 'data-testid': 'runs-page' });
  append(main, page);
  let alive = true;

  async function load(): Promise<void> {
    clear(page);
    append(page, h('h1', {}, d.runsTitle), h('p', { class: 'muted' }, d.loading));
    try {
      const query = state.project ? `?project=${encodeURIComponent(state.project)}` : '';
      const runs = (await api.get<Run[]>(`/api/runs${query}`)) ?? [];
      if (!alive) return;
      clear(page);
      append(page, h('h1', {}, d.runsTitle));
      if (runs.length === 0) {
        append(page, h('p', { class: 'empty-state muted', 'data-testid': 'runs-empty' }, d.runsEmpty));
        return;
      }
      runs.sort((x, y) => (y.createdAt ?? '').localeCompare(x.createdAt ?? ''));
      const body = h('tbody');
      for (const run of runs) {
        const created = run.createdAt ? new Date(run.createdAt).toLocaleString(lang()) : '—';
        append(body, h('tr', { 'data-testid': 'run-row', 'data-run-id': run.id },
          h('td', {}, h('a', { href: `#/runs/${run.id}`, 'data-testid': 'run-link' }, run.name)),
          h('td', {}, h('span', { class: `status status-${run.status}` }, run.status ?? '—')),
          h('td', { class: 'mono' }, run.baseline ? `${run.baseline.endpoint}/${run.baseline.model}` : '—'),
          h('td', { class: 'muted' }, created)));
      }
      append(page, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'runs-table' },
        h('thead', {}, h('tr', {}, h('th', {}, d.runName), h('th', {}, d.status), h('th', {}, d.baseline),
          h('th', {}, d.created))),
        body)));
    } catch (e) {
      if (!alive) return;
      clear(page);
      append(page, h('h1', {}, d.runsTitle), errorBox(e, () => void load()));
    }
  }

  void load();
  return () => {
    alive = false;
  };
}
