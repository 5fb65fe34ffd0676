// @vitest-environment happy-dom
// Every translation key exists in both languages with the same shape, and every key the code reads exists.
import { describe, expect, it } from 'vitest';
import { DICTIONARIES, type Dict } from './i18n';
import { TEXT } from './round/truth';
import { EXPORT_FORMATS, OUTCOMES, type KappaBand, type VerdictState } from './verdict/verdictModel';

type Entry = unknown;

/** Keys and shapes of a dictionary: `key` → 'string' | 'function/<arity>' | nested object's own description. */
function shape(value: Entry, at: string, out: Map<string, string>): Map<string, string> {
  if (typeof value === 'function') out.set(at, `function/${value.length}`);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) shape(inner, at ? `${at}.${key}` : key, out);
  } else out.set(at, typeof value);
  return out;
}

function emptyStrings(value: Entry, at = ''): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [at] : [];
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => emptyStrings(inner, at ? `${at}.${key}` : key));
  }
  return [];
}

/** `d.key` (where `const d = t()`) and `t().key` in the non-test sources. */
function keysUsedInCode(): Map<string, string[]> {
  const sources = import.meta.glob<string>(['./**/*.ts', '!./**/*.test.ts', '!./generated/**'],
    { query: '?raw', import: 'default', eager: true });
  const used = new Map<string, string[]>();
  const note = (key: string, file: string) => used.set(key, [...(used.get(key) ?? []), file]);
  for (const [file, text] of Object.entries(sources)) {
    for (const m of text.matchAll(/\bt\(\)\.([A-Za-z_]\w*)/g)) note(m[1], file);
    if (!/const d = t\(\);/.test(text)) continue;
    for (const m of text.matchAll(/(?<![\w.])d\.([A-Za-z_]\w*)/g)) note(m[1], file);
  }
  return used;
}

describe('translations', () => {
  const en = shape(DICTIONARIES.en, '', new Map());
  const zh = shape(DICTIONARIES['zh-CN'], '', new Map());

  it('has every key in both languages, with the same kind of value', () => {
    const onlyEn = [...en.keys()].filter((k) => !zh.has(k));
    const onlyZh = [...zh.keys()].filter((k) => !en.has(k));
    expect(onlyEn).toEqual([]);
    expect(onlyZh).toEqual([]);
    const differing = [...en].filter(([k, kind]) => zh.get(k) !== kind).map(([k]) => k);
    expect(differing).toEqual([]);
    expect(en.size).toBeGreaterThan(150);
  });

  it('has no empty string in either language', () => {
    expect(emptyStrings(DICTIONARIES.en)).toEqual([]);
    expect(emptyStrings(DICTIONARIES['zh-CN'])).toEqual([]);
  });

  it('has every key the code reads', () => {
    const used = keysUsedInCode();
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter(([key]) => !(key in DICTIONARIES.en)).map(([key, files]) => `${key} (${files.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('names every value the pages look up in a table', () => {
    const states: VerdictState[] = ['better', 'worse', 'undecided', 'no-votes'];
    const bands: KappaBand[] = ['none', 'poor', 'slight', 'fair', 'moderate', 'substantial', 'almost-perfect'];
    const tables: Array<[keyof Dict, readonly string[]]> = [
      ['verdictStates', states], ['kappaBands', bands], ['outcomeNames', OUTCOMES], ['exportFormats', EXPORT_FORMATS],
      ['choiceNames', ['A', 'B', 'TIE', 'BOTH_BAD']], ['behaviourSource', ['suite', 'rubric']],
      ['flagLabels', ['loss-fell-behaviour-flat', 'loss-fell-humans-prefer-baseline', 'memorising',
        'loss-flat-outputs-drifting', 'no-human-signal-yet']],
    ];
    for (const language of ['en', 'zh-CN'] as const) {
      for (const [table, keys] of tables) {
        const entries = DICTIONARIES[language][table] as Record<string, string>;
        expect(keys.filter((k) => typeof entries[k] !== 'string'), `${language} ${table}`).toEqual([]);
      }
    }
  });

  it('has the round report sentences in both languages', () => {
    const truthEn = shape(TEXT.en, '', new Map());
    const truthZh = shape(TEXT.zh, '', new Map());
    expect([...truthEn]).toEqual([...truthZh]);
    expect(truthEn.size).toBeGreaterThan(10);
  });
});
