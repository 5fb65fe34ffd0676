// The compare page's address: a probe run's own comparison (candidate vs the run's baseline), or the same candidate
// against another target of the same suite version, e.g. the previous checkpoint: #/compare/<probeRun>?vs=<endpoint/model>.

import type { Target } from '../api';

export interface CompareRoute {
  probeRunId: string;
  vs: string | null;
}

export function compareHref(probeRunId: string, vs?: Target | null): string {
  const base = `#/compare/${encodeURIComponent(probeRunId)}`;
  return vs ? `${base}?vs=${encodeURIComponent(`${vs.endpoint}/${vs.model}`)}` : base;
}

/** Null when the hash is not a compare address (or the vs target is not endpoint/model). */
export function parseCompareRoute(hash: string): CompareRoute | null {
  const m = /^#\/compare\/([0-9a-fA-F-]{36})(?:\?vs=([^&]+))?$/.exec(hash);
  if (!m) return null;
  if (m[2] === undefined) return { probeRunId: m[1], vs: null };
  let vs: string;
  try {
    vs = decodeURIComponent(m[2]);
  } catch {
    return null;
  }
  return /^[^/]+\/.+$/.test(vs) ? { probeRunId: m[1], vs } : null;
}
