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
      const first = await api.page<Run>(`/api/runs${query}`);
      const runs = first.items;
      let next = first.next;
      if (!alive) return;
      clear(page);
      append(page, h('h1', {}, d.runsTitle));
      if (runs.length === 0) {
        append(page, h('p', { class: 'empty-state muted', 'data-testid': 'runs-empty' }, d.runsEmpty));
        return;
      }
      const body = h('tbody');
      const shown = (): void => {
        runs.sort((x, y) => (y.createdAt ?? '').localeCompare(x.createdAt ?? ''));
        clear(body);
        for (const run of runs) {
          const created = run.createdAt ? new Date(run.createdAt).toLocaleString(lang()) : '—';
          append(body, h('tr', { 'data-testid': 'run-row', 'data-run-id': run.id },
            h('td', {}, h('a', { href: `#/runs/${run.id}`, 'data-testid': 'run-link' }, run.name)),
            h('td', {}, h('span', { class: `status status-${run.status}` }, run.status ?? '—')),
            h('td', { class: 'mono' }, run.baseline ? `${run.baseline.endpoint}/${run.baseline.model}` : '—'),
            h('td', { class: 'muted' }, created)));
        }
      };
      shown();
      append(page, h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'runs-table' },
        h('thead', {}, h('tr', {}, h('th', {}, d.runName), h('th', {}, d.status), h('th', {}, d.baseline),
          h('th', {}, d.created))),
        body)));
      // ingest pages the list (100 runs a page): further pages on demand
      const more = h('button', { type: 'button', class: 'btn', 'data-testid': 'runs-more' }, d.runsMore);
      more.hidden = next === null;
      more.addEventListener('click', () => {
        more.disabled = true;
        api.page<Run>(`/api/runs${query}`, next).then((p) => {
          if (!alive) return;
          runs.push(...p.items);
          next = p.next;
          shown();
          more.hidden = next === null;
          more.disabled = false;
        }, (e: unknown) => {
          if (!alive) return;
          more.disabled = false;
          more.before(errorBox(e));
        });
      });
      append(page, more);
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
