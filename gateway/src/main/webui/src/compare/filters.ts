// The compare page's filters, as plain functions (unit-tested): changed only, check broken, tag, stock phrase, search.
import type { ComparisonItem } from '../api';

export interface Filters {
  changedOnly: boolean;
  /** Only probes where a check the baseline passed now fails (status "broken"). */
  brokenOnly: boolean;
  tag: string;
  search: string;
  phrase: string | null;
}

export function emptyFilters(): Filters {
  return { changedOnly: false, brokenOnly: false, tag: '', search: '', phrase: null };
}

/** The checks of a probe that the baseline passed and the candidate fails. */
export function brokenChecks(item: ComparisonItem): NonNullable<ComparisonItem['checks']> {
  return (item.checks ?? []).filter((c) => c && c.status === 'broken');
}

/** The checks of a probe that the baseline failed and the candidate passes. */
export function fixedChecks(item: ComparisonItem): NonNullable<ComparisonItem['checks']> {
  return (item.checks ?? []).filter((c) => c && c.status === 'fixed');
}

export function matches(item: ComparisonItem, f: Filters): boolean {
  if (f.changedOnly && !item.changed) return false;
  if (f.brokenOnly && brokenChecks(item).length === 0) return false;
  if (f.tag && !(item.tags ?? []).includes(f.tag)) return false;
  const candidate = item.candidate?.text ?? '';
  const baseline = item.baseline?.text ?? '';
  if (f.phrase && !candidate.includes(f.phrase) && !baseline.includes(f.phrase)) return false;
  const needle = f.search.trim().toLowerCase();
  if (!needle) return true;
  const haystack = [item.probeId, candidate, baseline, ...(item.messages ?? []).map((m) => m.content)];
  return haystack.some((text) => (text ?? '').toLowerCase().includes(needle));
}
