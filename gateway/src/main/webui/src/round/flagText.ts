// The round report's self-deception flags in the reader's language. The server writes each flag's sentence in
// English and sends the numbers behind it as `evidence`; for Chinese the sentence is rebuilt from those numbers.
// Unknown kinds, or evidence without the numbers a sentence needs, fall back to the server's text.

import type { Lang } from '../i18n';

type Evidence = Record<string, unknown>;

function num(e: Evidence, key: string): number | null {
  const v = e[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function share(v: number): string {
  return `${(Math.round(v * 1000) / 10).toFixed(1)}%`;
}

function strings(e: Evidence, key: string): string[] {
  const v = e[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const ALARM_ZH: Record<string, string> = { overfitting: '过拟合', 'too-fast-drop': '损失下降过快' };

const ZH: Record<string, (e: Evidence) => string | null> = {
  'loss-fell-behaviour-flat': (e) => {
    const change = num(e, 'trainLossChange');
    const changed = num(e, 'shareChanged');
    if (change === null || changed === null) return null;
    return `训练损失下降了 ${share(-change)}，但只有 ${share(changed)} 的探针回答发生了变化：损失下降的可能是探针没有问到的东西。`;
  },
  'loss-fell-humans-prefer-baseline': (e) => {
    const low = num(e, 'low');
    const high = num(e, 'high');
    if (low === null || high === null) return null;
    return `训练损失下降了，评审却更喜欢基线：胜率区间（${share(low)}–${share(high)}）整体低于 50%。`;
  },
  'loss-flat-outputs-drifting': (e) => {
    const change = num(e, 'trainLossChange');
    const changed = num(e, 'shareChanged');
    if (change === null || changed === null) return null;
    const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
    return `训练损失几乎没变（${sign}${share(Math.abs(change))}），但 ${share(changed)} 的探针回答变了：输出在漂移。`;
  },
  'no-human-signal-yet': (e) => {
    const changed = num(e, 'changed');
    if (changed === null) return null;
    return `${changed} 个探针回答发生了变化，还没有人评审：现在就开始评审，不要等到训练结束。`;
  },
  'generalises-best': (e) => {
    const step = num(e, 'step');
    if (step === null) return null;
    return `评估损失在这个检查点（第 ${step} 步）降到最低，之后训练损失继续下降而评估损失回升：到目前为止，这个检查点泛化最好。`;
  },
  memorising: (e) => {
    const phrases = strings(e, 'phrases');
    const count = num(e, 'stockPhrases');
    const kinds = strings(e, 'alarmKinds');
    if (count === null || phrases.length === 0 || kinds.length === 0) return null;
    const previousStep = num(e, 'previousStep');
    const against = e.stockPhrasesAgainst === 'previous' && previousStep !== null
      ? `上一个检查点（第 ${previousStep} 步）` : '基座模型';
    const alarms = kinds.map((k) => ALARM_ZH[k] ?? k).join('、');
    return `疑似死记硬背：这一区间 ingest 报出了${alarms}告警，并且有 ${count} 个套话相对${against}明显增多：`
      + phrases.map((p) => `“${p}”`).join('、') + '。';
  },
};

/** The flag's sentence for `language`: the server's English, or a Chinese one built from the evidence. */
export function flagSentence(kind: string, message: string, evidence: Evidence | null | undefined, language: Lang): string {
  if (language !== 'zh-CN' || !evidence) return message;
  const build = ZH[kind];
  return (build && build(evidence)) ?? message;
}
