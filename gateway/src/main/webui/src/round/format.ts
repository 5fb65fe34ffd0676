// Small pure formatters of the round report (unit-tested).

/** A pass-rate change (a share, e.g. -0.125) in signed percentage points ("−12.5"); null when unknown. */
export function passRatePoints(value: number | null | undefined): string | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const points = Math.round(value * 1000) / 10;
  return `${points > 0 ? '+' : points < 0 ? '−' : '±'}${Math.abs(points).toFixed(1)}`;
}
