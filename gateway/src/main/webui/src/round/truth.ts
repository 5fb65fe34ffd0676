// The round report's recommendation, behaviours and votes-needed in the reader's language (pure, unit-tested).
// The server sends structured fields; these build the sentences in English and Chinese from them.

import type { BehaviourEvidence, BehaviourTag, NamedCheck, Recommendation } from '../api';
import type { Lang } from '../i18n';
import { passRatePoints } from './format';

export type Direction = 'toward' | 'away' | 'unclear';

export type { BehaviourEvidence, NamedCheck, Recommendation };
/** One behaviour of a round report row (a suite or rubric tag) and where it moved. */
export type Behaviour = BehaviourTag;

function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '?' : `${Math.round(v * 100)}%`;
}

/** A tag's name for display: the rubric label in the reader's language when there is one, else the tag itself. */
export function tagName(b: { tag?: string | null; label?: { en?: string | null; zh?: string | null } | null },
  language: Lang): string {
  const label = b.label ?? null;
  const text = language === 'zh-CN' ? label?.zh ?? label?.en : label?.en ?? label?.zh;
  return text && text.trim() !== '' ? text : b.tag ?? '';
}

/** The sentences in both languages (exported for the translation test). */
export const TEXT = {
  en: {
    toward: 'toward',
    away: 'away',
    unclear: 'unclear',
    sentence: (toward: string[], away: string[], unclear: number) => {
      const parts: string[] = [];
      if (toward.length > 0) parts.push(`more like what we want on ${toward.join(', ')}`);
      if (away.length > 0) parts.push(`less so on ${away.join(', ')}`);
      if (parts.length === 0) return unclear > 0 ? `No behaviour moved clearly yet (${unclear} unclear).` : 'No behaviours known yet.';
      return `${parts.join('; ')}${unclear > 0 ? `; ${unclear} unclear` : ''}.`.replace(/^./, (c) => c.toUpperCase());
    },
    probesChanged: (changed: number, probes: number) => `${changed} of ${probes} probes changed`,
    checks: (points: string) => `checks ${points} pts`,
    humans: (rate: string, low: string, high: string, votes: number) => `humans ${rate} (95% ${low}–${high}) over ${votes} votes`,
    tagged: (wins: number, votes: number) => `with the candidate winning in ${wins} of ${votes} tagged votes`,
    votesNeeded: (n: number) => `~${n} more vote${n === 1 ? '' : 's'} would likely decide it`,
    votesNeverDecide: 'more votes are unlikely to decide it at this rate',
    decided: 'decided',
    recommend: (step: number, confidence: string) => `Recommended: checkpoint at step ${step} (${confidence} confidence)`,
    notEnough: 'Not enough evidence to recommend a checkpoint yet',
    confidence: { high: 'high', medium: 'medium', low: 'low', none: 'no' } as Record<string, string>,
    brokenChecks: (names: string) => `broken: ${names}`,
    reused: (n: number) => `${n} answer${n === 1 ? '' : 's'} reused from an earlier probe run`,
  },
  zh: {
    toward: '更接近',
    away: '偏离',
    unclear: '不明确',
    sentence: (toward: string[], away: string[], unclear: number) => {
      const parts: string[] = [];
      if (toward.length > 0) parts.push(`在${toward.join('、')}上更接近期望`);
      if (away.length > 0) parts.push(`在${away.join('、')}上偏离期望`);
      if (parts.length === 0) return unclear > 0 ? `尚无明确变化的行为（${unclear} 项不明确）。` : '尚不知道行为变化。';
      return `${parts.join('；')}${unclear > 0 ? `；${unclear} 项不明确` : ''}。`;
    },
    probesChanged: (changed: number, probes: number) => `${probes} 个探针中 ${changed} 个变了`,
    checks: (points: string) => `检查通过率 ${points} 个百分点`,
    humans: (rate: string, low: string, high: string, votes: number) => `评审胜率 ${rate}（95% ${low}–${high}，${votes} 票）`,
    tagged: (wins: number, votes: number) => `带此标签的 ${votes} 票中候选胜 ${wins} 票`,
    votesNeeded: (n: number) => `约再需 ${n} 票即可定论`,
    votesNeverDecide: '按当前胜率，再多投票也难以定论',
    decided: '已定论',
    recommend: (step: number, confidence: string) => `推荐：第 ${step} 步的检查点（置信度${confidence}）`,
    notEnough: '证据不足，暂不推荐检查点',
    confidence: { high: '高', medium: '中', low: '低', none: '无' } as Record<string, string>,
    brokenChecks: (names: string) => `失败的检查：${names}`,
    reused: (n: number) => `${n} 个回答沿用了之前探针运行的结果`,
  },
};

function text(language: Lang) {
  return language === 'zh-CN' ? TEXT.zh : TEXT.en;
}

/** The direction's word ("toward" / "更接近" …). */
export function directionLabel(direction: string | null | undefined, language: Lang): string {
  return isDirection(direction) ? text(language)[direction] : direction ?? '';
}

function isDirection(value: unknown): value is Direction {
  return value === 'toward' || value === 'away' || value === 'unclear';
}

/** One sentence per checkpoint: the tags it moved toward, away from, and how many stay unclear. */
export function behaviourSentence(behaviours: Behaviour[] | null | undefined, language: Lang): string {
  const list = behaviours ?? [];
  const names = (d: Direction) => list.filter((b) => b.direction === d).map((b) => tagName(b, language));
  return text(language).sentence(names('toward'), names('away'), list.filter((b) => b.direction === 'unclear').length);
}

/** The numbers behind one behaviour, joined with " · "; empty when nothing is known. */
export function behaviourEvidence(b: Behaviour, language: Lang): string {
  const x = text(language);
  const e: BehaviourEvidence = b.evidence ?? {};
  const parts: string[] = [];
  if (e.probes !== null && e.probes !== undefined && e.changed !== null && e.changed !== undefined) {
    parts.push(x.probesChanged(e.changed, e.probes));
  }
  const points = passRatePoints(e.passRateChange);
  if (points !== null) parts.push(x.checks(points));
  if (b.source === 'rubric' && e.taggedVotes) {
    parts.push(x.tagged(e.taggedWins ?? 0, e.taggedVotes));
  } else if (e.votes && e.winRate !== null && e.winRate !== undefined) {
    parts.push(x.humans(pct(e.winRate), pct(e.low), pct(e.high), e.votes));
  }
  return parts.join(' · ');
}

/** How many more votes would decide a verdict: "decided", "~N more votes …", or null when not known. */
export function votesNeededText(decided: boolean, votesNeeded: number | null | undefined, votes: number,
  language: Lang): string | null {
  const x = text(language);
  if (decided) return x.decided;
  if (votes === 0) return null;
  if (votesNeeded === null || votesNeeded === undefined) return x.votesNeverDecide;
  return x.votesNeeded(votesNeeded);
}

/** The recommendation's headline. */
export function recommendationHeadline(r: Recommendation | null | undefined, language: Lang): string {
  const x = text(language);
  if (!r || r.step === null || r.step === undefined) return x.notEnough;
  return x.recommend(r.step, x.confidence[r.confidence ?? 'none'] ?? r.confidence ?? '');
}

/** The broken checks by name ("zh-refund-time: contains "退款""), at most `limit`, with "+N" for the rest. */
export function brokenChecksText(checks: NamedCheck[] | null | undefined, language: Lang, limit = 3): string | null {
  const list = (checks ?? []).filter((c) => c && c.probeId);
  if (list.length === 0) return null;
  const shown = list.slice(0, limit).map((c) => `${c.probeId}: ${c.name ?? c.type ?? `#${c.index ?? '?'}`}`);
  const more = list.length > limit ? ` +${list.length - limit}` : '';
  return text(language).brokenChecks(shown.join(', ') + more);
}

/** "N answers reused …" or null when none. */
export function reusedText(reused: { candidate?: number | null } | null | undefined, language: Lang): string | null {
  const n = reused?.candidate ?? 0;
  return n > 0 ? text(language).reused(n) : null;
}
