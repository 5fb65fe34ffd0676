import { describe, expect, it } from 'vitest';
import { compareHref, parseCompareRoute } from './route';

const RUN = '0b3c9a52-6a1e-4a57-9a6e-2f7d9c1e8b40';

describe('compare route', () => {
  it('round-trips a probe run alone', () => {
    expect(compareHref(RUN)).toBe(`#/compare/${RUN}`);
    expect(parseCompareRoute(compareHref(RUN))).toEqual({ probeRunId: RUN, vs: null });
  });

  it('round-trips another target, model names with slashes and spaces included', () => {
    const href = compareHref(RUN, { endpoint: 'sim', model: 'org/ckpt 400' });
    expect(href).toBe(`#/compare/${RUN}?vs=sim%2Forg%2Fckpt%20400`);
    expect(parseCompareRoute(href)).toEqual({ probeRunId: RUN, vs: 'sim/org/ckpt 400' });
  });

  it('refuses what is not a compare address or not endpoint/model', () => {
    expect(parseCompareRoute('#/runs')).toBeNull();
    expect(parseCompareRoute(`#/compare/${RUN}?vs=nomodel`)).toBeNull();
    expect(parseCompareRoute(`#/compare/${RUN}?vs=%E0%A4%A`)).toBeNull();
  });
});
