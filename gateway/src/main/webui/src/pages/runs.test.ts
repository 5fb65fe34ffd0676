// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Run } from '../api';
import { setLang } from '../i18n';
import { newestFirst, runRow } from './runs';

function run(id: string, createdAt: string | null, name = id): Run {
  return { id, project: 'demo', name, baseline: { endpoint: 'vllm', model: 'base' }, status: 'active', createdAt };
}

beforeEach(() => setLang('en'));

describe('runs page', () => {
  it('lists runs newest first, those without a time last', () => {
    const sorted = newestFirst([run('a', '2026-01-01T00:00:00Z'), run('b', null), run('c', '2026-03-01T00:00:00Z')]);
    expect(sorted.map((r) => r.id)).toEqual(['c', 'a', 'b']);
  });

  it('links a run to its round report and shows its name as text', () => {
    const row = runRow(run('6a1f2f0e-0000-4000-8000-000000000001', null, '<img src=x onerror="alert(1)">'));
    expect(row.querySelector('img')).toBeNull();
    const link = row.querySelector('[data-testid="run-link"]');
    expect(link?.getAttribute('href')).toBe('#/runs/6a1f2f0e-0000-4000-8000-000000000001');
    expect(link?.textContent).toBe('<img src=x onerror="alert(1)">');
    expect([...row.querySelectorAll('td')].map((td) => td.textContent).slice(1)).toEqual(['active', 'vllm/base', '—']);
  });
});
