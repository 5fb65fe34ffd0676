// Plain data for the verdict and Bradley–Terry views: interval geometry, outcome shares, top tags, agreement
// wording, export links. No DOM and no ECharts here, so it is unit-tested as is.
import type { Me, Strength, TagCounts, Verdict } from '../api';

/** Positions in percent of a 0–100 % track: the interval [low, high] and the point estimate. */
export interface IntervalGeometry {
  left: number;
  width: number;
  point: number | null;
}

const clampPct = (value: number) => Math.min(100, Math.max(0, value * 100));

/** Where the Wilson interval's bar and the win rate's dot go; null when there is no interval yet. */
export function intervalGeometry(v: Pick<Verdict, 'low' | 'high' | 'winRate'>): IntervalGeometry | null {
  if (v.low === null || v.high === null || v.low === undefined || v.high === undefined) return null;
  if (!Number.isFinite(v.low) || !Number.isFinite(v.high)) return null;
  const low = clampPct(Math.min(v.low, v.high));
  const high = clampPct(Math.max(v.low, v.high));
  const point = v.winRate === null || v.winRate === undefined || !Number.isFinite(v.winRate) ? null : clampPct(v.winRate);
  return { left: low, width: high - low, point };
}

export type VerdictState = 'better' | 'worse' | 'undecided' | 'no-votes';

/** decided once the interval excludes 50 %: better when it lies above, worse when below. */
export function verdictState(v: Pick<Verdict, 'votes' | 'winRate' | 'low' | 'high' | 'decided'>): VerdictState {
  if (!v.votes || v.winRate === null || v.winRate === undefined) return 'no-votes';
  if (!v.decided) return 'undecided';
  if (v.low !== null && v.low !== undefined && v.low > 0.5) return 'better';
  if (v.high !== null && v.high !== undefined && v.high < 0.5) return 'worse';
  return v.winRate >= 0.5 ? 'better' : 'worse';
}

export type Outcome = 'wins' | 'ties' | 'losses' | 'bothBad';
export const OUTCOMES: readonly Outcome[] = ['wins', 'ties', 'losses', 'bothBad'];

/** Share of each outcome among all votes, in percent (sums to 100 when there are votes, else all 0). */
export function outcomeShares(v: Pick<Verdict, Outcome>): Record<Outcome, number> {
  const total = OUTCOMES.reduce((sum, o) => sum + (v[o] ?? 0), 0);
  const shares = { wins: 0, ties: 0, losses: 0, bothBad: 0 };
  if (total === 0) return shares;
  for (const o of OUTCOMES) shares[o] = ((v[o] ?? 0) / total) * 100;
  return shares;
}

export interface TopTag extends TagCounts {
  tag: string;
  total: number;
}

/** The most used rubric tags, most votes first (ties by name), at most n. */
export function topTags(tags: Record<string, TagCounts> | null | undefined, n = 3): TopTag[] {
  if (!tags) return [];
  return Object.entries(tags)
    .map(([tag, c]) => {
      const counts = { wins: c?.wins ?? 0, ties: c?.ties ?? 0, losses: c?.losses ?? 0, bothBad: c?.bothBad ?? 0 };
      return { tag, ...counts, total: counts.wins + counts.ties + counts.losses + counts.bothBad };
    })
    .filter((t) => t.total > 0)
    .sort((x, y) => y.total - x.total || x.tag.localeCompare(y.tag))
    .slice(0, n);
}

export type KappaBand = 'none' | 'poor' | 'slight' | 'fair' | 'moderate' | 'substantial' | 'almost-perfect';

/** Landis & Koch's bands for a kappa (the usual reading); 'none' without one. */
export function kappaBand(kappa: number | null | undefined): KappaBand {
  if (kappa === null || kappa === undefined || !Number.isFinite(kappa)) return 'none';
  if (kappa < 0) return 'poor';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost-perfect';
}

/** P(i beats the base) for a Bradley–Terry strength on the log scale with the base fixed at 0. */
export function beatsBase(strength: number | null | undefined): number | null {
  if (strength === null || strength === undefined || !Number.isFinite(strength)) return null;
  return 1 / (1 + Math.exp(-strength));
}

export const EXPORT_FORMATS = [
  'llamafactory-sharegpt', 'llamafactory-alpaca', 'trl', 'kto', 'llamafactory-dataset-info',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Same-origin download link: the browser sends the session cookie, the gateway forwards the user's token. */
export function exportUrl(runId: string, format: ExportFormat): string {
  return `/api/exports/preferences?run=${encodeURIComponent(runId)}&format=${encodeURIComponent(format)}`;
}

/** The file name review-service suggests (Content-Disposition), for the download attribute. */
export function exportFileName(runId: string, format: ExportFormat): string {
  const jsonl = format === 'trl' || format === 'kto';
  return `lookout-${runId}-${format}.${jsonl ? 'jsonl' : 'json'}`;
}

/** Exports are for engineers and admins (review-service answers 403 to everybody else). */
export function canExport(me: Pick<Me, 'roles'>): boolean {
  const roles = me.roles ?? [];
  return roles.includes('engineer') || roles.includes('admin');
}

/** A short name for a target: the model when it is unique, else endpoint/model. */
export function strengthLabel(s: Strength, all: Strength[]): string {
  const model = s.target?.model ?? '';
  const sameModel = all.filter((o) => (o.target?.model ?? '') === model).length;
  return sameModel > 1 ? `${s.target?.endpoint ?? ''}/${model}` : model;
}
