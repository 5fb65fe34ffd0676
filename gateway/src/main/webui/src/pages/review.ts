import { api, ApiError, type Choice, type PreviousVote, type ReviewTask } from '../api';
import { h, append, clear } from '../dom';
import { t } from '../i18n';
import { canVote, errorBox, type AppState } from '../app';
import { keyAction, LastVote } from '../review/keys';
import { commentBox, keyButton, pair, tagToggles, taskTop, voteBar } from '../review/view';

/**
 * Review workbench: one blind pair at a time, keys 1–4, tags from the rubric, optional comment, and "undo the last
 * vote" (button, U or Ctrl+Z): DELETE /api/reviews/{task}/vote withdraws it and answers with that task again plus the
 * withdrawn vote, which is shown marked (and its tags and comment filled in) until the reviewer votes again.
 * "Skip" (button or S) hands the pair to another reviewer: it does not come back to this one.
 * {@code runId} (route {@code #/review?run=<id>}) pins the queue to one run; otherwise the newest work comes first.
 */
export function renderReview(main: HTMLElement, state: AppState, runId: string | null = null): () => void {
  const d = t();
  const page = h('section', { class: 'review', 'data-testid': 'review-page' });
  append(main, page);
  let task: ReviewTask | null = null;
  let busy = false;
  let alive = true;
  const selectedTags = new Set<string>();
  let comment: HTMLTextAreaElement | null = null;
  const voting = canVote(state.me);
  const lastVote = new LastVote(sessionStorage);

  function undoButton(): HTMLElement | null {
    if (!voting || !state.project || !lastVote.get(state.project)) return null;
    return keyButton('U', d.undo, { class: 'ghost undo', 'data-testid': 'review-undo', title: d.undoHint }, () => void undo());
  }

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
      // leasing changes state: a POST (with the CSRF header, like the vote)
      const pin = runId ? `&run=${encodeURIComponent(runId)}` : '';
      const next = await api.post<ReviewTask>(
        `/api/reviews/next?project=${encodeURIComponent(state.project)}${pin}`, undefined);
      if (!alive) return;
      task = next;
      if (!task) showEmpty();
      else showTask(task, null);
    } catch (e) {
      if (!alive) return;
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
      h('h1', {}, d.nothingLeft), h('p', { class: 'muted' }, d.nothingLeftDetail),
      h('div', { class: 'empty-actions' }, again, undoButton())));
  }

  function showReadOnly(): void {
    task = null;
    clear(page);
    append(page, h('div', { class: 'empty-state', 'data-testid': 'review-readonly' },
      h('h1', {}, d.readOnly),
      h('a', { href: '#/runs', class: 'button primary', 'data-testid': 'review-to-runs' }, d.navRuns)));
  }

  function showTask(current: ReviewTask, previous: PreviousVote | null): void {
    clear(page);
    const rubric = current.rubric ?? [];
    selectedTags.clear();
    for (const tag of previous?.tags ?? []) if (rubric.some((r) => r.id === tag)) selectedTags.add(tag);
    page.dataset.taskId = current.taskId;
    append(page, taskTop(current.progress, previous ? null : undoButton()), ...pair(current, previous));
    if (!voting) {
      append(page, h('p', { class: 'notice', 'data-testid': 'review-readonly' }, d.readOnly));
      return;
    }
    comment = commentBox(previous);
    append(page, tagToggles(rubric, selectedTags), comment,
      voteBar(previous, (choice) => void submit(choice), () => void skip()));
  }

  /** POST /api/reviews/{task}/skip: the lease ends, the pair goes to someone else; then the next task. */
  async function skip(): Promise<void> {
    if (!task || busy || !state.project) return;
    busy = true;
    page.classList.add('busy');
    try {
      await api.post(`/api/reviews/${encodeURIComponent(task.taskId)}/skip`, undefined);
      await load();
    } catch (e) {
      append(page, errorBox(e));
    } finally {
      busy = false;
      page.classList.remove('busy');
    }
  }

  async function submit(choice: Choice): Promise<void> {
    if (!task || busy || !state.project) return;
    busy = true;
    page.classList.add('busy');
    const project = state.project;
    try {
      const text = comment?.value.trim();
      await api.post(`/api/reviews/${encodeURIComponent(task.taskId)}/vote`, {
        choice,
        tags: [...selectedTags],
        comment: text ? text : undefined,
      });
      lastVote.remember(project, task.taskId);
      await load();
    } catch (e) {
      append(page, errorBox(e));
    } finally {
      busy = false;
      page.classList.remove('busy');
    }
  }

  async function undo(): Promise<void> {
    const project = state.project;
    const taskId = project ? lastVote.get(project) : null;
    if (!voting || busy || !project || !taskId) return;
    busy = true;
    page.classList.add('busy');
    try {
      const again = await api.del<ReviewTask>(`/api/reviews/${encodeURIComponent(taskId)}/vote`);
      lastVote.forget(project);
      if (!alive) return;
      if (!again) {
        await load();
        return;
      }
      task = again;
      showTask(again, again.previousVote ?? null);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 409 || e.status === 404)) {
        // the batch was closed, or there is nothing to withdraw: the vote stays, and so does the page
        lastVote.forget(project);
        page.querySelector('[data-testid="review-undo"]')?.remove();
        append(page, h('p', { class: 'notice warn', role: 'alert', 'data-testid': 'review-undo-failed' },
          e.status === 409 ? d.undoClosed : d.undoNothing, ' ', h('span', { class: 'small' }, e.detail)));
      } else {
        append(page, errorBox(e));
      }
    } finally {
      busy = false;
      page.classList.remove('busy');
    }
  }

  const onKey = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    if (target && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' || target.tagName === 'SELECT')) return;
    const action = keyAction(event);
    if (!action || !voting) return;
    if (action.kind === 'vote' && task) {
      event.preventDefault();
      void submit(action.choice);
    } else if (action.kind === 'skip' && task) {
      event.preventDefault();
      void skip();
    } else if (action.kind === 'undo' && state.project && lastVote.get(state.project)) {
      event.preventDefault();
      void undo();
    }
  };
  document.addEventListener('keydown', onKey);
  void load();
  return () => {
    alive = false;
    document.removeEventListener('keydown', onKey);
  };
}
