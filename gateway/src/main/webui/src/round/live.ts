// The run page's live feed (GET /api/live, server-sent events): which events concern this run and what they do.
import { h } from '../dom';
import { t } from '../i18n';

export interface LiveEvent {
  type: string;
  runId?: string | null;
  probeRunId?: string;
  done?: number;
  errors?: number;
  total?: number;
}

/** Events that change what the run page shows; probe-run.progressed only moves a progress bar. */
const REFRESHING = new Set(['checkpoint.registered', 'alarm.raised', 'probe-run.started', 'probe-run.completed',
  'verdict.updated']);

/**
 * What an event means for the page of `runId`: `progress` moves a bar in place (when the bar is shown; else the page
 * reloads), `refresh` reloads the data quietly, `ignore` for other runs' events and heartbeats.
 */
export function liveAction(event: LiveEvent, runId: string, probeRunIds: ReadonlySet<string>): 'progress' | 'refresh' | 'ignore' {
  const ours = event.runId === runId || (event.probeRunId !== undefined && probeRunIds.has(event.probeRunId));
  if (!ours) return 'ignore';
  if (event.type === 'probe-run.progressed') return event.probeRunId ? 'progress' : 'refresh';
  return REFRESHING.has(event.type) ? 'refresh' : 'ignore';
}

/** The live event in a server-sent message, or null when it is not a JSON object with a type. */
export function parseLiveEvent(data: string): LiveEvent | null {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== 'object' || value === null || !('type' in value) || typeof value.type !== 'string') return null;
    return value as LiveEvent;
  } catch {
    return null; // not JSON: ignore
  }
}

/** The "Live" badge, on or off. */
export function liveBadge(): HTMLElement {
  return h('span', { class: 'live-badge off', 'data-testid': 'round-live', 'data-state': 'off' }, t().liveOff);
}

export function setLive(badge: HTMLElement, on: boolean): void {
  const d = t();
  badge.textContent = on ? d.live : d.liveOff;
  badge.className = on ? 'live-badge on' : 'live-badge off';
  badge.dataset.state = on ? 'on' : 'off';
}

/** Subscribes to /api/live; the badge follows the connection. Null where the browser has no EventSource. */
export function connectLive(badge: HTMLElement, onEvent: (event: LiveEvent) => void): EventSource | null {
  if (typeof EventSource === 'undefined') return null;
  const source = new EventSource('/api/live');
  source.onopen = () => setLive(badge, true);
  source.onerror = () => setLive(badge, false);
  source.onmessage = (message: MessageEvent<string>) => {
    const event = parseLiveEvent(message.data);
    if (event) onEvent(event);
  };
  return source;
}

/**
 * Loads one at a time: a load asked for while one runs happens once after it, and live events schedule at most one
 * quiet reload per 400 ms.
 */
export function quietRefresher(loadOnce: (quiet: boolean) => Promise<void>, isAlive: () => boolean) {
  let timer: number | null = null;
  let loading = false;
  let again = false;
  const self = {
    schedule(): void {
      if (timer !== null) return;
      timer = window.setTimeout(() => {
        timer = null;
        void self.load(true);
      }, 400);
    },
    async load(quiet: boolean): Promise<void> {
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      try {
        await loadOnce(quiet);
      } finally {
        loading = false;
        if (again && isAlive()) {
          again = false;
          self.schedule();
        }
      }
    },
    cancel(): void {
      if (timer !== null) window.clearTimeout(timer);
      timer = null;
    },
  };
  return self;
}
