import { describe, expect, it } from 'vitest';
import {
  behaviourEvidence, behaviourSentence, brokenChecksText, directionLabel, recommendationHeadline, reusedText, tagName,
  votesNeededText, type Behaviour,
} from './truth';

const evidence = {
  probes: null, changed: null, shareChanged: null, passRateChange: null, votes: null, winRate: null, low: null,
  high: null, taggedWins: null, taggedVotes: null,
};

const behaviours: Behaviour[] = [
  { tag: 'caution', source: 'suite', direction: 'toward',
    evidence: { ...evidence, probes: 6, changed: 4, passRateChange: 0.167, votes: 9, winRate: 0.78, low: 0.45, high: 0.94 } },
  { tag: 'format', source: 'suite', direction: 'away', evidence: { ...evidence, probes: 4, changed: 1, passRateChange: -0.25 } },
  { tag: 'more-cautious', label: { en: 'more cautious', zh: '更谨慎' }, source: 'rubric', direction: 'toward',
    evidence: { ...evidence, taggedWins: 7, taggedVotes: 9, votes: 9 } },
  { tag: 'facts', source: 'suite', direction: 'unclear', evidence },
];

describe('behaviourSentence', () => {
  it('names the tags moved toward and away, and counts the unclear ones', () => {
    expect(behaviourSentence(behaviours, 'en')).toBe('More like what we want on caution, more cautious; less so on format; 1 unclear.');
    expect(behaviourSentence(behaviours, 'zh-CN')).toBe('在caution、更谨慎上更接近期望；在format上偏离期望；1 项不明确。');
  });

  it('says so when nothing moved clearly or nothing is known', () => {
    expect(behaviourSentence([behaviours[3]], 'en')).toBe('No behaviour moved clearly yet (1 unclear).');
    expect(behaviourSentence([], 'zh-CN')).toBe('尚不知道行为变化。');
    expect(behaviourSentence(null, 'en')).toBe('No behaviours known yet.');
  });
});

describe('behaviourEvidence', () => {
  it('joins probes changed, check points and the human win rate', () => {
    expect(behaviourEvidence(behaviours[0], 'en')).toBe('4 of 6 probes changed · checks +16.7 pts · humans 78% (95% 45%–94%) over 9 votes');
    expect(behaviourEvidence(behaviours[0], 'zh-CN')).toBe('6 个探针中 4 个变了 · 检查通过率 +16.7 个百分点 · 评审胜率 78%（95% 45%–94%，9 票）');
  });

  it('counts how often a rubric tag came with a candidate win', () => {
    expect(behaviourEvidence(behaviours[2], 'en')).toBe('with the candidate winning in 7 of 9 tagged votes');
    expect(behaviourEvidence(behaviours[2], 'zh-CN')).toBe('带此标签的 9 票中候选胜 7 票');
    expect(behaviourEvidence(behaviours[3], 'en')).toBe('');
  });
});

describe('labels', () => {
  it('uses the rubric label in the reader language, else the tag', () => {
    expect(tagName(behaviours[2], 'zh-CN')).toBe('更谨慎');
    expect(tagName(behaviours[2], 'en')).toBe('more cautious');
    expect(tagName({ tag: 'caution', label: { en: ' ' } }, 'en')).toBe('caution');
    expect(directionLabel('away', 'zh-CN')).toBe('偏离');
    expect(directionLabel('toward', 'en')).toBe('toward');
  });
});

describe('votesNeededText', () => {
  it('says decided, how many more votes, or that more votes will not decide it', () => {
    expect(votesNeededText(true, 0, 10, 'en')).toBe('decided');
    expect(votesNeededText(false, 14, 10, 'en')).toBe('~14 more votes would likely decide it');
    expect(votesNeededText(false, 1, 10, 'en')).toBe('~1 more vote would likely decide it');
    expect(votesNeededText(false, 14, 10, 'zh-CN')).toBe('约再需 14 票即可定论');
    expect(votesNeededText(false, null, 10, 'en')).toBe('more votes are unlikely to decide it at this rate');
    expect(votesNeededText(false, null, 0, 'en')).toBeNull();
  });
});

describe('recommendationHeadline', () => {
  it('names the step and confidence, or says there is not enough evidence', () => {
    const r = { checkpoint: 'c600', step: 600, confidence: 'high' as const, reasons: [], blockers: [] };
    expect(recommendationHeadline(r, 'en')).toBe('Recommended: checkpoint at step 600 (high confidence)');
    expect(recommendationHeadline(r, 'zh-CN')).toBe('推荐：第 600 步的检查点（置信度高）');
    expect(recommendationHeadline({ ...r, checkpoint: null, step: null, confidence: 'none' }, 'en'))
      .toBe('Not enough evidence to recommend a checkpoint yet');
    expect(recommendationHeadline(undefined, 'zh-CN')).toBe('证据不足，暂不推荐检查点');
  });
});

describe('brokenChecksText and reusedText', () => {
  it('names broken checks by probe and name, capped', () => {
    const checks = [
      { probeId: 'zh-refund-time', index: 0, type: 'contains', name: 'contains "退款"', count: 1 },
      { probeId: 'en-order-status', index: 1, type: 'regex', name: null, count: 1 },
      { probeId: 'a', index: 0, type: 'max_length', name: 'at most 400 characters', count: 1 },
      { probeId: 'b', index: 2, type: null, name: null, count: 1 },
    ];
    expect(brokenChecksText(checks, 'en')).toBe('broken: zh-refund-time: contains "退款", en-order-status: regex, a: at most 400 characters +1');
    expect(brokenChecksText(checks.slice(3), 'zh-CN')).toBe('失败的检查：b: #2');
    expect(brokenChecksText([], 'en')).toBeNull();
    expect(reusedText({ candidate: 3 }, 'en')).toBe('3 answers reused from an earlier probe run');
    expect(reusedText({ candidate: 0 }, 'en')).toBeNull();
  });
});
