import { api, type Run, type Strength, type Verdict } from '../api';
import { h, append, clear } from '../dom';
import { t } from '../i18n';
import { errorBox, type AppState } from '../app';
import { canExport, strengthLabel } from '../verdict/verdictModel';
import { btSection, verdictsHead } from '../verdict/view';

interface VerdictData {
  runInfo: Run | null;
  verdicts: Verdict[];
  strengths: Strength[] | null;
}

/** The verdicts are required; the run's name and the Bradley–Terry strengths are optional (null when they fail). */
async function fetchVerdicts(run: string): Promise<VerdictData> {
  const runCall = api.get<Run>(`/api/runs/${run}`).catch(() => null);
  const btCall = api.get<Strength[]>(`/api/verdicts/bradley-terry?run=${run}`).then((r) => r ?? [], () => null);
  const verdicts = (await api.get<Verdict[]>(`/api/verdicts?run=${run}`)) ?? [];
  const [runInfo, strengths] = await Promise.all([runCall, btCall]);
  return { runInfo, verdicts, strengths };
}

/**
 * Human verdicts of one run (GET /api/verdicts?run=): per checkpoint the win rate with its Wilson interval as a whisker,
 * decided or not, the vote outcomes, top tags and reviewer agreement; then Bradley–Terry strengths across the run's
 * checkpoints (ECharts, loaded on demand); export buttons for engineers and admins.
 */
export function renderVerdicts(main: HTMLElement, state: AppState, runId: string): () => void {
  const d = t();
  const page = h('section', { class: 'verdicts', 'data-testid': 'verdicts-page' });
  append(main, page);
  let alive = true;
  let disposeChart: (() => void) | null = null;
  const run = encodeURIComponent(runId);
  const back = () => h('a', { href: `#/runs/${run}`, class: 'back', 'data-testid': 'verdicts-back' }, d.backToRun);

  async function load(): Promise<void> {
    clear(page);
    append(page, back(), h('p', { class: 'muted' }, d.loading));
    try {
      const data = await fetchVerdicts(run);
      if (!alive) return;
      clear(page);
      show(data);
    } catch (e) {
      if (!alive) return;
      clear(page);
      append(page, back(), errorBox(e, () => void load()));
    }
  }

  function show({ runInfo, verdicts, strengths }: VerdictData): void {
    const labels = (strengths ?? []).map((s) => strengthLabel(s, strengths ?? []));
    const bt = btSection(strengths, labels);
    append(page, back(), ...verdictsHead(runInfo?.name ?? null, verdicts, canExport(state.me) ? runId : null), bt.section);
    const canvas = bt.canvas;
    if (!canvas || !strengths) return;
    import('../chart/btChart')
      .then(({ mountBtChart }) => {
        if (alive) disposeChart = mountBtChart(canvas, strengths, labels);
      })
      .catch(() => {
        if (alive) canvas.replaceWith(h('p', { class: 'notice warn' }, d.btUnavailable));
      });
  }

  void load();
  return () => {
    alive = false;
    disposeChart?.();
  };
}
