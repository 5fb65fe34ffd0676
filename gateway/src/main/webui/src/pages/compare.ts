import { api, targetName, type Comparison, type ComparisonItem, type ComparisonSide, type ProbeRun } from '../api';
import { h, append, clear, pct } from '../dom';
import { t } from '../i18n';
import { errorBox, type AppState } from '../app';
import { diffSides, sideRuns, type Segment } from '../compare/textDiff';
import { brokenChecks, emptyFilters, fixedChecks, matches } from '../compare/filters';

const PAGE_SIZE = 40;

/** One side's text as DOM: ins/del spans and stock-phrase marks, all text nodes. */
function sideText(segments: Segment[], phrases: string[]): HTMLElement {
  const box = h('div', { class: 'side-text' });
  for (const run of sideRuns(segments, phrases)) {
    const content: Node = run.phrase
      ? h('mark', { class: 'stock-phrase', 'data-testid': 'stock-phrase' }, run.text)
      : document.createTextNode(run.text);
    if (run.kind === 'same') box.appendChild(content);
    else box.appendChild(h('span', { class: `diff-${run.kind}`, 'data-testid': `diff-${run.kind}` }, content));
  }
  return box;
}

function side(label: string, target: string, value: ComparisonSide, segments: Segment[], phrases: string[],
  testid: string): HTMLElement {
  const d = t();
  let body: HTMLElement;
  if (value?.error) body = h('p', { class: 'output-error' }, h('strong', {}, d.noOutput), ' ', value.error);
  else if (!value?.text) body = h('p', { class: 'muted' }, d.emptyAnswer);
  else body = sideText(segments, phrases);
  return h('article', { class: `side side-${testid}`, 'data-testid': testid },
    h('header', { class: 'side-head' }, h('h3', {}, label), h('span', { class: 'mono small muted' }, target)), body);
}

function itemCard(item: ComparisonItem, report: Comparison, phrases: string[]): HTMLElement {
  const d = t();
  const baselineText = item.baseline?.error ? '' : item.baseline?.text ?? '';
  const candidateText = item.candidate?.error ? '' : item.candidate?.text ?? '';
  const diff = diffSides(baselineText, candidateText);
  const badge = item.identical
    ? h('span', { class: 'status' }, d.identical)
    : item.changed
      ? h('span', { class: 'status status-changed' }, d.changed)
      : h('span', { class: 'status' }, d.unchanged);
  const broken = brokenChecks(item);
  const fixed = fixedChecks(item);
  const checkBadges = h('span', { class: 'item-checks' },
    broken.length > 0 ? h('span', { class: 'status status-broken', 'data-testid': 'check-broken',
      title: broken.map((c) => c.type).join(', ') }, d.checksBroken(broken.length)) : null,
    fixed.length > 0 ? h('span', { class: 'status status-fixed', 'data-testid': 'check-fixed',
      title: fixed.map((c) => c.type).join(', ') }, d.checksFixed(fixed.length)) : null);
  const tags = h('span', { class: 'item-tags' });
  for (const tag of item.tags ?? []) tags.appendChild(h('span', { class: 'chip' }, tag));
  const question = h('div', { class: 'question compact' });
  for (const m of item.messages ?? []) {
    append(question, h('div', { class: `message message-${m.role}` },
      h('div', { class: 'message-role' }, d.roles[m.role] ?? m.role),
      h('div', { class: 'message-content' }, m.content)));
  }
  const facts = [
    item.similarity !== null && item.similarity !== undefined ? d.similarity(item.similarity.toFixed(2)) : null,
    item.lengthRatio !== null && item.lengthRatio !== undefined ? d.lengthRatio(item.lengthRatio.toFixed(2)) : null,
    item.identical ? null : diff.mode === 'char' ? d.diffChar : d.diffWord,
  ].filter((x): x is string => x !== null);
  return h('section', { class: 'compare-item', 'data-testid': 'compare-item', 'data-probe-id': item.probeId },
    h('header', { class: 'item-head' },
      h('span', { class: 'mono item-id' }, item.probeId), badge, checkBadges, tags,
      h('span', { class: 'muted small item-facts' }, facts.join(' · '))),
    question,
    h('div', { class: 'compare-sides' },
      side(d.baseline, targetName(report.baseline), item.baseline, diff.baseline, phrases, 'compare-baseline'),
      side(d.candidate, targetName(report.candidate), item.candidate, diff.candidate, phrases, 'compare-candidate')));
}

/** Candidate vs baseline per probe of one probe run: summary, stock phrases, filters, side-by-side diffs. */
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
      let report = (await api.get<Comparison>(`/api/comparisons?probeRun=${id}`))!;
      if (vs && report.suiteVersionId && report.candidate) {
        const query = new URLSearchParams({ suiteVersion: report.suiteVersionId,
          candidate: `${report.candidate.endpoint}/${report.candidate.model}`, baseline: vs });
        report = (await api.get<Comparison>(`/api/comparisons?${query.toString()}`))!;
      }
      const probeRun = await probeRunCall;
      if (!alive) return;
      clear(page);
      show(report, probeRun);
    } catch (e) {
      if (!alive) return;
      clear(page);
      append(page, h('a', { href: '#/runs', class: 'back' }, d.back), errorBox(e, () => void load()));
    }
  }

  function show(report: Comparison, probeRun: ProbeRun | null): void {
    const items = report.items ?? [];
    const stock = report.stockPhrases ?? [];
    const phrases = stock.map((p) => p.phrase).filter((p) => p.length > 0);
    const back = probeRun?.runId
      ? h('a', { href: `#/runs/${encodeURIComponent(probeRun.runId)}`, class: 'back', 'data-testid': 'compare-back' }, d.backToRun)
      : h('a', { href: '#/runs', class: 'back', 'data-testid': 'compare-back' }, d.back);

    const bar = h('div', { class: 'mini-bar wide' });
    const fill = h('div', { class: 'mini-fill' });
    fill.style.width = `${Math.round((report.shareChanged ?? 0) * 100)}%`; // CSSOM is CSP-safe
    bar.appendChild(fill);
    append(page, back,
      h('h1', {}, d.compareTitle),
      h('p', { class: 'muted' },
        probeRun?.step !== null && probeRun?.step !== undefined ? `${d.step} ${probeRun.step} · ` : '',
        h('span', { class: 'mono' }, targetName(report.candidate)), ' vs ',
        h('span', { class: 'mono' }, targetName(report.baseline))),
      h('div', { class: 'compare-summary', 'data-testid': 'compare-summary' },
        h('strong', { class: 'big-number' }, pct(report.shareChanged)),
        h('div', { class: 'cell-stack' },
          h('span', {}, d.summaryChanged(report.changed, report.total)),
          report.errors ? h('span', { class: 'muted small' }, d.summaryErrors(report.errors)) : null,
          bar)));

    if (report.identicalToBaseline) {
      append(page, h('div', { class: 'notice warn banner', role: 'alert', 'data-testid': 'compare-identical' },
        h('strong', {}, d.identicalTitle), h('p', {}, d.identicalDetail)));
    }

    const filters = emptyFilters();
    let limit = PAGE_SIZE;
    const cards = new Map<string, HTMLElement>();
    const list = h('div', { class: 'compare-list' });
    const count = h('span', { class: 'muted small', 'data-testid': 'compare-count', 'aria-live': 'polite' });
    const more = h('button', { type: 'button', 'data-testid': 'compare-show-more' }, d.showMore);
    const phraseButtons: HTMLButtonElement[] = [];

    function update(): void {
      const shown = items.filter((item) => matches(item, filters));
      clear(list);
      for (const item of shown.slice(0, limit)) {
        let card = cards.get(item.probeId);
        if (!card) {
          card = itemCard(item, report, phrases);
          cards.set(item.probeId, card);
        }
        list.appendChild(card);
      }
      if (shown.length === 0) list.appendChild(h('p', { class: 'empty-state muted', 'data-testid': 'compare-empty' }, d.noMatches));
      count.textContent = d.showing(Math.min(limit, shown.length), shown.length);
      more.hidden = shown.length <= limit;
      for (const b of phraseButtons) b.setAttribute('aria-pressed', String(b.dataset.phrase === filters.phrase));
    }
    const refilter = () => {
      limit = PAGE_SIZE;
      update();
    };

    if (stock.length > 0) {
      const panel = h('ul', { class: 'phrase-list' });
      for (const p of stock) {
        const probes = Array.isArray(p.probes) ? p.probes.length : p.probes;
        const button = h('button', {
          type: 'button', class: 'phrase-chip', 'data-testid': 'stock-phrase-filter', 'data-phrase': p.phrase,
          'aria-pressed': 'false', title: d.phraseFilter(p.phrase),
        }, h('mark', { class: 'stock-phrase' }, p.phrase),
        h('span', { class: 'muted small' }, d.phraseCounts(p.candidateCount, p.baselineCount)),
        probes !== null && probes !== undefined ? h('span', { class: 'muted small' }, d.phraseProbes(probes)) : null);
        button.addEventListener('click', () => {
          filters.phrase = filters.phrase === p.phrase ? null : p.phrase;
          refilter();
        });
        phraseButtons.push(button);
        panel.appendChild(h('li', {}, button));
      }
      append(page, h('section', { class: 'phrase-panel', 'data-testid': 'stock-phrases' },
        h('h2', {}, d.stockPhrasesTitle), h('p', { class: 'muted small' }, d.stockPhrasesHint), panel));
    }

    const changedBox = h('input', { type: 'checkbox', 'data-testid': 'filter-changed' });
    changedBox.addEventListener('change', () => {
      filters.changedOnly = changedBox.checked;
      refilter();
    });
    const brokenCount = items.filter((item) => brokenChecks(item).length > 0).length;
    const brokenBox = h('input', { type: 'checkbox', 'data-testid': 'filter-broken' });
    brokenBox.addEventListener('change', () => {
      filters.brokenOnly = brokenBox.checked;
      refilter();
    });
    const tagSelect = h('select', { 'data-testid': 'filter-tag', 'aria-label': d.filterTag },
      h('option', { value: '' }, d.allTags));
    for (const tag of [...new Set(items.flatMap((i) => i.tags ?? []))].sort()) {
      tagSelect.appendChild(h('option', { value: tag }, tag));
    }
    tagSelect.addEventListener('change', () => {
      filters.tag = tagSelect.value;
      refilter();
    });
    const search = h('input', {
      type: 'search', class: 'search', placeholder: d.searchPlaceholder, 'aria-label': d.filterSearch,
      'data-testid': 'filter-search',
    });
    search.addEventListener('input', () => {
      filters.search = search.value;
      refilter();
    });
    more.addEventListener('click', () => {
      limit += PAGE_SIZE;
      update();
    });

    append(page,
      h('div', { class: 'filters', 'data-testid': 'compare-filters' },
        h('label', { class: 'check' }, changedBox, d.filterChanged),
        h('label', { class: 'check', title: d.filterBrokenHint }, brokenBox, d.filterBroken,
          h('span', { class: 'muted small', 'data-testid': 'filter-broken-count' }, `(${brokenCount})`)),
        h('label', { class: 'field' }, h('span', { class: 'muted small' }, d.filterTag), tagSelect),
        search, count),
      list,
      h('div', { class: 'more' }, more));
    update();
  }

  void load();
  return () => {
    alive = false;
  };
}
