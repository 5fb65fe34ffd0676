// Same-origin calls to the gateway. The session cookie travels automatically; writes carry the CSRF header.
import type { components } from './generated/lookout-api';

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

// The API's shapes come from the gateway's merged OpenAPI document (openapi/lookout-api.json, a snapshot that the
// system test OpenApiSnapshotIT keeps equal to GET /api/openapi), turned into src/generated/lookout-api.ts by
// `npm run gen:api`. Never edit the generated file; never write a response type by hand when the document has it.
type Schemas = components['schemas'];

/**
 * A response as it arrives: the services send `null` for an absent value, while the document only says the field is
 * optional, so every optional field may also be null (nested objects and arrays too).
 */
export type Wire<T> = T extends Array<infer U> ? Array<Wire<U>>
  : T extends object ? { [K in keyof T]: undefined extends T[K] ? Wire<Exclude<T[K], undefined>> | null | undefined : Wire<T[K]> }
    : T;

export type Me = Wire<Schemas['Me']>;
export type Target = Wire<Schemas['Target']>;
export type Run = Wire<Schemas['RunResponse']>;
export type Message = Schemas['ChatMessage'];
export type Choice = Schemas['Choice'];
export type PreviousVote = Wire<Schemas['PreviousVote']>;
/** A rubric tag: the id stays when the label is renamed; either label may be missing. */
export type RubricTag = Wire<Schemas['RubricTag']>;

/**
 * review-service POST /api/reviews/next (and DELETE /api/reviews/{task}/vote, with `previousVote`): a blind task; nothing
 * in it leads to the batch or its targets. The document types the messages as bare objects; they are chat messages.
 */
export type ReviewTask = Wire<Omit<Schemas['TaskResponse'], 'messages'>> & { messages?: Message[] | null };

/** review-service GET /api/verdicts/bradley-terry?run=: base model first, then by step. */
export type Strength = Wire<Schemas['StrengthResponse']>;

/** A behaviour change of the round report: against the base, or against the previous checkpoint. */
export type BehaviourChange = Wire<Schemas['Behaviour']>;
export type StockPhraseCount = Wire<Schemas['StockPhrase']>;
/** A human verdict of a round row: against the base or the previous checkpoint, with the votes it still needs. */
export type RoundVerdict = Wire<Schemas['Verdict']>;
export type RoundFlag = Wire<Schemas['Flag']>;
export type RoundStrength = Wire<Schemas['Strength']>;
export type RoundRow = Wire<Schemas['CheckpointRow']>;
export type RoundReport = Wire<Schemas['RoundReport']>;
export type Recommendation = Wire<Schemas['Recommendation']>;
export type BehaviourTag = Wire<Schemas['BehaviourTag']>;
export type BehaviourEvidence = Wire<Schemas['BehaviourEvidence']>;
export type NamedCheck = Wire<Schemas['NamedCheck']>;
export type Alarm = Wire<Schemas['Alarm']>;

export type ProbeRun = Wire<Schemas['ProbeRunResponse']>;
export type ComparisonSide = Wire<Schemas['SideDto']>;
export type CheckResult = Wire<Schemas['CheckDiff']>;
export type ComparisonItem = Wire<Schemas['ComparisonItem']>;
export type StockPhrase = Wire<Schemas['StockPhraseDto']>;
export type Comparison = Wire<Schemas['ComparisonResponse']>;

/**
 * A metric value: a number, or "NaN" / "Infinity" / "-Infinity" for non-finite values. ingest sends non-finite values
 * as those strings, which its document (a Java double) does not say, so the series' values are widened here.
 */
export type MetricValue = number | string;

export type MetricSeries = Wire<Omit<Schemas['Series'], 'points' | 'min' | 'max' | 'last'>> & {
  min?: MetricValue | null;
  max?: MetricValue | null;
  last?: MetricValue | null;
  points: Array<{ step: number; value: MetricValue }>;
};

// GET /api/verdicts answers a plain JAX-RS Response, so the merged document has no schema for it: these three stay
// hand-written until review-service declares its response type.

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

export function targetName(target: Target | null | undefined): string {
  return target ? `${target.endpoint}/${target.model}` : '—';
}
