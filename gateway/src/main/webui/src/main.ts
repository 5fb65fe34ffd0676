import './styles.css';
import { api, type Me } from './api';
import { canVote, errorBox, type AppState } from './app';
import { h, append, clear } from './dom';
import { t, lang, setLang } from './i18n';
import { renderReview } from './pages/review';
import { renderRuns } from './pages/runs';
import { renderRound } from './pages/round';
import { renderCompare } from './pages/compare';
import { parseCompareRoute } from './compare/route';
import { renderVerdicts } from './pages/verdicts';

const root = document.getElementById('app')!;
let state: AppState | null = null;
let disposeCurrent: (() => void) | null = null;

function defaultRoute(me: Me): string {
  return canVote(me) ? '#/review' : '#/runs';
}

function header(s: AppState): HTMLElement {
  const d = t();
  const route = location.hash || defaultRoute(s.me);
  const navLink = (href: string, label: string, testid: string, also: string[] = []) => {
    const active = [href, ...also].some((prefix) => route.startsWith(prefix));
    return h('a', {
      href,
      class: active ? 'nav-link active' : 'nav-link',
      'data-testid': testid,
      'aria-current': active ? 'page' : undefined,
    }, label);
  };

  let projectControl: HTMLElement;
  const projects = s.me.projects ?? [];
  if (projects.length > 1) {
    const select = h('select', { 'data-testid': 'project-select', 'aria-label': d.project });
    for (const p of projects) {
      const option = h('option', { value: p }, p);
      if (p === s.project) option.selected = true;
      select.appendChild(option);
    }
    select.addEventListener('change', () => {
      s.project = select.value;
      render();
    });
    projectControl = select;
  } else {
    projectControl = h('span', { class: 'project-name', 'data-testid': 'project-name' }, s.project ?? d.noProject);
  }

  const langButton = h('button', { type: 'button', class: 'ghost', 'data-testid': 'lang-switch' }, d.language);
  langButton.addEventListener('click', () => {
    setLang(lang() === 'en' ? 'zh-CN' : 'en');
    render();
  });

  return h('header', { class: 'app-header', 'data-testid': 'app-header' },
    h('div', { class: 'header-inner' },
      h('a', { href: defaultRoute(s.me), class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), d.appName),
      h('nav', { class: 'nav' },
        navLink('#/review', d.navReview, 'nav-review'),
        navLink('#/runs', d.navRuns, 'nav-runs', ['#/compare'])),
      h('div', { class: 'header-right' },
        h('span', { class: 'muted small' }, d.project),
        projectControl,
        h('span', { class: 'user-name', 'data-testid': 'user-name' }, s.me.user),
        langButton,
        h('a', { href: '/logout', class: 'button ghost', 'data-testid': 'logout-link' }, d.signOut))));
}

function render(): void {
  if (!state) return;
  disposeCurrent?.();
  disposeCurrent = null;
  clear(root);
  const main = h('main', { class: 'page' });
  append(root, header(state), main);
  const route = location.hash || defaultRoute(state.me);
  const runMatch = /^#\/runs\/([0-9a-fA-F-]{36})$/.exec(route);
  const compareRoute = parseCompareRoute(route);
  const verdictsMatch = /^#\/runs\/([0-9a-fA-F-]{36})\/verdicts$/.exec(route);
  const reviewRun = /^#\/review\?run=([0-9a-fA-F-]{36})$/.exec(route);
  if (verdictsMatch) {
    disposeCurrent = renderVerdicts(main, state, verdictsMatch[1]);
  } else if (runMatch) {
    disposeCurrent = renderRound(main, state, runMatch[1]);
  } else if (compareRoute) {
    disposeCurrent = renderCompare(main, state, compareRoute.probeRunId, compareRoute.vs);
  } else if (route.startsWith('#/runs')) {
    disposeCurrent = renderRuns(main, state);
  } else {
    disposeCurrent = renderReview(main, state, reviewRun ? reviewRun[1] : null);
  }
}

async function start(): Promise<void> {
  append(root, h('p', { class: 'page muted' }, t().loading));
  try {
    const me = await api.get<Me>('/api/me');
    if (!me) throw new Error('GET /api/me answered nothing');
    state = { me, project: me.projects?.[0] ?? null };
    window.addEventListener('hashchange', render);
    render();
  } catch (e) {
    clear(root);
    append(root, h('main', { class: 'page' }, errorBox(e, () => location.reload())));
  }
}

void start();
