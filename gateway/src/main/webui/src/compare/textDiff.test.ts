import { describe, expect, it } from 'vitest';
import { diffMode, diffSides, hasCJK, phraseRanges, sideRuns, wordTokens, type Segment } from './textDiff';

const join = (segments: Segment[]) => segments.map((s) => s.text).join('');

describe('CJK detection', () => {
  it('finds Han, kana and Hangul', () => {
    expect(hasCJK('请您放心')).toBe(true);
    expect(hasCJK('ok 好的')).toBe(true);
    expect(hasCJK('ありがとう')).toBe(true);
    expect(hasCJK('감사합니다')).toBe(true);
    expect(hasCJK('𠀀')).toBe(true); // astral plane (Extension B)
  });

  it('ignores Latin text, digits and fullwidth-free punctuation', () => {
    expect(hasCJK('We will handle it as soon as possible.')).toBe(false);
    expect(hasCJK('Ünïcödé — 123 ∞')).toBe(false);
    expect(hasCJK('')).toBe(false);
  });

  it('picks char mode when either side has CJK', () => {
    expect(diffMode('hello world', 'hello there')).toBe('word');
    expect(diffMode('hello', '你好')).toBe('char');
    expect(diffMode('您好', 'hello')).toBe('char');
  });
});

describe('diffSides', () => {
  it('word mode marks whole words and keeps both texts exactly', () => {
    const baseline = 'The refund takes five days.\nThanks';
    const candidate = 'The refund takes three days.\nThanks';
    const diff = diffSides(baseline, candidate);
    expect(diff.mode).toBe('word');
    expect(join(diff.baseline)).toBe(baseline);
    expect(join(diff.candidate)).toBe(candidate);
    expect(diff.baseline.filter((s) => s.kind === 'del').map((s) => s.text)).toEqual(['five ']);
    expect(diff.candidate.filter((s) => s.kind === 'ins').map((s) => s.text)).toEqual(['three ']);
    expect(diff.baseline.every((s) => s.kind !== 'ins')).toBe(true);
    expect(diff.candidate.every((s) => s.kind !== 'del')).toBe(true);
  });

  it('word tokens keep the text and carry their trailing whitespace', () => {
    const text = '  Hello,  world!\nNew line — ok';
    expect(wordTokens(text).join('')).toBe(text);
    expect(wordTokens(text)).toEqual(['  ', 'Hello', ',  ', 'world', '!\n', 'New ', 'line ', '— ', 'ok']);
  });

  it('matches words, not the spaces between them', () => {
    const baseline = 'I cannot run scripts. <img src=x onerror=alert(1)>';
    const candidate = 'We will handle it as soon as possible. I cannot run <script>alert(1)</script> here.';
    const diff = diffSides(baseline, candidate);
    expect(join(diff.baseline)).toBe(baseline);
    expect(join(diff.candidate)).toBe(candidate);
    expect(diff.candidate.find((s) => s.kind === 'same')?.text.startsWith('I cannot run ')).toBe(true);
    expect(diff.candidate[0]).toEqual({ kind: 'ins', text: 'We will handle it as soon as possible. ' });
  });

  it('a change of whitespace alone is no change, and each side keeps its own', () => {
    const diff = diffSides('one two\nthree', 'one  two three');
    expect(diff.baseline.every((s) => s.kind === 'same')).toBe(true);
    expect(join(diff.baseline)).toBe('one two\nthree');
    expect(join(diff.candidate)).toBe('one  two three');
  });

  it('char mode marks single characters in Chinese text', () => {
    const diff = diffSides('请您放心，我们会尽快处理。', '请您放心，我们马上处理。');
    expect(diff.mode).toBe('char');
    expect(join(diff.baseline)).toBe('请您放心，我们会尽快处理。');
    expect(join(diff.candidate)).toBe('请您放心，我们马上处理。');
    expect(diff.baseline.filter((s) => s.kind === 'del').map((s) => s.text).join('')).toBe('会尽快');
    expect(diff.candidate.filter((s) => s.kind === 'ins').map((s) => s.text).join('')).toBe('马上');
  });

  it('identical texts have no changes; empty sides give no segments', () => {
    expect(diffSides('same', 'same').candidate).toEqual([{ kind: 'same', text: 'same' }]);
    const added = diffSides('', 'new text');
    expect(added.baseline).toEqual([]);
    expect(join(added.candidate)).toBe('new text');
    expect(added.candidate.every((s) => s.kind === 'ins')).toBe(true);
  });
});

describe('stock phrases', () => {
  it('finds and merges overlapping ranges', () => {
    expect(phraseRanges('abcabc', ['bc'])).toEqual([[1, 3], [4, 6]]);
    expect(phraseRanges('请您放心请您', ['请您放心', '放心请您'])).toEqual([[0, 6]]);
    expect(phraseRanges('nothing', ['', 'x'])).toEqual([]);
  });

  it('splits runs at phrase edges, across diff segments', () => {
    const segments: Segment[] = [
      { kind: 'same', text: '好的，请您' },
      { kind: 'ins', text: '放心吧' },
    ];
    const runs = sideRuns(segments, ['请您放心']);
    expect(runs).toEqual([
      { kind: 'same', text: '好的，', phrase: false },
      { kind: 'same', text: '请您', phrase: true },
      { kind: 'ins', text: '放心', phrase: true },
      { kind: 'ins', text: '吧', phrase: false },
    ]);
    expect(runs.map((r) => r.text).join('')).toBe('好的，请您放心吧');
  });

  it('keeps markup-like text as plain text', () => {
    const runs = sideRuns([{ kind: 'ins', text: '<img src=x onerror=alert(1)>' }], []);
    expect(runs).toEqual([{ kind: 'ins', text: '<img src=x onerror=alert(1)>', phrase: false }]);
  });
});
