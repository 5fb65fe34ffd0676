// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Comparison, ComparisonItem } from '../api';
import { setLang } from '../i18n';
import { compareSummary, itemCard } from './view';
import { phrasePanel } from './controls';
import { emptyFilters } from './filters';
import { compareView, probeList } from '../pages/compare';

const HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

function item(probeId: string, overrides: Partial<ComparisonItem> = {}): ComparisonItem {
  return {
    probeId, checks: [], tags: ['caution'], messages: [{ role: 'user', content: 'Is it safe?' }],
    candidate: { text: 'We will handle it as soon as possible.', error: null },
    baseline: { text: 'It is safe.', error: null },
    identical: false, similarity: 0.31, changed: true, lengthRatio: 1.8, ...overrides,
  };
}

function comparison(items: ComparisonItem[], overrides: Partial<Comparison> = {}): Comparison {
  return {
    probeRunId: 'p1', suiteVersionId: 's1', project: 'demo', candidate: { endpoint: 'vllm', model: 'lora-400' },
    baseline: { endpoint: 'vllm', model: 'base' }, total: items.length, changed: items.filter((i) => i.changed).length,
    errors: 0, shareChanged: 0.5, identicalToBaseline: false, stockPhrases: [], items, ...overrides,
  };
}

function inert(el: Element): void {
  expect(el.querySelectorAll('img, script, iframe, [onerror]')).toHaveLength(0);
}

beforeEach(() => setLang('en'));

describe('compare item', () => {
  it('shows hostile model output, questions and tags as text', () => {
    const card = itemCard(item('q1', { tags: [HOSTILE], messages: [{ role: 'user', content: HOSTILE }],
      candidate: { text: `Sure: ${HOSTILE}`, error: null } }), comparison([]), []);
    inert(card);
    expect(card.querySelector('[data-testid="compare-candidate"] .side-text')?.textContent).toBe(`Sure: ${HOSTILE}`);
    expect(card.querySelector('.message-content')?.textContent).toBe(HOSTILE);
    expect(card.querySelector('.chip')?.textContent).toBe(HOSTILE);
  });

  it('marks inserted and deleted words and highlights stock phrases', () => {
    const card = itemCard(item('q1'), comparison([]), ['as soon as possible']);
    expect(card.querySelectorAll('[data-testid="compare-candidate"] [data-testid="diff-ins"]').length).toBeGreaterThan(0);
    expect(card.querySelectorAll('[data-testid="compare-baseline"] [data-testid="diff-del"]').length).toBeGreaterThan(0);
    expect(card.querySelector('[data-testid="stock-phrase"]')?.textContent).toBe('as soon as possible');
  });

  it('shows a failed answer by its error and an empty one as empty', () => {
    const card = itemCard(item('q1', { candidate: { text: null, error: `timeout ${HOSTILE}` },
      baseline: { text: '', error: null } }), comparison([]), []);
    inert(card);
    expect(card.querySelector('[data-testid="compare-candidate"] .output-error')?.textContent).toBe(`No output timeout ${HOSTILE}`);
    expect(card.querySelector('[data-testid="compare-baseline"] p')?.textContent).toBe('(empty answer)');
  });

  it('counts broken and fixed checks', () => {
    const card = itemCard(item('q1', { checks: [
      { index: 0, type: 'regex', candidate: false, baseline: true, status: 'broken' },
      { index: 1, type: 'json', candidate: false, baseline: true, status: 'broken' },
      { index: 2, type: 'length', candidate: true, baseline: false, status: 'fixed' },
      { index: 3, type: 'contains', candidate: true, baseline: true, status: 'same' },
    ] }), comparison([]), []);
    expect(card.querySelector('[data-testid="check-broken"]')?.textContent).toBe('2 checks broken');
    expect(card.querySelector('[data-testid="check-broken"]')?.getAttribute('title')).toBe('regex, json');
    expect(card.querySelector('[data-testid="check-fixed"]')?.textContent).toBe('1 check fixed');
  });
});

describe('compare page', () => {
  it('warns when every answer is identical to the baseline, and links back to the run', () => {
    const identical = compareSummary(comparison([], { identicalToBaseline: true, shareChanged: 0 }),
      { id: 'p1', project: 'demo', runId: 'r1', checkpointId: null, step: 400, status: 'completed' });
    expect(identical[0].getAttribute('href')).toBe('#/runs/r1');
    expect(identical.filter((e) => e.dataset.testid === 'compare-identical')).toHaveLength(1);
    const changed = compareSummary(comparison([]), null);
    expect(changed[0].getAttribute('href')).toBe('#/runs');
    expect(changed.filter((e) => e.dataset.testid === 'compare-identical')).toHaveLength(0);
  });

  it('shows 40 probes at a time and says when no probe matches', () => {
    const items = Array.from({ length: 45 }, (_, i) => item(`q${i}`, { changed: i % 2 === 0 }));
    const probes = probeList(comparison(items), []);
    expect(probes.list.querySelectorAll('[data-testid="compare-item"]')).toHaveLength(40);
    expect(probes.count.textContent).toBe('40 of 45 probes');
    expect(probes.more.hidden).toBe(false);
    probes.more.click();
    expect(probes.list.querySelectorAll('[data-testid="compare-item"]')).toHaveLength(45);
    probes.filters.search = 'no such text';
    probes.refilter();
    expect(probes.list.querySelector('[data-testid="compare-empty"]')?.textContent).toBe('No probe matches these filters.');
    expect(probes.more.hidden).toBe(true);
  });

  it('filters by a stock phrase and marks its button pressed', () => {
    const filters = emptyFilters();
    let changes = 0;
    const panel = phrasePanel([{ phrase: '请您放心', candidateCount: 4, baselineCount: 0, probes: ['q1', 'q2'] }], filters,
      () => { changes += 1; });
    const button = panel?.querySelector<HTMLButtonElement>('[data-testid="stock-phrase-filter"]');
    button?.click();
    expect([filters.phrase, button?.getAttribute('aria-pressed'), changes]).toEqual(['请您放心', 'true', 1]);
    button?.click();
    expect([filters.phrase, button?.getAttribute('aria-pressed')]).toEqual([null, 'false']);
    expect(phrasePanel([], filters, () => undefined)).toBeNull();
  });

  it('puts summary, filters and probes in page order', () => {
    const nodes = compareView(comparison([item('q1')], { stockPhrases: [
      { phrase: 'as soon as possible', candidateCount: 1, baselineCount: 0, probes: ['q1'] }] }), null);
    const ids = nodes.map((n) => (n as HTMLElement).dataset.testid ?? (n as HTMLElement).className);
    expect(ids).toEqual(['compare-back', '', 'muted', 'compare-summary', 'stock-phrases', 'compare-filters', 'compare-list', 'more']);
  });
});
