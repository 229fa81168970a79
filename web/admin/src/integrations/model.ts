// The integration of an api scenario (builder.Integration) as the editor
// sees it. The draft keeps the JSON object itself: view() reads it into a
// typed model with defaults, and every edit is a path-wise change of that
// object (setIn and the helpers below), so members the editor does not know
// are kept as they are and the JSON tab round-trips without loss. Optional
// members left empty are removed, like the Go side's omitempty.

import { pointerToPath } from '../app/paths'
import { isObject, withKey, type Json, type JsonObject } from '../model/json'

export type Path = (string | number)[]

export const AUTH_KINDS = ['none', 'bearer', 'basic', 'signature'] as const
export type AuthKind = (typeof AUTH_KINDS)[number]
export const TRIGGER_EVENTS = ['dossier.submitted', 'dossier.entered'] as const
export const METHODS = ['POST', 'PUT', 'PATCH'] as const
export const MATCH_BY = ['reference', 'externalId'] as const
export const PLACEHOLDERS = ['{reference}', '{external_id}', '{dossier_id}']
export type Section = 'push' | 'webhook' | 'poll'
export const SECTIONS: Section[] = ['push', 'webhook', 'poll']

/** The defaults of builder/integration.go, shown as placeholders. */
export const DEFAULTS = { timeout: '10s', attempts: 12, initial: '10s', max: '1h', method: 'POST', concurrency: 4, ratePerSecond: 10 }

/** Mapping contexts (builder.MappingContext) and the names each may use. */
export type MappingContext = 'push.body' | 'push.response' | 'webhook.dossier' | 'webhook.update' | 'poll.update'
export const CONTEXT_NAMES: Record<MappingContext, string[]> = {
  'push.body': ['dossier', 'data', 'reference', 'external_id', 'event', 'now'],
  'push.response': ['dossier', 'data', 'reference', 'external_id', 'event', 'response', 'status', 'now'],
  'webhook.dossier': ['payload', 'now'],
  'webhook.update': ['dossier', 'data', 'reference', 'external_id', 'payload', 'now'],
  'poll.update': ['dossier', 'data', 'reference', 'external_id', 'response', 'status', 'now'],
}

/** The update mappings and their place in the integration. */
export const MAPPINGS: { path: Path; ctx: MappingContext }[] = [
  { path: ['push', 'response'], ctx: 'push.response' },
  { path: ['webhook', 'update'], ctx: 'webhook.update' },
  { path: ['poll', 'update'], ctx: 'poll.update' },
]

// ---------------------------------------------------------------- typed view

export interface UpdateView {
  externalId: string
  transitions: { if: string; transition: string }[]
  set: { field: string; value: string }[]
  message: string
}

export interface IntegrationView {
  id: string
  label: string
  enabled: boolean
  url: string
  internal: boolean
  auth: { kind: string; secret: string; username: string }
  headers: [string, string][]
  timeout: string
  retry: { attempts?: number; initial: string; max: string }
  push: { on: { event: string; state: string }[]; method: string; path: string; body: string; response: UpdateView } | null
  webhook: { secret: string; by: string; value: string; update: UpdateView } | null
  poll: { schedule: string; path: string; states: string[]; concurrency?: number; ratePerSecond?: number; update: UpdateView } | null
}

const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '')
const num = (v: Json | undefined): number | undefined => (typeof v === 'number' ? v : undefined)
const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {})
const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : [])

export function viewUpdate(v: Json | undefined): UpdateView {
  const m = obj(v)
  return {
    externalId: str(m.externalId),
    transitions: list(m.transitions).map((t) => ({ if: str(obj(t).if), transition: str(obj(t).transition) })),
    set: list(m.set).map((f) => ({ field: str(obj(f).field), value: str(obj(f).value) })),
    message: str(m.message),
  }
}

/** view reads an integration object into the editor's model, with defaults for what is missing. */
export function view(json: JsonObject | undefined): IntegrationView {
  const j = obj(json)
  const auth = obj(j.auth)
  const retry = obj(j.retry)
  const push = isObject(j.push) ? j.push : null
  const webhook = isObject(j.webhook) ? j.webhook : null
  const poll = isObject(j.poll) ? j.poll : null
  return {
    id: str(j.id),
    label: str(j.label),
    enabled: j.enabled === true,
    url: str(j.url),
    internal: j.internal === true,
    auth: { kind: isObject(j.auth) ? str(auth.kind) : 'none', secret: str(auth.secret), username: str(auth.username) },
    headers: Object.entries(obj(j.headers)).map(([k, v]) => [k, str(v)]),
    timeout: str(j.timeout),
    retry: { attempts: num(retry.attempts), initial: str(retry.initial), max: str(retry.max) },
    push: push && {
      on: list(push.on).map((t) => ({ event: str(obj(t).event), state: str(obj(t).state) })),
      method: str(push.method),
      path: str(push.path),
      body: str(push.body),
      response: viewUpdate(push.response),
    },
    webhook: webhook && {
      secret: str(webhook.secret),
      by: str(obj(webhook.dossier).by),
      value: str(obj(webhook.dossier).value),
      update: viewUpdate(webhook.update),
    },
    poll: poll && {
      schedule: str(poll.schedule),
      path: str(poll.path),
      states: list(poll.states).filter((s): s is string => typeof s === 'string'),
      concurrency: num(poll.concurrency),
      ratePerSecond: num(poll.ratePerSecond),
      update: viewUpdate(poll.update),
    },
  }
}

// ---------------------------------------------------------------- path-wise edits

/** OPTIONAL lists the members (omitempty in Go) removed when left empty; * is any index. */
const OPTIONAL = new Set([
  'label',
  'internal',
  'auth',
  'auth.secret',
  'auth.username',
  'headers',
  'timeout',
  'retry',
  'retry.attempts',
  'retry.initial',
  'retry.max',
  'push.method',
  'push.path',
  'push.response',
  'push.on.*.state',
  'poll.states',
  'poll.concurrency',
  'poll.ratePerSecond',
  ...MAPPINGS.flatMap((m) => ['externalId', 'transitions', 'transitions.*.if', 'set', 'message'].map((k) => m.path.join('.') + '.' + k)),
])

function pattern(path: Path): string {
  return path.map((k) => (typeof k === 'number' ? '*' : k)).join('.')
}

/** isOptional tells whether the member at path is dropped when empty. */
export function isOptional(path: Path): boolean {
  return OPTIONAL.has(pattern(path))
}

function isEmpty(v: Json): boolean {
  return v === '' || v === false || v === 0 || v === null || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0)
}

/** getIn reads the value at path, or undefined. */
export function getIn(v: Json | undefined, path: Path): Json | undefined {
  let cur = v
  for (const k of path) {
    if (typeof k === 'number') cur = Array.isArray(cur) ? cur[k] : undefined
    else cur = isObject(cur) ? cur[k] : undefined
    if (cur === undefined) return undefined
  }
  return cur
}

function put(node: Json | undefined, path: Path, value: Json | undefined, at: Path): Json | undefined {
  if (path.length === 0) return value
  const [k, ...rest] = path
  const here = [...at, k]
  if (typeof k === 'number') {
    const arr = Array.isArray(node) ? node.slice() : []
    let v = put(arr[k], rest, value, here)
    if (v !== undefined && rest.length > 0 && isEmpty(v) && isOptional(here)) v = undefined
    if (v === undefined) arr.splice(k, 1)
    else arr[k] = v
    return arr
  }
  const o = isObject(node) ? node : {}
  let v = put(o[k], rest, value, here)
  if (v !== undefined && isEmpty(v) && isOptional(here)) v = undefined
  return withKey(o, k, v)
}

/**
 * setIn returns a copy of the integration with the value at path replaced
 * (removed when undefined; an index removes the element). Objects and lists
 * on the way are created; optional members left empty are removed, up the
 * path. Nothing else changes, key order included.
 */
export function setIn(root: JsonObject, path: Path, value: Json | undefined): JsonObject {
  return put(root, path, value, []) as JsonObject
}

/** addItem appends item to the list at path. */
export function addItem(root: JsonObject, path: Path, item: Json): JsonObject {
  return setIn(root, path, [...list(getIn(root, path)), item])
}

/** removeItem removes element i of the list at path. */
export function removeItem(root: JsonObject, path: Path, i: number): JsonObject {
  return setIn(root, [...path, i], undefined)
}

/** moveItem moves element i of the list at path to j. */
export function moveItem(root: JsonObject, path: Path, i: number, j: number): JsonObject {
  const l = list(getIn(root, path)).slice()
  if (j < 0 || j >= l.length || i === j) return root
  const [v] = l.splice(i, 1)
  l.splice(j, 0, v)
  return setIn(root, path, l)
}

/** newIntegration is the one added from the editor: disabled, pushing each submitted dossier. */
export function newIntegration(): JsonObject {
  return { id: 'application', enabled: false, url: '', push: sectionDefault('push') }
}

/** sectionDefault is a section as it is first switched on. */
export function sectionDefault(s: Section): JsonObject {
  switch (s) {
    case 'push':
      return { on: [{ event: 'dossier.submitted' }], body: '{"reference": reference, "data": data}' }
    case 'webhook':
      return { secret: '', dossier: { by: 'reference', value: 'payload.reference' }, update: {} }
    case 'poll':
      return { schedule: '@every 15m', path: '/{external_id}', update: {} }
  }
}

/** setSection switches a section on (with restore, what it was before it was switched off, or its default) or off. */
export function setSection(root: JsonObject, s: Section, on: boolean, restore?: Json): JsonObject {
  if (!on) return setIn(root, [s], undefined)
  if (isObject(root[s])) return root
  return setIn(root, [s], isObject(restore) ? restore : sectionDefault(s))
}

/** setAuthKind changes the authentication; none removes it, and only basic keeps a username. */
export function setAuthKind(root: JsonObject, kind: string): JsonObject {
  if (kind === 'none') return setIn(root, ['auth'], undefined)
  let a = withKey(obj(root.auth), 'kind', kind)
  if (kind !== 'basic') a = withKey(a, 'username', undefined)
  return setIn(root, ['auth'], a)
}

/** setHeaders writes the headers from rows; rows without a name are left out. */
export function setHeaders(root: JsonObject, rows: [string, string][]): JsonObject {
  const h: JsonObject = {}
  for (const [k, v] of rows) if (k.trim() !== '') h[k.trim()] = v
  return setIn(root, ['headers'], h)
}

/** setTriggerEvent changes a push trigger's event; only dossier.entered keeps a state. */
export function setTriggerEvent(root: JsonObject, i: number, event: string): JsonObject {
  let t = withKey(obj(getIn(root, ['push', 'on', i])), 'event', event)
  if (event !== 'dossier.entered') t = withKey(t, 'state', undefined)
  return setIn(root, ['push', 'on', i], t)
}

/** parseIntegration reads the JSON tab: an object, undefined for an empty text, or an error. */
export function parseIntegration(text: string): { value?: JsonObject; error?: string } {
  if (text.trim() === '') return {}
  try {
    const v: unknown = JSON.parse(text)
    return isObject(v) ? { value: v } : { error: 'object' }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

// ---------------------------------------------------------------- places

/** pathOf is the JSONPath of a member of the integration of scenario index, as check problems name it. */
export function pathOf(index: number, path: Path = []): string {
  let out = `$.scenarios[${index}].integration`
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? '.' + k : `[${JSON.stringify(k)}]`
  return out
}

/** pointerPath maps a test-call problem's pointer (/integration/auth/secret) to the JSONPath under base. */
export function pointerPath(pointer: string, base: string): string | null {
  const p = pointerToPath(pointer)
  if (p === '$.integration') return base
  if (p.startsWith('$.integration.') || p.startsWith('$.integration[')) return base + p.slice('$.integration'.length)
  return null
}

export type Tab = 'connection' | 'push' | 'webhook' | 'poll' | 'test' | 'activity' | 'json'

/** tabFor is the tab that edits the member at path (a JSONPath under base). */
export function tabFor(path: string, base: string): Tab | null {
  if (path !== base && !path.startsWith(base + '.') && !path.startsWith(base + '[')) return null
  const m = /^\.(push|webhook|poll)\b/.exec(path.slice(base.length))
  return m ? (m[1] as Tab) : 'connection'
}

/** webhookURL is where the application sends its updates, /hooks/{slug}.{id}. */
export function webhookURL(origin: string, slug: string, id: string): string {
  return origin.replace(/\/$/, '') + '/hooks/' + slug + '.' + id
}
