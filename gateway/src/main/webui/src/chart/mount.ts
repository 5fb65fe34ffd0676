// What every ECharts chart of the UI does once drawn: redraw when the colour scheme flips (colours come from CSS
// variables), follow its element's size, and release everything when the page goes away.
import type { EChartsType } from 'echarts/core';

/** A reader of the page's CSS variables (light or dark, as now), falling back to the light theme's values. */
export function cssVars(): (name: string, fallback: string) => string {
  const css = getComputedStyle(document.documentElement);
  return (name, fallback) => css.getPropertyValue(name).trim() || fallback;
}

/** Draws now and on every colour-scheme change, resizes with el; returns the disposer. */
export function keepDrawn(el: HTMLElement, chart: EChartsType, draw: () => void): () => void {
  draw();
  const scheme = window.matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', draw);
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(el);
  return () => {
    scheme.removeEventListener('change', draw);
    resize.disconnect();
    chart.dispose();
  };
}
