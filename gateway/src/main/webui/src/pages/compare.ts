import { api, type Comparison, type ComparisonItem, type ProbeRun } from '../api';
import { h, append, clear } from '../dom';
import { t } from '../i18n';
import { errorBox, type AppState } from '../app';
import { emptyFilters, matches } from '../compare/filters';
import { compareSummary, itemCard } from '../compare/view';
import { filterBar, phrasePanel } from '../compare/controls';

const PAGE_SIZE = 40;

/** The comparison of a probe run, or with `vs` the same candidate against another target of its suite version. */
async function fetchComparison(id: string, vs: string | null): Promise<Comparison> {
  const report = await api.get<Comparison>(`/api/comparisons?probeRun=${id}`);
  if (!report) throw new Error('empty comparison');
  if (!vs || !report.suiteVersionId || !report.candidate) return report;
  const query = new URLSearchParams({ suiteVersion: report.suiteVersionId,
    candidate: `${report.candidate.endpoint}/${report.candidate.model}`, baseline: vs });
  const other = await api.get<Comparison>(`/api/comparisons?${query.toString()}`);
  if (!other) throw new Error('empty comparison');
  return other;
}

/**
 * The filtered list of probes, 40 at a time ("show more" adds 40); cards are built once per probe and reused.
 * Returns the nodes to place and `refilter`, which starts again at the first 40.
 */
export function probeList(report: Comparison, phrases: string[]) {
  const d = t();
  const items = report.items ?? [];
  const filters = emptyFilters();
  const cards = new Map<ComparisonItem, HTMLElement>();
  const list = h('div', { class: 'compare-list' });
  const count = h('span', { class: 'muted small', 'data-testid': 'compare-count', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', 'data-testid': 'compare-show-more' }, d.showMore);
  let limit = PAGE_SIZE;

  function update(): void {
    const shown = items.filter((item) => matches(item, filters));
    clear(list);
    for (const item of shown.slice(0, limit)) {
      let card = cards.get(item);
      if (!card) {
        card = itemCard(item, report, phrases);
        cards.set(item, card);
      }
      list.appendChild(card);
    }
    if (shown.length === 0) list.appendChild(h('p', { class: 'empty-state muted', 'data-testid': 'compare-empty' }, d.noMatches));
    count.textContent = d.showing(Math.min(limit, shown.length), shown.length);
    more.hidden = shown.length <= limit;
  }
  const refilter = () => {
    limit = PAGE_SIZE;
    update();
  };
  more.addEventListener('click', () => {
    limit += PAGE_SIZE;
    update();
  });
  update();
  return { items, filters, list, count, more, refilter };
}

/** Summary, stock phrases, filters and the probes of one comparison. */
export function compareView(report: Comparison, probeRun: ProbeRun | null): Node[] {
  const stock = report.stockPhrases ?? [];
  const phrases = stock.map((p) => p.phrase ?? '').filter((p) => p.length > 0);
  const probes = probeList(report, phrases);
  const panel = phrasePanel(stock, probes.filters, probes.refilter);
  return [...compareSummary(report, probeRun), ...(panel ? [panel] : []),
    filterBar(probes.items, probes.filters, probes.count, probes.refilter),
    probes.list, h('div', { class: 'more' }, probes.more)];
}

/**
 * The behaviour diff of a probe run: its candidate against the run's baseline, or with `vs` (endpoint/model) against
 * another target of the same suite version, such as the previous checkpoint.
 */
export function renderCompare(main: HTMLElement, _state: AppState, probeRunId: string, vs: string | null = null): () => void {
  const d = t();
  const page = h('section', { class: 'compare', 'data-testid': 'compare-page' });
  append(main, page);
  let alive = true;
  const id = encodeURIComponent(probeRunId);

  async function load(): Promise<void> {
    clear(page);
    append(page, h('a', { href: '#/runs', class: 'back' }, d.back), h('p', { class: 'muted' }, d.loading));
    const probeRunCall = api.get<ProbeRun>(`/api/probe-runs/${id}`).catch(() => null);
    try {
      const report = await fetchComparison(id, vs);
      const probeRun = await probeRunCall;
      if (!alive) return;
      clear(page);
      append(page, ...compareView(report, probeRun));
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
