// Same-origin calls to the gateway. The session cookie travels automatically; writes carry the CSRF header.
import type { Behaviour, NamedCheck, Recommendation } from './round/truth';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

function csrfToken(): string | null {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'lookout-csrf') return decodeURIComponent(rest.join('='));
  }
  return null;
}

const RELOAD_FLAG = 'lookout.reloadedForLogin';

async function request<T>(method: string, path: string, body?: unknown): Promise<T | null> {
  return (await exchange<T>(method, path, body)).data;
}

async function exchange<T>(method: string, path: string, body?: unknown): Promise<{ data: T | null; headers: Headers }> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'X-Requested-With': 'JavaScript',
  };
  if (method !== 'GET') {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 || res.status === 499) {
    // The session ended: a full page load runs the login (code flow) again — once.
    if (!sessionStorage.getItem(RELOAD_FLAG)) {
      sessionStorage.setItem(RELOAD_FLAG, '1');
      window.location.reload();
    }
    throw new ApiError(res.status, 'Your session has ended. Reload the page to sign in again.');
  }
  sessionStorage.removeItem(RELOAD_FLAG);
  if (res.status === 204) return { data: null, headers: res.headers };
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const detail = json && typeof json.detail === 'string' ? json.detail : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, detail);
  }
  return { data: json as T, headers: res.headers };
}

/** One page of a keyset-paged list: the items and the cursor of the next page (null on the last one). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** Appends `after=<cursor>` to a list path (which may already have a query). */
export function pagePath(path: string, after: string | null): string {
  if (!after) return path;
  return `${path}${path.includes('?') ? '&' : '?'}after=${encodeURIComponent(after)}`;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
  /** A paged list (ingest's runs, alarms, checkpoints): the next page's cursor comes in `Next-Cursor`. */
  page: async <T>(path: string, after: string | null = null): Promise<Page<T>> => {
    const { data, headers } = await exchange<T[]>('GET', pagePath(path, after));
    return { items: data ?? [], next: headers.get('Next-Cursor') };
  },
};

export interface Me {
  user: string;
  roles: string[];
  projects: string[];
  allProjects: boolean;
}

export interface Target {
  endpoint: string;
  model: string;
}

export interface Run {
  id: string;
  project: string;
  name: string;
  baseline: Target | null;
  status: string;
  createdAt: string;
}

export interface Message {
  role: string;
  content: string;
}

export type Choice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

export interface PreviousVote {
  choice: Choice;
  tags: string[] | null;
  comment: string | null;
}

/** A rubric tag: the id stays when the label is renamed; either label may be missing. */
export interface RubricTag {
  id: string;
  label: { en?: string | null; zh?: string | null };
}

/** review-service POST /api/reviews/next: a blind task; nothing in it leads to the batch or its targets. */
export interface ReviewTask {
  taskId: string;
  messages: Message[];
  a: { text: string };
  b: { text: string };
  /** The project's rubric: tags with stable ids (votes send ids) and labels per language. */
  rubric: RubricTag[];
  progress: { reviewed: number; total: number };
  /** Only on the answer to DELETE /api/reviews/{task}/vote: the vote that was withdrawn. */
  previousVote?: PreviousVote | null;
}

export interface TagCounts {
  wins: number;
  ties: number;
  losses: number;
  bothBad: number;
}

export interface Agreement {
  items: number;
  kappa: number | null;
  reviewers: Array<{ reviewer: string; items: number; agreeWithMajority: number | null }>;
}

/** review-service GET /api/verdicts?run=: one per batch (checkpoint probe run), in step order. */
export interface Verdict {
  /** review-service: rubric tag id → its labels (tags are keyed by id); absent from older review-services. */
  tagLabels?: Record<string, { en?: string | null; zh?: string | null }> | null;
  checkpointId: string | null;
  probeRunId: string | null;
  runId: string | null;
  batchId: string | null;
  step: number | null;
  candidate: Target | null;
  baseline: Target | null;
  wins: number;
  ties: number;
  losses: number;
  bothBad: number;
  votes: number;
  winRate: number | null;
  low: number | null;
  high: number | null;
  decided: boolean;
  tags: Record<string, TagCounts> | null;
  agreement: Agreement | null;
}

/** review-service GET /api/verdicts/bradley-terry?run=: base model first, then by step. */
export interface Strength {
  target: Target;
  strength: number | null;
  low: number | null;
  high: number | null;
  votes: number;
}

export interface StockPhraseCount {
  phrase: string;
  candidateCount: number | null;
  baselineCount: number | null;
}

/** A behaviour change of the round report: against the base, or against the previous checkpoint. */
export interface BehaviourChange {
  against?: 'base' | 'previous';
  baseline?: Target | null;
  baselineStep?: number | null;
  probeRunId: string;
  status: string;
  total: number | null;
  changed: number | null;
  shareChanged: number | null;
  identicalToBaseline?: boolean | null;
  checks?: {
    evaluated: number | null; passRateChange: number | null; fixed: number | null; broken: number | null;
    brokenChecks?: NamedCheck[] | null;
  } | null;
  stockPhrases?: StockPhraseCount[] | null;
}

/** A human verdict of a round row: against the base or the previous checkpoint, with the votes it still needs. */
export interface RoundVerdict {
  wins: number; ties: number; losses: number; bothBad: number; votes: number;
  winRate: number | null; low: number | null; high: number | null; decided: boolean;
  against?: 'base' | 'previous';
  baselineStep?: number | null;
  votesNeeded?: number | null;
  stopping?: Record<string, unknown> | null;
  stopped?: Record<string, unknown> | null;
}

export interface RoundFlag {
  kind: string;
  message: string;
  evidence: Record<string, unknown>;
}

export interface RoundStrength {
  checkpointId: string | null;
  step: number | null;
  target: Target | null;
  strength: number | null;
  low: number | null;
  high: number | null;
  votes: number;
  linked: boolean;
}

export interface RoundRow {
  checkpointId: string;
  step: number;
  label: string | null;
  target: Target | null;
  loss: { train: number | null; trainDelta: number | null; eval: number | null; evalDelta: number | null };
  behaviour: BehaviourChange | null;
  behaviourVsPrevious?: BehaviourChange | null;
  verdict: RoundVerdict | null;
  verdicts?: RoundVerdict[];
  flags?: RoundFlag[];
  behaviours?: Behaviour[];
  failureReason?: string | null;
  warnings?: string[];
  reused?: { candidate: number | null; baseline: number | null } | null;
  missing: string[];
}

export interface RoundReport {
  run: { id: string; name: string; project: string; baseline: Target | null };
  checkpoints: RoundRow[];
  missing: string[];
  recommendation?: Recommendation | null;
  strengths?: RoundStrength[];
  notices?: Array<{ code: string; message: string }>;
}

/** A metric value: a number, or "NaN" / "Infinity" / "-Infinity" for non-finite values. */
export type MetricValue = number | string;

export interface MetricSeries {
  name: string;
  count: number;
  min: MetricValue | null;
  max: MetricValue | null;
  last: MetricValue | null;
  points: Array<{ step: number; value: MetricValue }>;
}

export interface Alarm {
  id?: string;
  kind: string;
  severity: string;
  fromStep: number;
  toStep: number | null;
  message: string;
}

export interface ProbeRun {
  id: string;
  project: string;
  runId: string | null;
  checkpointId: string | null;
  step: number | null;
  status: string;
  total?: number;
  counts?: { pending: number; done: number; error: number };
}

export interface ComparisonSide {
  text: string | null;
  error: string | null;
}

export interface CheckResult {
  index: number;
  type: string;
  candidate: boolean | null;
  baseline: boolean | null;
  status: 'fixed' | 'broken' | 'same' | 'not-evaluated' | string;
}

export interface ComparisonItem {
  probeId: string;
  checks?: CheckResult[] | null;
  tags: string[] | null;
  messages: Message[];
  candidate: ComparisonSide;
  baseline: ComparisonSide;
  identical: boolean;
  similarity: number | null;
  changed: boolean;
  lengthRatio: number | null;
}

export interface StockPhrase {
  phrase: string;
  candidateCount: number;
  baselineCount: number;
  probes: string[] | number | null;
}

export interface Comparison {
  probeRunId?: string;
  suiteVersionId?: string;
  project: string;
  candidate: Target | null;
  baseline: Target | null;
  total: number;
  changed: number;
  errors?: number;
  shareChanged: number;
  identicalToBaseline: boolean;
  stockPhrases?: StockPhrase[] | null;
  items: ComparisonItem[];
}

export function targetName(target: Target | null | undefined): string {
  return target ? `${target.endpoint}/${target.model}` : '—';
}
