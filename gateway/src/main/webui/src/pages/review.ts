import { api, ApiError, type Choice, type PreviousVote, type ReviewTask } from '../api';
import { h, append, clear } from '../dom';
import { t } from '../i18n';
import { canVote, errorBox, type AppState } from '../app';
import { keyAction, LastVote } from '../review/keys';
import { commentBox, keyButton, pair, tagToggles, taskTop, voteBar } from '../review/view';

/** True while the reviewer types in a field: keys then belong to the field. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && ['TEXTAREA', 'INPUT', 'SELECT'].includes(target.tagName);
}

/** One workbench page: the task shown, the tags and comment being written, and the last vote (for undo). */
class Workbench {
  readonly page = h('section', { class: 'review', 'data-testid': 'review-page' });
  private task: ReviewTask | null = null;
  private busy = false;
  alive = true;
  private readonly selectedTags = new Set<string>();
  private comment: HTMLTextAreaElement | null = null;
  private readonly voting: boolean;
  private readonly lastVote = new LastVote(sessionStorage);

  constructor(private readonly state: AppState, private readonly runId: string | null) {
    this.voting = canVote(state.me);
  }

  private undoButton(): HTMLElement | null {
    const d = t();
    if (!this.voting || !this.state.project || !this.lastVote.get(this.state.project)) return null;
    return keyButton('U', d.undo, { class: 'ghost undo', 'data-testid': 'review-undo', title: d.undoHint },
      () => void this.undo());
  }

  async load(): Promise<void> {
    clear(this.page);
    append(this.page, h('p', { class: 'muted', 'data-testid': 'review-loading' }, t().loading));
    const project = this.state.project;
    if (!project) return this.showEmpty();
    // viewers and engineers may not take review tasks (the API answers 403): say so instead of failing
    if (!this.voting) return this.showReadOnly();
    try {
      // leasing changes state: a POST (with the CSRF header, like the vote)
      const pin = this.runId ? `&run=${encodeURIComponent(this.runId)}` : '';
      const next = await api.post<ReviewTask>(`/api/reviews/next?project=${encodeURIComponent(project)}${pin}`, undefined);
      if (!this.alive) return;
      this.task = next;
      if (!next) this.showEmpty();
      else this.showTask(next, null);
    } catch (e) {
      if (!this.alive) return;
      clear(this.page);
      append(this.page, errorBox(e, () => void this.load()));
    }
  }

  private showEmpty(): void {
    const d = t();
    this.task = null;
    clear(this.page);
    const again = h('button', { type: 'button', class: 'primary', 'data-testid': 'review-check-again' }, d.checkAgain);
    again.addEventListener('click', () => void this.load());
    append(this.page, h('div', { class: 'empty-state', 'data-testid': 'review-empty' },
      h('h1', {}, d.nothingLeft), h('p', { class: 'muted' }, d.nothingLeftDetail),
      h('div', { class: 'empty-actions' }, again, this.undoButton())));
  }

  private showReadOnly(): void {
    const d = t();
    this.task = null;
    clear(this.page);
    append(this.page, h('div', { class: 'empty-state', 'data-testid': 'review-readonly' },
      h('h1', {}, d.readOnly),
      h('a', { href: '#/runs', class: 'button primary', 'data-testid': 'review-to-runs' }, d.navRuns)));
  }

  private showTask(current: ReviewTask, previous: PreviousVote | null): void {
    clear(this.page);
    const rubric = current.rubric ?? [];
    this.selectedTags.clear();
    for (const tag of previous?.tags ?? []) if (rubric.some((r) => r.id === tag)) this.selectedTags.add(tag);
    this.page.dataset.taskId = current.taskId ?? '';
    append(this.page, taskTop(current.progress, previous ? null : this.undoButton()), ...pair(current, previous));
    if (!this.voting) {
      append(this.page, h('p', { class: 'notice', 'data-testid': 'review-readonly' }, t().readOnly));
      return;
    }
    this.comment = commentBox(previous);
    append(this.page, tagToggles(rubric, this.selectedTags), this.comment,
      voteBar(previous, (choice) => void this.submit(choice), () => void this.skip()));
  }

  /** Runs one change at a time with the page marked busy; errors show under the page. */
  private async whileBusy(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.page.classList.add('busy');
    try {
      await action();
    } catch (e) {
      append(this.page, errorBox(e));
    } finally {
      this.busy = false;
      this.page.classList.remove('busy');
    }
  }

  /** POST /api/reviews/{task}/skip: the lease ends, the pair goes to someone else; then the next task. */
  async skip(): Promise<void> {
    const taskId = this.task?.taskId;
    if (!taskId || this.busy || !this.state.project) return;
    await this.whileBusy(async () => {
      await api.post(`/api/reviews/${encodeURIComponent(taskId)}/skip`, undefined);
      await this.load();
    });
  }

  async submit(choice: Choice): Promise<void> {
    const taskId = this.task?.taskId;
    const project = this.state.project;
    if (!taskId || this.busy || !project) return;
    await this.whileBusy(async () => {
      const text = this.comment?.value.trim();
      await api.post(`/api/reviews/${encodeURIComponent(taskId)}/vote`, {
        choice, tags: [...this.selectedTags], comment: text ? text : undefined,
      });
      this.lastVote.remember(project, taskId);
      await this.load();
    });
  }

  /** DELETE /api/reviews/{task}/vote of the last vote: the same task comes back with the vote withdrawn. */
  async undo(): Promise<void> {
    const project = this.state.project;
    const taskId = project ? this.lastVote.get(project) : null;
    if (!this.voting || this.busy || !project || !taskId) return;
    await this.whileBusy(async () => {
      try {
        const again = await api.del<ReviewTask>(`/api/reviews/${encodeURIComponent(taskId)}/vote`);
        this.lastVote.forget(project);
        if (!this.alive) return;
        if (!again) return await this.load();
        this.task = again;
        this.showTask(again, again.previousVote ?? null);
      } catch (e) {
        if (!(e instanceof ApiError && (e.status === 409 || e.status === 404))) throw e;
        this.undoRefused(project, e);
      }
    });
  }

  /** The batch was closed, or there is nothing to withdraw: the vote stays, and so does the page. */
  private undoRefused(project: string, e: ApiError): void {
    const d = t();
    this.lastVote.forget(project);
    this.page.querySelector('[data-testid="review-undo"]')?.remove();
    append(this.page, h('p', { class: 'notice warn', role: 'alert', 'data-testid': 'review-undo-failed' },
      e.status === 409 ? d.undoClosed : d.undoNothing, ' ', h('span', { class: 'small' }, e.detail)));
  }

  readonly onKey = (event: KeyboardEvent): void => {
    if (typing(event.target)) return;
    const action = keyAction(event);
    if (!action || !this.voting) return;
    if (action.kind === 'vote' && this.task) {
      event.preventDefault();
      void this.submit(action.choice);
    } else if (action.kind === 'skip' && this.task) {
      event.preventDefault();
      void this.skip();
    } else if (action.kind === 'undo' && this.state.project && this.lastVote.get(this.state.project)) {
      event.preventDefault();
      void this.undo();
    }
  };
}

/**
 * Review workbench: one blind pair at a time, keys 1–4, tags from the rubric, optional comment, and "undo the last
 * vote" (button, U or Ctrl+Z): DELETE /api/reviews/{task}/vote withdraws it and answers with that task again plus the
 * withdrawn vote, which is shown marked (and its tags and comment filled in) until the reviewer votes again.
 * "Skip" (button or S) hands the pair to another reviewer: it does not come back to this one.
 * {@code runId} (route {@code #/review?run=<id>}) pins the queue to one run; otherwise the newest work comes first.
 */
export function renderReview(main: HTMLElement, state: AppState, runId: string | null = null): () => void {
  const bench = new Workbench(state, runId);
  append(main, bench.page);
  document.addEventListener('keydown', bench.onKey);
  void bench.load();
  return () => {
    bench.alive = false;
    document.removeEventListener('keydown', bench.onKey);
  };
}
