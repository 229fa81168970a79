// The admin API client: same-origin fetch with the session cookie, the
// CSRF header on every mutating call, and RFC 9457 problems turned into
// ApiError.

import type { JsonObject } from '../model/json'
import type {
  CheckResult,
  CronNext,
  Diff,
  ExpressionCheck,
  FieldError,
  FormPreview,
  FormPreviewRequest,
  Pipeline,
  Preset,
  Procedure,
  ProcedureDoc,
  ProcedureSummary,
  Session,
  TemplatePreview,
  Version,
} from './types'

export const API = '/api/admin'

/** ApiError is a failed call: its HTTP status and problem details. */
export class ApiError extends Error {
  status: number
  title: string
  detail: string
  errors: FieldError[]
  line?: number
  column?: number

  constructor(status: number, problem: Partial<{ title: string; detail: string; errors: FieldError[]; line: number; column: number }>) {
    super(problem.detail || problem.title || `HTTP ${status}`)
    this.status = status
    this.title = problem.title ?? ''
    this.detail = problem.detail ?? ''
    this.errors = problem.errors ?? []
    this.line = problem.line
    this.column = problem.column
  }
}

let csrfToken = ''
let language = 'fr'

/** setLanguage is the language the API answers in (problems, descriptions). */
export function setLanguage(lang: string) {
  language = lang
}

/** setCSRF records the token of GET /session. */
export function setCSRF(token: string) {
  csrfToken = token
}

interface Options {
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  raw?: BodyInit
}

/** request calls the API; it resolves to the JSON answer (and the response for headers). */
export async function request<T>(method: string, path: string, opts: Options = {}): Promise<{ data: T; res: Response }> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language, ...opts.headers }
  let body: BodyInit | undefined = opts.raw
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken
  let res: Response
  try {
    res = await fetch(API + path, { method, headers, body, credentials: 'same-origin', signal: opts.signal })
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e
    throw new ApiError(0, { title: 'network', detail: (e as Error).message })
  }
  const type = res.headers.get('Content-Type') ?? ''
  const json = type.includes('json') ? await res.json().catch(() => ({})) : {}
  if (!res.ok) throw new ApiError(res.status, json)
  return { data: json as T, res }
}

const enc = encodeURIComponent

export const api = {
  session: () => request<Session>('GET', '/session').then((r) => r.data),
  presets: () => request<{ presets: Preset[] }>('GET', '/presets').then((r) => r.data.presets),
  procedures: () => request<{ procedures: ProcedureSummary[] }>('GET', '/procedures').then((r) => r.data.procedures),
  create: (slug: string, title: string, preset?: string) =>
    request<Procedure>('POST', '/procedures', { body: { slug, ...(title ? { title } : {}), ...(preset ? { preset } : {}) } }).then((r) => r.data),
  import: (doc: string, slug?: string) =>
    request<Procedure>('POST', '/procedures/import' + (slug ? `?slug=${enc(slug)}` : ''), {
      raw: doc,
      headers: { 'Content-Type': 'application/json' },
    }).then((r) => r.data),
  procedure: (slug: string) => request<Procedure>('GET', `/procedures/${enc(slug)}`).then((r) => r.data),
  saveDraft: (slug: string, doc: ProcedureDoc, revision: string, signal?: AbortSignal) =>
    request<Procedure>('PUT', `/procedures/${enc(slug)}/draft`, {
      body: doc,
      headers: revision ? { 'If-Match': revision } : {},
      signal,
    }).then((r) => r.data),
  check: (slug: string) => request<CheckResult>('GET', `/procedures/${enc(slug)}/check`).then((r) => r.data),
  publish: (slug: string) => request<Version>('POST', `/procedures/${enc(slug)}/publish`).then((r) => r.data),
  archive: (slug: string) => request<ProcedureSummary>('POST', `/procedures/${enc(slug)}/archive`).then((r) => r.data),
  unarchive: (slug: string) => request<ProcedureSummary>('POST', `/procedures/${enc(slug)}/unarchive`).then((r) => r.data),
  /** rename gives a procedure a new slug; its old addresses redirect to the new ones. */
  rename: (slug: string, to: string, signal?: AbortSignal) =>
    request<Procedure>('POST', `/procedures/${enc(slug)}/rename`, { body: { slug: to }, signal }).then((r) => r.data),
  versions: (slug: string) => request<{ versions: Version[] }>('GET', `/procedures/${enc(slug)}/versions`).then((r) => r.data.versions),
  diff: (slug: string, from: string, to: string) =>
    request<Diff>('GET', `/procedures/${enc(slug)}/diff?from=${enc(from)}&to=${enc(to)}`).then((r) => r.data),
  exportURL: (slug: string, version = 'draft') => `${API}/procedures/${enc(slug)}/export?version=${enc(version)}`,
  previewForm: (req: FormPreviewRequest, signal?: AbortSignal) => request<FormPreview>('POST', '/preview/form', { body: req, signal }).then((r) => r.data),
  checkExpression: (expression: string, kind: 'condition' | 'value', pipeline?: Pipeline, schema?: JsonObject, signal?: AbortSignal) =>
    request<ExpressionCheck>('POST', '/expressions/check', { body: { expression, kind, pipeline, schema }, signal }).then((r) => r.data),
  previewTemplate: (body: { subject: string; body: string; procedure?: string; schema?: JsonObject; sample?: JsonObject }, signal?: AbortSignal) =>
    request<TemplatePreview>('POST', '/templates/preview', { body, signal }).then((r) => r.data),
  cronNext: (spec: string, signal?: AbortSignal) => request<CronNext>('POST', '/cron/next', { body: { spec, count: 5 }, signal }).then((r) => r.data),
}

/** problemText is one line for a failed call, for a status message. */
export function problemText(e: unknown): string {
  if (e instanceof ApiError) {
    const first = e.errors[0]
    const where = e.line ? ` (${e.line}:${e.column})` : ''
    return (e.detail || e.title || `HTTP ${e.status}`) + where + (first && !e.detail.includes(first.detail) ? ` — ${first.detail}` : '')
  }
  return (e as Error)?.message ?? String(e)
}
