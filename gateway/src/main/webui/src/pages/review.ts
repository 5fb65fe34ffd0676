import { api, type ReviewTask } from '../api';
import { h, append, clear } from '../dom';
import { t } from '../i18n';
import { canVote, errorBox, type AppState } from '../app';

type Choice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

/** Review workbench: one blind pair at a time, keys 1–4, tags from the rubric, optional comment. */
export function renderReview(main: HTMLElement, state: AppState): () => void {
  const d = t();
  const page = h('section', { class: 'review', 'data-testid': 'review-page' });
  append(main, page);
  let task: ReviewTask | null = null;
  let busy = false;
  const selectedTags = new Set<string>();
  let comment: HTMLTextAreaElement | null = null;
  const voting = canVote(state.me);

  async function load(): Promise<void> {
    clear(page);
    append(page, h('p', { class: 'muted', 'data-testid': 'review-loading' }, d.loading));
    if (!state.project) {
      showEmpty();
      return;
    }
    if (!voting) {
      // viewers and engineers may not take review tasks (the API answers 403): say so instead of failing
      showReadOnly();
      return;
    }
    try {
      task = await api.get<ReviewTask>(`/api/reviews/next?project=${encodeURIComponent(state.project)}`);
      if (!task) showEmpty();
      else showTask(task);
    } catch (e) {
      clear(page);
      append(page, errorBox(e, () => void load()));
    }
  }

  function showEmpty(): void {
    task = null;
    clear(page);
    const again = h('button', { type: 'button', class: 'primary', 'data-testid': 'review-check-again' }, d.checkAgain);
    again.addEventListener('click', () => void load());
    append(page, h('div', { class: 'empty-state', 'data-testid': 'review-empty' },
      h('h1', {}, d.nothingLeft), h('p', { class: 'muted' }, d.nothingLeftDetail), again));
  }

  function showReadOnly(): void {
    task = null;
    clear(page);
    append(page, h('div', { class: 'empty-state', 'data-testid': 'review-readonly' },
      h('h1', {}, d.readOnly),
      h('a', { href: '#/runs', class: 'button primary', 'data-testid': 'review-to-runs' }, d.navRuns)));
  }

  function showTask(current: ReviewTask): void {
    clear(page);
    selectedTags.clear();
    const { reviewed, total } = current.progress;
    const bar = h('div', { class: 'progress-bar' });
    const fill = h('div', { class: 'progress-fill' });
    fill.style.width = `${total > 0 ? Math.min(100, (reviewed / total) * 100) : 0}%`; // CSSOM is CSP-safe
    bar.appendChild(fill);

    const question = h('div', { class: 'question', 'data-testid': 'review-question' });
    for (const m of current.messages) {
      append(question, h('div', { class: `message message-${m.role}` },
        h('div', { class: 'message-role' }, d.roles[m.role] ?? m.role),
        h('div', { class: 'message-content' }, m.content)));
    }

    const answer = (label: string, text: string, testid: string) =>
      h('article', { class: 'answer', 'data-testid': testid },
        h('h2', { class: 'answer-label' }, label),
        h('div', { class: 'answer-text', 'data-testid': `${testid}-text` }, text));

    append(page,
      h('div', { class: 'review-top' },
        h('div', { class: 'progress', 'data-testid': 'review-progress' },
          h('span', {}, d.progress(reviewed, total)), bar),
        h('span', { class: 'muted small keys-hint' }, d.keysHint)),
      question,
      h('div', { class: 'answers' },
        answer(d.answerA, current.a.text, 'answer-a'),
        answer(d.answerB, current.b.text, 'answer-b')));

    if (!voting) {
      append(page, h('p', { class: 'notice', 'data-testid': 'review-readonly' }, d.readOnly));
      return;
    }

    const tags = h('div', { class: 'tags', 'data-testid': 'review-tags', role: 'group', 'aria-label': d.tags });
    for (const tag of current.rubric ?? []) {
      const toggle = h('button', {
        type: 'button', class: 'tag', 'aria-pressed': 'false', 'data-testid': 'tag-toggle', 'data-tag': tag,
      }, tag);
      toggle.addEventListener('click', () => {
        if (selectedTags.has(tag)) selectedTags.delete(tag);
        else selectedTags.add(tag);
        toggle.setAttribute('aria-pressed', String(selectedTags.has(tag)));
      });
      tags.appendChild(toggle);
    }

    comment = h('textarea', {
      class: 'comment', rows: '2', placeholder: d.commentPlaceholder, 'data-testid': 'review-comment',
      'aria-label': d.comment, maxlength: '2000',
    });

    const vote = (choice: Choice, label: string, key: string, testid: string, extra = '') => {
      const button = h('button', { type: 'button', class: `vote ${extra}`, 'data-testid': testid },
        h('kbd', {}, key), label);
      button.addEventListener('click', () => void submit(choice));
      return button;
    };

    append(page,
      current.rubric && current.rubric.length > 0 ? h('div', { class: 'tags-block' }, h('span', { class: 'muted small' }, d.tags), tags) : null,
      comment,
      h('div', { class: 'votes', 'data-testid': 'vote-bar' },
        vote('A', d.voteA, '1', 'vote-a', 'primary'),
        vote('B', d.voteB, '2', 'vote-b', 'primary'),
        vote('TIE', d.voteTie, '3', 'vote-tie'),
        vote('BOTH_BAD', d.voteBothBad, '4', 'vote-both-bad', 'danger')));
  }

  async function submit(choice: Choice): Promise<void> {
    if (!task || busy) return;
    busy = true;
    page.classList.add('busy');
    try {
      const text = comment?.value.trim();
      await api.post(`/api/reviews/${encodeURIComponent(task.taskId)}/vote`, {
        choice,
        tags: [...selectedTags],
        comment: text ? text : undefined,
      });
      await load();
    } catch (e) {
      append(page, errorBox(e));
    } finally {
      busy = false;
      page.classList.remove('busy');
    }
  }

  const keys: Record<string, Choice> = { '1': 'A', '2': 'B', '3': 'TIE', '4': 'BOTH_BAD' };
  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (target && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' || target.tagName === 'SELECT')) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const choice = keys[event.key];
    if (choice && voting && task) {
      event.preventDefault();
      void submit(choice);
    }
  };
  document.addEventListener('keydown', onKey);
  void load();
  return () => document.removeEventListener('keydown', onKey);
}
