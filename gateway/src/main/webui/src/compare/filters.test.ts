import { describe, expect, it } from 'vitest';
import type { ComparisonItem } from '../api';
import { brokenChecks, emptyFilters, fixedChecks, matches } from './filters';

const item = (probeId: string, changed: boolean, statuses: string[], tags: string[] = []): ComparisonItem => ({
  probeId, tags, changed, identical: false, similarity: 0.5, lengthRatio: 1,
  messages: [{ role: 'user', content: `question ${probeId}` }],
  candidate: { text: `candidate ${probeId}`, error: null },
  baseline: { text: `baseline ${probeId}`, error: null },
  checks: statuses.map((status, index) => ({ index, type: 'contains', candidate: status !== 'broken', baseline: status !== 'fixed', status })),
});

describe('compare filters', () => {
  const items = [
    item('p1', true, ['broken', 'same']),
    item('p2', true, ['fixed']),
    item('p3', false, ['broken'], ['refunds']),
    item('p4', false, []),
    { ...item('p5', true, []), checks: null },
  ];

  it('finds broken and fixed checks', () => {
    expect(brokenChecks(items[0]).map((c) => c.index)).toEqual([0]);
    expect(fixedChecks(items[1])).toHaveLength(1);
    expect(brokenChecks(items[4])).toEqual([]);
  });

  it('"check broken" keeps only probes with a broken check, and combines with the others', () => {
    const f = { ...emptyFilters(), brokenOnly: true };
    expect(items.filter((i) => matches(i, f)).map((i) => i.probeId)).toEqual(['p1', 'p3']);
    expect(items.filter((i) => matches(i, { ...f, changedOnly: true })).map((i) => i.probeId)).toEqual(['p1']);
    expect(items.filter((i) => matches(i, { ...f, tag: 'refunds' })).map((i) => i.probeId)).toEqual(['p3']);
  });

  it('shows everything without filters, and searches text', () => {
    expect(items.filter((i) => matches(i, emptyFilters()))).toHaveLength(5);
    expect(items.filter((i) => matches(i, { ...emptyFilters(), search: 'QUESTION p4' })).map((i) => i.probeId)).toEqual(['p4']);
  });
});
