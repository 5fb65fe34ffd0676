// The compare page's parts: per probe the question and both answers with an inline diff, the summary, the
// stock-phrase panel and the filter bar. Model output is untrusted: it only ever becomes text nodes.
import { type Comparison, type ComparisonItem, type ComparisonSide, type Message, type ProbeRun, targetName } from '../api';
import { h, append, pct } from '../dom';
import { t } from '../i18n';
import { diffSides, sideRuns, type Segment } from './textDiff';
import { brokenChecks, fixedChecks } from './filters';

/** One side's text as DOM: ins/del spans and stock-phrase marks, all text nodes. */
export function sideText(segments: Segment[], phrases: string[]): HTMLElement {
  const box = h('div', { class: 'side-text' });
  for (const run of sideRuns(segments, phrases)) {
    const content: Node = run.phrase
      ? h('mark', { class: 'stock-phrase', 'data-testid': 'stock-phrase' }, run.text)
      : document.createTextNode(run.text);
    if (run.kind === 'same') box.appendChild(content);
    else box.appendChild(h('span', { class: `diff-${run.kind}`, 'data-testid': `diff-${run.kind}` }, content));
  }
  return box;
}

/** One answer: its error, "empty", or the diffed text. */
export function side(label: string, target: string, value: ComparisonSide | null | undefined, segments: Segment[],
  phrases: string[], testid: string): HTMLElement {
  const d = t();
  let body: HTMLElement;
  if (value?.error) body = h('p', { class: 'output-error' }, h('strong', {}, d.noOutput), ' ', value.error);
  else if (!value?.text) body = h('p', { class: 'muted' }, d.emptyAnswer);
  else body = sideText(segments, phrases);
  return h('article', { class: `side side-${testid}`, 'data-testid': testid },
    h('header', { class: 'side-head' }, h('h3', {}, label), h('span', { class: 'mono small muted' }, target)), body);
}

/** The chat messages of a probe, one block per message. */
export function messagesBlock(messages: Message[] | null | undefined, cls: string, testid?: string): HTMLElement {
  const d = t();
  const question = h('div', { class: cls, 'data-testid': testid });
  for (const m of messages ?? []) {
    append(question, h('div', { class: `message message-${m.role}` },
      h('div', { class: 'message-role' }, d.roles[m.role] ?? m.role),
      h('div', { class: 'message-content' }, m.content)));
  }
  return question;
}

/** Identical / changed / unchanged, the checks broken and fixed, the tags and the similarity facts. */
function itemHead(item: ComparisonItem, mode: 'char' | 'word'): HTMLElement {
  const d = t();
  const badge = item.identical ? h('span', { class: 'status' }, d.identical)
    : item.changed ? h('span', { class: 'status status-changed' }, d.changed) : h('span', { class: 'status' }, d.unchanged);
  const broken = brokenChecks(item);
  const fixed = fixedChecks(item);
  const checkBadges = h('span', { class: 'item-checks' },
    broken.length > 0 ? h('span', { class: 'status status-broken', 'data-testid': 'check-broken',
      title: broken.map((c) => c.type).join(', ') }, d.checksBroken(broken.length)) : null,
    fixed.length > 0 ? h('span', { class: 'status status-fixed', 'data-testid': 'check-fixed',
      title: fixed.map((c) => c.type).join(', ') }, d.checksFixed(fixed.length)) : null);
  const tags = h('span', { class: 'item-tags' }, ...(item.tags ?? []).map((tag) => h('span', { class: 'chip' }, tag)));
  const facts = [
    item.similarity !== null && item.similarity !== undefined ? d.similarity(item.similarity.toFixed(2)) : null,
    item.lengthRatio !== null && item.lengthRatio !== undefined ? d.lengthRatio(item.lengthRatio.toFixed(2)) : null,
    item.identical ? null : mode === 'char' ? d.diffChar : d.diffWord,
  ].filter((x): x is string => x !== null);
  return h('header', { class: 'item-head' },
    h('span', { class: 'mono item-id' }, item.probeId), badge, checkBadges, tags,
    h('span', { class: 'muted small item-facts' }, facts.join(' · ')));
}

/** One probe: head, question, and baseline and candidate side by side with the inline diff. */
export function itemCard(item: ComparisonItem, report: Comparison, phrases: string[]): HTMLElement {
  const d = t();
  const baselineText = item.baseline?.error ? '' : item.baseline?.text ?? '';
  const candidateText = item.candidate?.error ? '' : item.candidate?.text ?? '';
  const diff = diffSides(baselineText, candidateText);
  return h('section', { class: 'compare-item', 'data-testid': 'compare-item', 'data-probe-id': item.probeId },
    itemHead(item, diff.mode),
    messagesBlock(item.messages, 'question compact'),
    h('div', { class: 'compare-sides' },
      side(d.baseline, targetName(report.baseline), item.baseline, diff.baseline, phrases, 'compare-baseline'),
      side(d.candidate, targetName(report.candidate), item.candidate, diff.candidate, phrases, 'compare-candidate')));
}

/** Back link, title, the pair compared, the share changed, and the "all identical" banner. */
export function compareSummary(report: Comparison, probeRun: ProbeRun | null): HTMLElement[] {
  const d = t();
  const back = probeRun?.runId
    ? h('a', { href: `#/runs/${encodeURIComponent(probeRun.runId)}`, class: 'back', 'data-testid': 'compare-back' }, d.backToRun)
    : h('a', { href: '#/runs', class: 'back', 'data-testid': 'compare-back' }, d.back);
  const fill = h('div', { class: 'mini-fill' });
  fill.style.width = `${Math.round((report.shareChanged ?? 0) * 100)}%`; // CSSOM is CSP-safe
  const out = [back, h('h1', {}, d.compareTitle),
    h('p', { class: 'muted' },
      probeRun?.step !== null && probeRun?.step !== undefined ? `${d.step} ${probeRun.step} · ` : '',
      h('span', { class: 'mono' }, targetName(report.candidate)), ' vs ',
      h('span', { class: 'mono' }, targetName(report.baseline))),
    h('div', { class: 'compare-summary', 'data-testid': 'compare-summary' },
      h('strong', { class: 'big-number' }, pct(report.shareChanged)),
      h('div', { class: 'cell-stack' },
        h('span', {}, d.summaryChanged(report.changed ?? 0, report.total ?? 0)),
        report.errors ? h('span', { class: 'muted small' }, d.summaryErrors(report.errors)) : null,
        h('div', { class: 'mini-bar wide' }, fill)))];
  if (report.identicalToBaseline) {
    out.push(h('div', { class: 'notice warn banner', role: 'alert', 'data-testid': 'compare-identical' },
      h('strong', {}, d.identicalTitle), h('p', {}, d.identicalDetail)));
  }
  return out;
}
