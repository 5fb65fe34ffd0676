import { describe, expect, it } from 'vitest';
import type { Strength } from '../api';
import {
  beatsBase, canExport, exportFileName, exportUrl, intervalGeometry, kappaBand, outcomeShares, strengthLabel, topTags,
  verdictState,
} from './verdictModel';

describe('intervalGeometry', () => {
  it('places the Wilson interval and the win rate on a 0–100 % track', () => {
    const g = intervalGeometry({ low: 0.36, high: 0.86, winRate: 0.65 })!;
    expect(g.left).toBeCloseTo(36);
    expect(g.width).toBeCloseTo(50);
    expect(g.point).toBeCloseTo(65);
  });

  it('clamps, orders and tolerates a missing point', () => {
    expect(intervalGeometry({ low: 1.2, high: -0.1, winRate: null })).toEqual({ left: 0, width: 100, point: null });
  });

  it('has nothing to draw without an interval', () => {
    expect(intervalGeometry({ low: null, high: 0.5, winRate: 0.5 })).toBeNull();
    expect(intervalGeometry({ low: NaN, high: 0.5, winRate: 0.5 })).toBeNull();
  });
});

describe('verdictState', () => {
  const v = (winRate: number | null, low: number | null, high: number | null, decided: boolean, votes = 20) =>
    ({ votes, winRate, low, high, decided });
  it('is better or worse only when decided, by the side of 50 % the interval lies on', () => {
    expect(verdictState(v(0.8, 0.6, 0.9, true))).toBe('better');
    expect(verdictState(v(0.2, 0.1, 0.4, true))).toBe('worse');
    expect(verdictState(v(0.6, 0.4, 0.8, false))).toBe('undecided');
    expect(verdictState(v(null, null, null, false, 0))).toBe('no-votes');
    expect(verdictState(v(0.5, 0.2, 0.8, false, 0))).toBe('no-votes');
  });
});

describe('outcomeShares', () => {
  it('gives each outcome its share of all votes', () => {
    const s = outcomeShares({ wins: 6, ties: 1, losses: 2, bothBad: 1 });
    expect(s.wins).toBeCloseTo(60);
    expect(s.ties).toBeCloseTo(10);
    expect(s.losses).toBeCloseTo(20);
    expect(s.bothBad).toBeCloseTo(10);
    expect(outcomeShares({ wins: 0, ties: 0, losses: 0, bothBad: 0 })).toEqual({ wins: 0, ties: 0, losses: 0, bothBad: 0 });
  });
});

describe('topTags', () => {
  it('sorts by votes, then by name, drops unused tags and keeps n', () => {
    const tags = {
      '套话 / stock phrase': { wins: 0, ties: 0, losses: 5, bothBad: 1 },
      'more cautious': { wins: 3, ties: 0, losses: 0, bothBad: 0 },
      'better format': { wins: 2, ties: 1, losses: 0, bothBad: 0 },
      unused: { wins: 0, ties: 0, losses: 0, bothBad: 0 },
      refused: { wins: 0, ties: 0, losses: 1, bothBad: 0 },
    };
    expect(topTags(tags, 3).map((t) => [t.tag, t.total])).toEqual([
      ['套话 / stock phrase', 6], ['better format', 3], ['more cautious', 3]]);
    expect(topTags(null)).toEqual([]);
  });
});

describe('kappaBand', () => {
  it('reads kappa with Landis & Koch', () => {
    expect(kappaBand(null)).toBe('none');
    expect(kappaBand(-0.1)).toBe('poor');
    expect(kappaBand(0.2099)).toBe('fair');
    expect(kappaBand(0.15)).toBe('slight');
    expect(kappaBand(0.55)).toBe('moderate');
    expect(kappaBand(0.7)).toBe('substantial');
    expect(kappaBand(0.9)).toBe('almost-perfect');
  });
});

describe('Bradley–Terry and exports', () => {
  it('turns a strength into the chance to beat the base', () => {
    expect(beatsBase(0)).toBeCloseTo(0.5);
    expect(beatsBase(Math.log(3))).toBeCloseTo(0.75);
    expect(beatsBase(null)).toBeNull();
  });

  it('labels targets by model unless the model repeats', () => {
    const s = (endpoint: string, model: string): Strength => ({ target: { endpoint, model }, strength: 0, low: 0, high: 0, votes: 1 });
    const all = [s('a', 'base'), s('a', 'ckpt-200'), s('b', 'ckpt-200')];
    expect(strengthLabel(all[0], all)).toBe('base');
    expect(strengthLabel(all[1], all)).toBe('a/ckpt-200');
  });

  it('builds same-origin export links and file names', () => {
    expect(exportUrl('r 1', 'trl')).toBe('/api/exports/preferences?run=r%201&format=trl');
    expect(exportFileName('r1', 'kto')).toBe('lookout-r1-kto.jsonl');
    expect(exportFileName('r1', 'llamafactory-sharegpt')).toBe('lookout-r1-llamafactory-sharegpt.json');
  });

  it('shows exports to engineers and admins only', () => {
    expect(canExport({ roles: ['engineer'] })).toBe(true);
    expect(canExport({ roles: ['admin'] })).toBe(true);
    expect(canExport({ roles: ['reviewer', 'viewer'] })).toBe(false);
  });
});
