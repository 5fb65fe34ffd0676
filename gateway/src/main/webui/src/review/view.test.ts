// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Choice, ReviewTask } from '../api';
import { setLang } from '../i18n';
import { pair, tagToggles, taskTop, voteBar } from './view';

const HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

function task(): ReviewTask {
  return {
    taskId: 't1', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: HOSTILE }],
    a: { text: `A says ${HOSTILE}` }, b: { text: 'B says hello' },
    rubric: [{ id: 'more-cautious', label: { en: 'more cautious', zh: '更谨慎' } }, { id: 'facts', label: {} }],
    progress: { reviewed: 3, total: 12 },
  };
}

beforeEach(() => setLang('en'));

describe('review workbench', () => {
  it('shows the question and both answers as text', () => {
    const nodes = pair(task(), null).filter((n): n is HTMLElement => n !== null);
    const box = document.createElement('div');
    box.append(...nodes);
    expect(box.querySelectorAll('img, script')).toHaveLength(0);
    expect(box.querySelector('[data-testid="answer-a-text"]')?.textContent).toBe(`A says ${HOSTILE}`);
    expect([...box.querySelectorAll('.message-role')].map((e) => e.textContent)).toEqual(['System', 'Question']);
    expect(box.querySelector('[data-testid="review-undone"]')).toBeNull();
  });

  it('marks the withdrawn choice and says it was withdrawn', () => {
    const previous = { choice: 'B' as Choice, tags: ['facts'], comment: 'too long' };
    const notice = pair(task(), previous)[0];
    expect(notice?.textContent).toBe('Your vote “B is better” was withdrawn. Choose again.');
    const votes: Choice[] = [];
    const bar = voteBar(previous, (c) => votes.push(c), () => votes.push('A'));
    const marked = bar.querySelectorAll('[data-previous="true"]');
    expect(marked).toHaveLength(1);
    expect(marked[0].getAttribute('data-testid')).toBe('vote-b');
    bar.querySelector<HTMLButtonElement>('[data-testid="vote-both-bad"]')?.click();
    expect(votes).toEqual(['BOTH_BAD']);
    expect(bar.querySelectorAll('button')).toHaveLength(5);
  });

  it('toggles rubric tags by their label, falling back to the id', () => {
    const selected = new Set<string>(['facts']);
    const block = tagToggles(task().rubric ?? [], selected);
    const toggles = block?.querySelectorAll<HTMLButtonElement>('[data-testid="tag-toggle"]') ?? [];
    expect([...toggles].map((b) => [b.textContent, b.getAttribute('aria-pressed')]))
      .toEqual([['more cautious', 'false'], ['facts', 'true']]);
    toggles[0].click();
    expect([...selected].sort()).toEqual(['facts', 'more-cautious']);
    expect(toggles[0].getAttribute('aria-pressed')).toBe('true');
    expect(tagToggles([], selected)).toBeNull();
  });

  it('shows progress and the keys', () => {
    const top = taskTop({ reviewed: 3, total: 12 }, null);
    expect(top.querySelector('[data-testid="review-progress"] span')?.textContent).toBe('3 of 12 reviewed');
    expect(top.querySelector<HTMLElement>('.progress-fill')?.style.width).toBe('25%');
  });
});
