import { ApiError, type Me } from './api';
import { h } from './dom';
import { t } from './i18n';

export interface AppState {
  me: Me;
  project: string | null;
}

export function canVote(me: Me): boolean {
  const roles = me.roles ?? [];
  return roles.includes('reviewer') || roles.includes('admin');
}

export function errorBox(error: unknown, retry?: () => void): HTMLElement {
  const d = t();
  const detail = error instanceof ApiError ? error.detail : String(error);
  const box = h('div', { class: 'notice error', role: 'alert', 'data-testid': 'error' },
    h('strong', {}, d.errorTitle), h('p', {}, detail));
  if (retry) {
    const button = h('button', { type: 'button' }, d.retry);
    button.addEventListener('click', retry);
    box.appendChild(button);
  }
  return box;
}
