// The compare page's controls: the stock-phrase panel and the filter bar. Each control writes into the shared
// Filters and calls `changed`; the page redraws the list.
import type { ComparisonItem, StockPhrase } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { brokenChecks, type Filters } from './filters';

/** The stock phrases that rose, each a toggle that filters the probes by it; null when there are none. */
export function phrasePanel(stock: StockPhrase[], filters: Filters, changed: () => void): HTMLElement | null {
  if (stock.length === 0) return null;
  const d = t();
  const buttons: HTMLButtonElement[] = [];
  const panel = h('ul', { class: 'phrase-list' });
  for (const p of stock) {
    const phrase = p.phrase ?? '';
    const probes = p.probes?.length;
    const button = h('button', {
      type: 'button', class: 'phrase-chip', 'data-testid': 'stock-phrase-filter', 'data-phrase': phrase,
      'aria-pressed': 'false', title: d.phraseFilter(phrase),
    }, h('mark', { class: 'stock-phrase' }, phrase),
    h('span', { class: 'muted small' }, d.phraseCounts(p.candidateCount ?? 0, p.baselineCount ?? 0)),
    probes !== undefined ? h('span', { class: 'muted small' }, d.phraseProbes(probes)) : null);
    button.addEventListener('click', () => {
      filters.phrase = filters.phrase === phrase ? null : phrase;
      for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.phrase === filters.phrase));
      changed();
    });
    buttons.push(button);
    panel.appendChild(h('li', {}, button));
  }
  return h('section', { class: 'phrase-panel', 'data-testid': 'stock-phrases' },
    h('h2', {}, d.stockPhrasesTitle), h('p', { class: 'muted small' }, d.stockPhrasesHint), panel);
}

function checkbox(testid: string, set: (checked: boolean) => void, changed: () => void): HTMLInputElement {
  const box = h('input', { type: 'checkbox', 'data-testid': testid });
  box.addEventListener('change', () => {
    set(box.checked);
    changed();
  });
  return box;
}

function tagSelect(items: ComparisonItem[], filters: Filters, changed: () => void): HTMLSelectElement {
  const d = t();
  const select = h('select', { 'data-testid': 'filter-tag', 'aria-label': d.filterTag }, h('option', { value: '' }, d.allTags));
  for (const tag of [...new Set(items.flatMap((i) => i.tags ?? []))].sort()) {
    select.appendChild(h('option', { value: tag }, tag));
  }
  select.addEventListener('change', () => {
    filters.tag = select.value;
    changed();
  });
  return select;
}

/** Changed only, check broken (with how many probes have one), tag, search, and the count shown. */
export function filterBar(items: ComparisonItem[], filters: Filters, count: HTMLElement, changed: () => void): HTMLElement {
  const d = t();
  const brokenCount = items.filter((item) => brokenChecks(item).length > 0).length;
  const search = h('input', {
    type: 'search', class: 'search', placeholder: d.searchPlaceholder, 'aria-label': d.filterSearch,
    'data-testid': 'filter-search',
  });
  search.addEventListener('input', () => {
    filters.search = search.value;
    changed();
  });
  return h('div', { class: 'filters', 'data-testid': 'compare-filters' },
    h('label', { class: 'check' }, checkbox('filter-changed', (on) => { filters.changedOnly = on; }, changed), d.filterChanged),
    h('label', { class: 'check', title: d.filterBrokenHint },
      checkbox('filter-broken', (on) => { filters.brokenOnly = on; }, changed), d.filterBroken,
      h('span', { class: 'muted small', 'data-testid': 'filter-broken-count' }, `(${brokenCount})`)),
    h('label', { class: 'field' }, h('span', { class: 'muted small' }, d.filterTag), tagSelect(items, filters, changed)),
    search, count);
}
