import { api, targetName, type Run } from '../api';
import { h, append, clear } from '../dom';
import { t, lang } from '../i18n';
import { errorBox, type AppState } from '../app';

/** Newest first (ISO timestamps sort as text); runs without a creation time last. */
export function newestFirst(runs: Run[]): Run[] {
  return [...runs].sort((x, y) => (y.createdAt ?? '').localeCompare(x.createdAt ?? ''));
}

/** One run: its name links to the round report. */
export function runRow(run: Run): HTMLElement {
  const created = run.createdAt ? new Date(run.createdAt).toLocaleString(lang()) : '—';
  return h('tr', { 'data-testid': 'run-row', 'data-run-id': run.id },
    h('td', {}, h('a', { href: `#/runs/${run.id}`, 'data-testid': 'run-link' }, run.name)),
    h('td', {}, h('span', { class: `status status-${run.status}` }, run.status ?? '—')),
    h('td', { class: 'mono' }, run.baseline ? targetName(run.baseline) : '—'),
    h('td', { class: 'muted' }, created));
}

function runsTable(body: HTMLElement): HTMLElement {
  const d = t();
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'runs-table' },
    h('thead', {}, h('tr', {}, h('th', {}, d.runName), h('th', {}, d.status), h('th', {}, d.baseline),
      h('th', {}, d.created))),
    body));
}

/** The table of runs and the "more runs" button: ingest pages the list (100 runs a page), further pages on demand. */
function runList(path: string, first: { items: Run[]; next: string | null }, isAlive: () => boolean): HTMLElement[] {
  const runs = [...first.items];
  let next = first.next;
  const body = h('tbody');
  const shown = (): void => {
    clear(body);
    append(body, ...newestFirst(runs).map(runRow));
  };
  const more = h('button', { type: 'button', class: 'btn', 'data-testid': 'runs-more' }, t().runsMore);
  more.hidden = next === null;
  more.addEventListener('click', () => {
    more.disabled = true;
    api.page<Run>(path, next).then((p) => {
      if (!isAlive()) return;
      runs.push(...p.items);
      next = p.next;
      shown();
      more.hidden = next === null;
      more.disabled = false;
    }, (e: unknown) => {
      if (!isAlive()) return;
      more.disabled = false;
      more.before(errorBox(e));
    });
  });
  shown();
  return [runsTable(body), more];
}

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
      const path = `/api/runs${state.project ? `?project=${encodeURIComponent(state.project)}` : ''}`;
      const first = await api.page<Run>(path);
      if (!alive) return;
      clear(page);
      append(page, h('h1', {}, d.runsTitle));
      if (first.items.length === 0) {
        append(page, h('p', { class: 'empty-state muted', 'data-testid': 'runs-empty' }, d.runsEmpty));
        return;
      }
      append(page, ...runList(path, first, () => alive));
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
