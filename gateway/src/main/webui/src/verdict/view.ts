// The verdict page's parts: per checkpoint the win rate with its Wilson interval, outcomes, top tags and agreement;
// the Bradley–Terry table; the export buttons. Tag labels and target names are text nodes only.
import { targetName, type Strength, type Verdict } from '../api';
import { h, pct } from '../dom';
import { t, lang } from '../i18n';
import { tagName } from '../round/truth';
import {
  beatsBase, EXPORT_FORMATS, exportFileName, exportUrl, intervalGeometry, kappaBand, OUTCOMES, outcomeShares, topTags,
  verdictState,
} from './verdictModel';

/** The win rate's 95 % Wilson interval as a bar on a 0–100 % track, with a tick at 50 % and a dot at the win rate. */
function whisker(v: Verdict): HTMLElement {
  const d = t();
  const geometry = intervalGeometry(v);
  const state = verdictState(v);
  const track = h('div', {
    class: `whisker whisker-${state}`, 'data-testid': 'verdict-whisker', role: 'img',
    'aria-label': d.whiskerAria(pct(v.winRate), pct(v.low), pct(v.high)),
  }, h('span', { class: 'whisker-half', 'aria-hidden': 'true' }));
  if (geometry) {
    const bar = h('span', { class: 'whisker-bar', 'aria-hidden': 'true' });
    bar.style.left = `${geometry.left}%`; // CSSOM is CSP-safe
    bar.style.width = `${geometry.width}%`;
    track.appendChild(bar);
    if (geometry.point !== null) {
      const dot = h('span', { class: 'whisker-dot', 'aria-hidden': 'true' });
      dot.style.left = `${geometry.point}%`;
      track.appendChild(dot);
    }
  }
  return track;
}

function outcomes(v: Verdict): HTMLElement {
  const d = t();
  const shares = outcomeShares(v);
  const bar = h('div', { class: 'outcome-bar', 'aria-hidden': 'true' });
  for (const o of OUTCOMES) {
    if (shares[o] <= 0) continue;
    const part = h('span', { class: `outcome outcome-${o}` });
    part.style.width = `${shares[o]}%`;
    bar.appendChild(part);
  }
  const legend = h('div', { class: 'outcome-legend small' });
  for (const o of OUTCOMES) {
    legend.appendChild(h('span', { class: 'outcome-count', 'data-testid': `verdict-${o}`, 'data-count': String(v[o] ?? 0) },
      h('span', { class: `swatch outcome-${o}`, 'aria-hidden': 'true' }), `${v[o] ?? 0} ${d.outcomeNames[o]}`));
  }
  return h('div', { class: 'cell-stack' }, bar, legend);
}

function tagsCell(v: Verdict): HTMLElement {
  const d = t();
  const top = topTags(v.tags, 3);
  if (top.length === 0) return h('td', { class: 'muted small' }, d.noTags);
  const list = h('ul', { class: 'tag-list' });
  for (const tag of top) {
    list.appendChild(h('li', { class: 'chip', 'data-testid': 'verdict-tag', 'data-tag': tag.tag },
      tagName({ tag: tag.tag, label: v.tagLabels?.[tag.tag] ?? null }, lang()), ' ',
      h('span', { class: 'muted' }, d.tagCounts(tag.wins, tag.losses))));
  }
  return h('td', {}, list);
}

function agreementCell(v: Verdict): HTMLElement {
  const d = t();
  const kappa = v.agreement?.kappa;
  if (kappa === null || kappa === undefined) {
    return h('td', { class: 'muted small', 'data-testid': 'verdict-kappa' }, d.kappaNone);
  }
  return h('td', { 'data-testid': 'verdict-kappa' }, h('div', { class: 'cell-stack' },
    h('strong', {}, d.kappa(kappa.toFixed(2), d.kappaBands[kappaBand(kappa)])),
    h('span', { class: 'muted small' }, d.kappaItems(v.agreement?.items ?? 0))));
}

export function verdictTable(verdicts: Verdict[]): HTMLElement {
  const d = t();
  const body = h('tbody');
  for (const v of verdicts) {
    const state = verdictState(v);
    body.appendChild(h('tr', { 'data-testid': 'verdict-row', 'data-checkpoint-id': v.checkpointId ?? '', 'data-state': state },
      h('td', { class: 'num' }, v.step === null || v.step === undefined ? '—' : String(v.step)),
      h('td', {}, h('div', { class: 'cell-stack' },
        h('span', { class: 'mono small' }, targetName(v.candidate)),
        h('span', { class: 'muted small' }, d.vsBaseline(targetName(v.baseline))))),
      h('td', { class: 'whisker-cell' }, h('div', { class: 'cell-stack' },
        whisker(v),
        h('span', { class: 'small' }, h('strong', {}, pct(v.winRate)), ` (${pct(v.low)}–${pct(v.high)})`),
        h('span', { class: `status verdict-state state-${state}`, 'data-testid': 'verdict-state' }, d.verdictStates[state]))),
      h('td', {}, outcomes(v)),
      tagsCell(v),
      agreementCell(v)));
  }
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table verdict-table', 'data-testid': 'verdict-table' },
    h('thead', {}, h('tr', {},
      h('th', { class: 'num' }, d.step), h('th', {}, d.checkpoint), h('th', {}, d.winRateCol), h('th', {}, d.outcomesCol),
      h('th', {}, d.tagsCol), h('th', {}, d.agreementCol))),
    body));
}

export function strengthTable(strengths: Strength[], labels: string[]): HTMLElement {
  const d = t();
  const body = h('tbody');
  strengths.forEach((s, i) => {
    const p = beatsBase(s.strength);
    body.appendChild(h('tr', { 'data-testid': 'bt-row' },
      h('td', {}, h('span', { class: 'mono small' }, labels[i]), i === 0 && s.strength === 0 ? h('span', { class: 'chip' }, d.btBase) : null),
      h('td', { class: 'num' }, s.strength === null || s.strength === undefined ? d.btNotLinked : s.strength.toFixed(2)),
      h('td', { class: 'num' }, s.low === null || s.low === undefined || s.high === null || s.high === undefined ? '—'
        : `${s.low.toFixed(2)} – ${s.high.toFixed(2)}`),
      h('td', { class: 'num' }, pct(p)),
      h('td', { class: 'num' }, String(s.votes))));
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table', 'data-testid': 'bt-table' },
    h('thead', {}, h('tr', {}, h('th', {}, d.btTarget), h('th', { class: 'num' }, d.btStrength),
      h('th', { class: 'num' }, d.btInterval), h('th', { class: 'num' }, d.btBeatsBase), h('th', { class: 'num' }, d.btVotes))),
    body));
}

export function exportCard(runId: string): HTMLElement {
  const d = t();
  const list = h('div', { class: 'export-buttons', 'data-testid': 'export-buttons' });
  for (const format of EXPORT_FORMATS) {
    list.appendChild(h('a', {
      class: 'button', href: exportUrl(runId, format), download: exportFileName(runId, format),
      'data-testid': 'export-button', 'data-format': format,
    }, d.exportFormats[format] ?? format));
  }
  return h('section', { class: 'card export-card', 'data-testid': 'export-card' },
    h('h2', {}, d.exportsTitle), h('p', { class: 'muted small' }, d.exportsIntro), list);
}


/**
 * The Bradley–Terry section: unavailable, empty, or the strength table and a canvas for the lazily loaded chart
 * (`canvas` is null when there is nothing to draw).
 */
export function btSection(strengths: Strength[] | null, labels: string[]): { section: HTMLElement; canvas: HTMLElement | null } {
  const d = t();
  const section = h('section', { class: 'chart-card bt-card', 'data-testid': 'bt-section' },
    h('h2', {}, d.btTitle), h('p', { class: 'muted small' }, d.btIntro));
  if (strengths === null) {
    section.appendChild(h('p', { class: 'notice warn', 'data-testid': 'bt-unavailable' }, d.btUnavailable));
    return { section, canvas: null };
  }
  if (strengths.length === 0) {
    section.appendChild(h('p', { class: 'muted', 'data-testid': 'bt-empty' }, d.btEmpty));
    return { section, canvas: null };
  }
  const canvas = h('div', { class: 'bt-chart', 'data-testid': 'bt-chart', role: 'img', 'aria-label': d.btChartAria });
  section.append(canvas, strengthTable(strengths, labels));
  return { section, canvas };
}

/** Title, intro, export buttons (engineers and admins), and the verdict table or the "no verdicts yet" note. */
export function verdictsHead(runName: string | null, verdicts: Verdict[], exportFor: string | null): HTMLElement[] {
  const d = t();
  return [
    h('h1', { 'data-testid': 'verdicts-title' }, d.verdictsTitle, runName !== null ? ` · ${runName}` : ''),
    h('p', { class: 'muted' }, d.verdictsIntro),
    ...(exportFor !== null ? [exportCard(exportFor)] : []),
    verdicts.length === 0
      ? h('p', { class: 'empty-state muted', 'data-testid': 'verdicts-empty' }, d.verdictsEmpty)
      : verdictTable(verdicts),
  ];
}
