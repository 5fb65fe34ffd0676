// Pure text diffing for the compare page: no DOM here, so it is unit-tested as is.
import { diffArrays, diffChars } from 'diff';

export type DiffMode = 'char' | 'word';
export type SegmentKind = 'same' | 'ins' | 'del';

export interface Segment {
  kind: SegmentKind;
  text: string;
}

/** A piece of one side's text: its diff kind and whether it lies inside a stock phrase. */
export interface Run extends Segment {
  phrase: boolean;
}

export interface SideBySide {
  mode: DiffMode;
  /** Concatenated, the baseline text exactly: 'same' and 'del' segments. */
  baseline: Segment[];
  /** Concatenated, the candidate text exactly: 'same' and 'ins' segments. */
  candidate: Segment[];
}

// Han, kana and Hangul: text without spaces between words, where a word diff would mark whole sentences.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function hasCJK(text: string): boolean {
  return CJK.test(text);
}

/** Character-level when either text contains CJK, word-level otherwise. */
export function diffMode(baseline: string, candidate: string): DiffMode {
  return hasCJK(baseline) || hasCJK(candidate) ? 'char' : 'word';
}

/** Gives up on pairs that would take longer than this and shows them as replaced whole. */
const DIFF_TIMEOUT_MS = 250;

/**
 * Word tokens, each owning the whitespace after it (leading whitespace is a token of its own). Words and
 * punctuation marks are separate tokens. Concatenated, the tokens are the text exactly.
 */
export function wordTokens(text: string): string[] {
  return text.match(/^\s+|[\p{L}\p{M}\p{N}_]+\s*|[^\s\p{L}\p{M}\p{N}_]\s*/gu) ?? [];
}

/** Tokens are equal when they differ at most in the whitespace they carry, so spaces never anchor a match. */
const sameWord = (a: string, b: string) => a.trimEnd() === b.trimEnd();

function push(segments: Segment[], kind: SegmentKind, text: string): void {
  if (!text) return;
  const last = segments[segments.length - 1];
  if (last && last.kind === kind) last.text += text;
  else segments.push({ kind, text });
}

export function diffSides(baseline: string, candidate: string): SideBySide {
  const mode = diffMode(baseline, candidate);
  const result: SideBySide = { mode, baseline: [], candidate: [] };
  const oldTokens = mode === 'char' ? Array.from(baseline) : wordTokens(baseline);
  const newTokens = mode === 'char' ? Array.from(candidate) : wordTokens(candidate);
  const changes = mode === 'char'
    ? diffChars(baseline, candidate, { timeout: DIFF_TIMEOUT_MS })
    : diffArrays(oldTokens, newTokens, { comparator: sameWord, timeout: DIFF_TIMEOUT_MS });
  if (!changes) {
    push(result.baseline, 'del', baseline);
    push(result.candidate, 'ins', candidate);
    return result;
  }
  // Each side is rebuilt from its own tokens (by count), so both texts come back exactly, whitespace included.
  let o = 0;
  let n = 0;
  for (const change of changes) {
    const count = change.count;
    if (change.added) {
      push(result.candidate, 'ins', newTokens.slice(n, n + count).join(''));
      n += count;
    } else if (change.removed) {
      push(result.baseline, 'del', oldTokens.slice(o, o + count).join(''));
      o += count;
    } else {
      push(result.baseline, 'same', oldTokens.slice(o, o + count).join(''));
      push(result.candidate, 'same', newTokens.slice(n, n + count).join(''));
      o += count;
      n += count;
    }
  }
  return result;
}

/** [start, end) offsets of every occurrence of the phrases in text; overlapping matches are merged. */
export function phraseRanges(text: string, phrases: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const phrase of phrases) {
    if (!phrase) continue;
    for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + phrase.length)) {
      ranges.push([at, at + phrase.length]);
    }
  }
  ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Splits one side's segments at stock-phrase boundaries, so a phrase is marked even across diff segments. */
export function sideRuns(segments: readonly Segment[], phrases: readonly string[]): Run[] {
  const text = segments.map((s) => s.text).join('');
  const ranges = phraseRanges(text, phrases);
  const runs: Run[] = [];
  let offset = 0;
  let r = 0;
  for (const segment of segments) {
    const end = offset + segment.text.length;
    let pos = offset;
    while (pos < end) {
      while (r < ranges.length && ranges[r][1] <= pos) r++;
      const range = ranges[r];
      let next: number;
      let phrase: boolean;
      if (range && range[0] <= pos) {
        phrase = true;
        next = Math.min(end, range[1]);
      } else {
        phrase = false;
        next = range ? Math.min(end, range[0]) : end;
      }
      runs.push({ kind: segment.kind, text: text.slice(pos, next), phrase });
      pos = next;
    }
    offset = end;
  }
  return runs;
}
