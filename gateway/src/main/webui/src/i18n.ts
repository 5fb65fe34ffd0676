// Small dictionary: English and Simplified Chinese, picked from navigator.language, switchable.
const en = {
  appName: 'Lookout',
  navReview: 'Review',
  navRuns: 'Runs',
  signOut: 'Sign out',
  project: 'Project',
  noProject: 'no project',
  language: '中文',
  loading: 'Loading…',
  errorTitle: 'Something went wrong',
  retry: 'Try again',
  question: 'Question',
  answerA: 'Answer A',
  answerB: 'Answer B',
  voteA: 'A is better',
  voteB: 'B is better',
  voteTie: 'Tie',
  voteBothBad: 'Both bad',
  tags: 'What made the difference?',
  comment: 'Comment (optional)',
  commentPlaceholder: 'Anything the engineers should know about this pair…',
  progress: (done: number, total: number) => `${done} of ${total} reviewed`,
  keysHint: 'Keys: 1 = A · 2 = B · 3 = tie · 4 = both bad',
  nothingLeft: 'Nothing left to review',
  nothingLeftDetail: 'Every pair in your project has a vote. New pairs arrive when a checkpoint is probed.',
  checkAgain: 'Check again',
  readOnly: 'You can look, but only reviewers can vote.',
  voteSaved: 'Vote saved',
  runsTitle: 'Runs',
  runsEmpty: 'No runs yet. Training jobs create them through the API.',
  runName: 'Run',
  status: 'Status',
  baseline: 'Baseline',
  created: 'Created',
  roundTitle: 'Round report',
  back: '← All runs',
  step: 'Step',
  checkpoint: 'Checkpoint',
  trainLoss: 'Train loss',
  evalLoss: 'Eval loss',
  behaviour: 'Behaviour changed',
  verdict: 'Human verdict',
  notes: 'Missing',
  noCheckpoints: 'No checkpoints yet.',
  winRate: (rate: string, low: string, high: string) => `${rate} wins (95% CI ${low}–${high})`,
  votes: (n: number) => `${n} votes`,
  decided: 'decided',
  undecided: 'not decided',
  changedOf: (changed: number, total: number) => `${changed} of ${total}`,
  system: 'user',
  roles: { user: 'Question', system: 'System', assistant: 'Assistant' } as Record<string, string>,
};

type Dict = typeof en;

const zh: Dict = {
  appName: 'Lookout',
  navReview: '评审',
  navRuns: '训练任务',
  signOut: '退出登录',
  project: '项目',
  noProject: '无项目',
  language: 'English',
  loading: '加载中…',
  errorTitle: '出错了',
  retry: '重试',
  question: '问题',
  answerA: '回答 A',
  answerB: '回答 B',
  voteA: 'A 更好',
  voteB: 'B 更好',
  voteTie: '差不多',
  voteBothBad: '都不好',
  tags: '差别在哪里？',
  comment: '备注（可选）',
  commentPlaceholder: '关于这组回答，有什么想告诉工程师的…',
  progress: (done: number, total: number) => `已评审 ${done} / ${total}`,
  keysHint: '快捷键：1 = A · 2 = B · 3 = 差不多 · 4 = 都不好',
  nothingLeft: '没有待评审的内容了',
  nothingLeftDetail: '项目中的每组回答都已投票。新的检查点探测完成后会有新的评审。',
  checkAgain: '再看一次',
  readOnly: '您可以查看，但只有评审员可以投票。',
  voteSaved: '已保存',
  runsTitle: '训练任务',
  runsEmpty: '还没有训练任务。训练作业会通过 API 创建。',
  runName: '任务',
  status: '状态',
  baseline: '基线',
  created: '创建时间',
  roundTitle: '轮次报告',
  back: '← 全部任务',
  step: '步数',
  checkpoint: '检查点',
  trainLoss: '训练损失',
  evalLoss: '验证损失',
  behaviour: '行为变化',
  verdict: '人工评审结论',
  notes: '缺少的信息',
  noCheckpoints: '还没有检查点。',
  winRate: (rate: string, low: string, high: string) => `胜率 ${rate}（95% 置信区间 ${low}–${high}）`,
  votes: (n: number) => `${n} 票`,
  decided: '已有结论',
  undecided: '尚无结论',
  changedOf: (changed: number, total: number) => `${total} 个中 ${changed} 个`,
  system: '用户',
  roles: { user: '问题', system: '系统', assistant: '助手' },
};

const STORAGE_KEY = 'lookout.lang';
export type Lang = 'en' | 'zh-CN';

export function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

let current: Lang = initialLang();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

export function t(): Dict {
  return current === 'zh-CN' ? zh : en;
}

document.documentElement.lang = current;
