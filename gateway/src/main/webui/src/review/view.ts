// The review workbench's parts: progress, the blind pair, rubric tag toggles and the vote bar. The question and both
// answers are model or user text: text nodes only.
import type { Choice, PreviousVote, ReviewTask, RubricTag } from '../api';
import { h } from '../dom';
import { t, lang } from '../i18n';
import { tagLabel } from './rubric';
import { messagesBlock } from '../compare/view';

/** "n of m reviewed" with its bar, the undo button (when there is a vote to undo) and the keys hint. */
export function taskTop(progress: ReviewTask['progress'], undo: HTMLElement | null): HTMLElement {
  const d = t();
  const reviewed = progress?.reviewed ?? 0;
  const total = progress?.total ?? 0;
  const fill = h('div', { class: 'progress-fill' });
  fill.style.width = `${total > 0 ? Math.min(100, (reviewed / total) * 100) : 0}%`; // CSSOM is CSP-safe
  return h('div', { class: 'review-top' },
    h('div', { class: 'progress', 'data-testid': 'review-progress' },
      h('span', {}, d.progress(reviewed, total)), h('div', { class: 'progress-bar' }, fill)),
    h('div', { class: 'review-top-right' }, undo, h('span', { class: 'muted small keys-hint' }, d.keysHint)));
}

/** The question, the "vote withdrawn" notice when undoing, and answers A and B. */
export function pair(task: ReviewTask, previous: PreviousVote | null): Array<HTMLElement | null> {
  const d = t();
  const answer = (label: string, text: string, testid: string) =>
    h('article', { class: 'answer', 'data-testid': testid },
      h('h2', { class: 'answer-label' }, label),
      h('div', { class: 'answer-text', 'data-testid': `${testid}-text` }, text));
  return [
    previous ? h('p', { class: 'notice undone', role: 'status', 'data-testid': 'review-undone' },
      d.voteWithdrawn(d.choiceNames[previous.choice ?? ''] ?? previous.choice ?? '')) : null,
    messagesBlock(task.messages, 'question', 'review-question'),
    h('div', { class: 'answers' },
      answer(d.answerA, task.a?.text ?? '', 'answer-a'),
      answer(d.answerB, task.b?.text ?? '', 'answer-b')),
  ];
}

/** One toggle per rubric tag, by its label in the page's language; `selected` is updated in place. */
export function tagToggles(rubric: RubricTag[], selected: Set<string>): HTMLElement | null {
  if (rubric.length === 0) return null;
  const d = t();
  const tags = h('div', { class: 'tags', 'data-testid': 'review-tags', role: 'group', 'aria-label': d.tags });
  for (const rubricTag of rubric) {
    const tag = rubricTag.id;
    if (!tag) continue;
    const toggle = h('button', {
      type: 'button', class: 'tag', 'aria-pressed': String(selected.has(tag)), 'data-testid': 'tag-toggle', 'data-tag': tag,
    }, tagLabel(rubricTag, lang()));
    toggle.addEventListener('click', () => {
      if (selected.has(tag)) selected.delete(tag);
      else selected.add(tag);
      toggle.setAttribute('aria-pressed', String(selected.has(tag)));
    });
    tags.appendChild(toggle);
  }
  return h('div', { class: 'tags-block' }, h('span', { class: 'muted small' }, d.tags), tags);
}

/** The comment box, filled with the withdrawn vote's comment. */
export function commentBox(previous: PreviousVote | null): HTMLTextAreaElement {
  const d = t();
  const comment = h('textarea', {
    class: 'comment', rows: '2', placeholder: d.commentPlaceholder, 'data-testid': 'review-comment',
    'aria-label': d.comment, maxlength: '2000',
  });
  if (previous?.comment) comment.value = previous.comment;
  return comment;
}

/** Keyboard-labelled button (1–4, S, U). */
export function keyButton(key: string, label: string, attrs: Record<string, string | undefined>,
  onClick: () => void, extra: HTMLElement | null = null): HTMLButtonElement {
  const button = h('button', { type: 'button', ...attrs }, h('kbd', {}, key), label, extra);
  button.addEventListener('click', onClick);
  return button;
}

/** A, B, tie, both bad (the withdrawn choice marked), then skip. */
export function voteBar(previous: PreviousVote | null, onVote: (choice: Choice) => void, onSkip: () => void): HTMLElement {
  const d = t();
  const vote = (choice: Choice, label: string, key: string, testid: string, extra = '') => {
    const wasChosen = previous?.choice === choice;
    return keyButton(key, label, {
      class: `vote ${extra}${wasChosen ? ' previous-choice' : ''}`, 'data-testid': testid,
      'data-previous': wasChosen ? 'true' : undefined,
    }, () => onVote(choice),
    wasChosen ? h('span', { class: 'previous-label', 'data-testid': 'previous-choice' }, d.previousChoice) : null);
  };
  return h('div', { class: 'votes', 'data-testid': 'vote-bar' },
    vote('A', d.voteA, '1', 'vote-a', 'primary'),
    vote('B', d.voteB, '2', 'vote-b', 'primary'),
    vote('TIE', d.voteTie, '3', 'vote-tie'),
    vote('BOTH_BAD', d.voteBothBad, '4', 'vote-both-bad', 'danger'),
    keyButton('S', d.skip, { class: 'ghost skip', 'data-testid': 'review-skip', title: d.skipHint }, onSkip));
}
