import { describe, expect, it } from 'vitest';
import { passRatePoints } from './format';

describe('passRatePoints', () => {
  it('signs the change in percentage points', () => {
    expect(passRatePoints(-0.125)).toBe('−12.5');
    expect(passRatePoints(0.05)).toBe('+5.0');
    expect(passRatePoints(0)).toBe('±0.0');
    expect(passRatePoints(null)).toBeNull();
    expect(passRatePoints(NaN)).toBeNull();
  });
});
