import { describe, expect, it } from 'vitest';
import { pagePath } from './api';

describe('pagePath', () => {
  it('keeps the first page path as it is', () => {
    expect(pagePath('/api/runs?project=demo', null)).toBe('/api/runs?project=demo');
  });

  it('adds the cursor to an existing query, encoded', () => {
    expect(pagePath('/api/runs?project=demo', 'a+b/c=')).toBe('/api/runs?project=demo&after=a%2Bb%2Fc%3D');
  });

  it('starts a query when the path has none', () => {
    expect(pagePath('/api/runs', 'xyz')).toBe('/api/runs?after=xyz');
  });
});
