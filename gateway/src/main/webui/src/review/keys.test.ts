import { describe, expect, it } from 'vitest';
import { keyAction, LastVote, type KeyLike } from './keys';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike =>
  ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('keyAction', () => {
  it('maps 1–4 to the four choices', () => {
    expect(keyAction(key('1'))).toEqual({ kind: 'vote', choice: 'A' });
    expect(keyAction(key('2'))).toEqual({ kind: 'vote', choice: 'B' });
    expect(keyAction(key('3'))).toEqual({ kind: 'vote', choice: 'TIE' });
    expect(keyAction(key('4'))).toEqual({ kind: 'vote', choice: 'BOTH_BAD' });
  });

  it('undoes with U and with Ctrl+Z or Cmd+Z', () => {
    expect(keyAction(key('u'))).toEqual({ kind: 'undo' });
    expect(keyAction(key('U'))).toEqual({ kind: 'undo' });
    expect(keyAction(key('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(keyAction(key('z', { metaKey: true }))).toEqual({ kind: 'undo' });
  });

  it('skips with S, never with a modifier', () => {
    expect(keyAction(key('s'))).toEqual({ kind: 'skip' });
    expect(keyAction(key('S'))).toEqual({ kind: 'skip' });
    expect(keyAction(key('s', { ctrlKey: true }))).toBeNull();
    expect(keyAction(key('s', { metaKey: true }))).toBeNull();
  });

  it('ignores modified votes, redo and other keys', () => {
    expect(keyAction(key('1', { ctrlKey: true }))).toBeNull();
    expect(keyAction(key('2', { altKey: true }))).toBeNull();
    expect(keyAction(key('z', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(keyAction(key('z'))).toBeNull();
    expect(keyAction(key('u', { ctrlKey: true }))).toBeNull();
    expect(keyAction(key('5'))).toBeNull();
    expect(keyAction(key('Enter'))).toBeNull();
  });
});

describe('LastVote', () => {
  const store = () => {
    const map = new Map<string, string>();
    return {
      map,
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
  };

  it('remembers the last vote per project and forgets it', () => {
    const s = store();
    const last = new LastVote(s);
    expect(last.get('demo')).toBeNull();
    last.remember('demo', 't1');
    last.remember('demo', 't2');
    last.remember('other', 'x9');
    expect(last.get('demo')).toBe('t2');
    expect(last.get('other')).toBe('x9');
    last.forget('demo');
    expect(last.get('demo')).toBeNull();
    expect(last.get('other')).toBe('x9');
    expect([...s.map.keys()]).toEqual(['lookout.lastVote.other']);
  });
});
