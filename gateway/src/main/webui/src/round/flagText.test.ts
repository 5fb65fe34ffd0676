import { describe, expect, it } from 'vitest';
import { flagSentence } from './flagText';

describe('flagSentence', () => {
  it('keeps the server sentence in English', () => {
    expect(flagSentence('memorising', 'Possible memorising …', { stockPhrases: 1 }, 'en')).toBe('Possible memorising …');
  });

  it('builds the memorising sentence in Chinese from the evidence, naming the previous checkpoint', () => {
    const text = flagSentence('memorising', 'x', {
      alarmKinds: ['overfitting'], stockPhrases: 2, phrases: ['请您放心', 'as soon as possible'],
      stockPhrasesAgainst: 'previous', previousStep: 400,
    }, 'zh-CN');
    expect(text).toBe('疑似死记硬背：这一区间 ingest 报出了过拟合告警，并且有 2 个套话相对上一个检查点（第 400 步）明显增多：'
      + '“请您放心”、“as soon as possible”。');
  });

  it('says base model when the phrases were counted against the base', () => {
    const text = flagSentence('memorising', 'x', {
      alarmKinds: ['too-fast-drop'], stockPhrases: 1, phrases: ['请您放心'], stockPhrasesAgainst: 'base', previousStep: null,
    }, 'zh-CN');
    expect(text).toContain('损失下降过快');
    expect(text).toContain('相对基座模型');
  });

  it('formats shares as percentages with one decimal', () => {
    expect(flagSentence('loss-fell-behaviour-flat', 'x', { trainLossChange: -0.234, shareChanged: 0.05 }, 'zh-CN'))
      .toContain('下降了 23.4%，但只有 5.0%');
    expect(flagSentence('loss-flat-outputs-drifting', 'x', { trainLossChange: 0.004, shareChanged: 0.6 }, 'zh-CN'))
      .toContain('（+0.4%）');
    expect(flagSentence('loss-fell-humans-prefer-baseline', 'x', { low: 0.1, high: 0.45 }, 'zh-CN'))
      .toContain('10.0%–45.0%');
  });

  it('falls back to the server text for an unknown kind or missing numbers', () => {
    expect(flagSentence('new-kind', 'server text', { a: 1 }, 'zh-CN')).toBe('server text');
    expect(flagSentence('no-human-signal-yet', 'server text', { changed: 'many' }, 'zh-CN')).toBe('server text');
    expect(flagSentence('memorising', 'server text', null, 'zh-CN')).toBe('server text');
  });

  it('builds the generalises-best sentence in Chinese from the step', () => {
    expect(flagSentence('generalises-best', 'x', { step: 4500, alarmFromStep: 4500 }, 'zh-CN'))
      .toBe('评估损失在这个检查点（第 4500 步）降到最低，之后训练损失继续下降而评估损失回升：到目前为止，这个检查点泛化最好。');
    expect(flagSentence('generalises-best', 'Eval loss bottomed …', { step: 4500 }, 'en')).toBe('Eval loss bottomed …');
  });
});
