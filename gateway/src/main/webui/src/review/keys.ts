// Keyboard and "last vote" bookkeeping of the review workbench. Pure: no DOM, so it is unit-tested as is.
import type { Choice } from '../api';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export const VOTE_KEYS: Readonly<Record<string, Choice>> = { '1': 'A', '2': 'B', '3': 'TIE', '4': 'BOTH_BAD' };

/** What a key press means on the workbench: a vote, undo the last vote, skip the pair, or nothing. */
export type KeyAction = { kind: 'vote'; choice: Choice } | { kind: 'undo' } | { kind: 'skip' } | null;

export function keyAction(event: KeyLike): KeyAction {
  const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
  if (plain && VOTE_KEYS[event.key]) return { kind: 'vote', choice: VOTE_KEYS[event.key] };
  if (plain && !event.shiftKey && (event.key === 'u' || event.key === 'U')) return { kind: 'undo' };
  if (plain && !event.shiftKey && (event.key === 's' || event.key === 'S')) return { kind: 'skip' };
  // Ctrl+Z (Cmd+Z on a Mac); Ctrl+Shift+Z is "redo" elsewhere, so it is left alone
  if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && (event.key === 'z' || event.key === 'Z')) {
    return { kind: 'undo' };
  }
  return null;
}

/** Minimal Storage (sessionStorage in the page, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'lookout.lastVote.';

/**
 * The caller's last vote per project, kept for the tab's lifetime (sessionStorage), so "undo" survives a reload
 * but not a new session. Only the task id is kept: the server answers with the task and the withdrawn vote.
 */
export class LastVote {
  constructor(private readonly store: KeyValueStore) {}

  remember(project: string, taskId: string): void {
    this.store.setItem(PREFIX + project, taskId);
  }

  get(project: string): string | null {
    const value = this.store.getItem(PREFIX + project);
    return value && value.length > 0 ? value : null;
  }

  forget(project: string): void {
    this.store.removeItem(PREFIX + project);
  }
}
