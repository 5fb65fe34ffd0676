// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProbeRun, RoundReport } from '../api';
import { setLang } from '../i18n';
import { progressSection, recommendationCard, roundTitle, runNotes } from './summary';

beforeEach(() => setLang('en'));

function probeRun(id: string, step: number | null, status: string): ProbeRun {
  return { id, project: 'demo', runId: 'r1', checkpointId: null, step, status, total: 10, counts: { pending: 4, done: 5, error: 1 } };
}

describe('round summary', () => {
  it('recommends a checkpoint with its reasons and blockers', () => {
    const card = recommendationCard({ checkpoint: 'c600', step: 600, confidence: 'medium',
      reasons: ['strength 0.8 (0.2–1.4)', '<b>not bold</b>'], blockers: ['step 800: 12 more votes'] });
    expect(card?.getAttribute('data-step')).toBe('600');
    expect(card?.getAttribute('data-confidence')).toBe('medium');
    expect(card?.querySelector('[data-testid="round-recommendation-headline"]')?.textContent)
      .toBe('Recommended: checkpoint at step 600 (medium confidence)');
    const reasons = card?.querySelectorAll('[data-testid="round-recommendation-reasons"] li') ?? [];
    expect(reasons).toHaveLength(2);
    expect(reasons[1].textContent).toBe('<b>not bold</b>');
    expect(card?.querySelector('b')).toBeNull();
    expect(card?.querySelectorAll('[data-testid="round-recommendation-blockers"] li')).toHaveLength(1);
  });

  it('says when there is not enough evidence, and shows nothing without a recommendation', () => {
    const card = recommendationCard({ checkpoint: null, step: null, confidence: 'none', reasons: [], blockers: [] });
    expect(card?.getAttribute('data-step')).toBe('');
    expect(card?.querySelector('[data-testid="round-recommendation-headline"]')?.textContent)
      .toBe('Not enough evidence to recommend a checkpoint yet');
    expect(card?.querySelector('ul')).toBeNull();
    expect(recommendationCard(null)).toBeNull();
    expect(recommendationCard(undefined)).toBeNull();
  });

  it('lists what the report is missing and the run notices', () => {
    const report: RoundReport = { run: { id: 'r1', name: 'n', project: 'demo', baseline: null }, checkpoints: [],
      missing: ['review-service did not answer'], notices: [{ code: 'no-suite', message: 'Checkpoints will not be probed' }] };
    const notes = runNotes(report);
    expect(notes).toHaveLength(2);
    expect(notes[0].querySelectorAll('li')).toHaveLength(1);
    expect(notes[1].getAttribute('data-code')).toBe('no-suite');
    expect(runNotes({ ...report, missing: [], notices: [] })).toHaveLength(0);
  });

  it('names the run and its baseline, and links to its verdicts', () => {
    const [title, line] = roundTitle({ run: { id: 'r1', name: '<i>run</i>', project: 'demo',
      baseline: { endpoint: 'vllm', model: 'base' } }, checkpoints: [], missing: [] }, 'r1', document.createElement('span'));
    expect(title.querySelector('[data-testid="round-run-name"]')?.textContent).toBe('<i>run</i>');
    expect(title.querySelector('i')).toBeNull();
    expect(line.textContent).toBe('Round report · demo · Baseline vllm/base · Human verdicts & Bradley–Terry →');
    expect(line.querySelector('a')?.getAttribute('href')).toBe('#/runs/r1/verdicts');
  });

  it('shows progress bars of queued and running probe runs only, by step', () => {
    const section = progressSection([probeRun('b', 400, 'running'), probeRun('done', 100, 'completed'),
      probeRun('a', 200, 'queued')]);
    const rows = section?.querySelectorAll('[data-testid="probe-run-progress"]') ?? [];
    expect([...rows].map((r) => r.getAttribute('data-probe-run-id'))).toEqual(['a', 'b']);
    expect(rows[0].querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('6');
    expect(rows[0].textContent).toContain('Step 200: 5 of 10 answers · 1 errors');
    expect(progressSection([probeRun('done', 100, 'completed')])).toBeNull();
    expect(progressSection(null)).toBeNull();
  });
});
