// Types of the admin API (server/adminapi/openapi.json). Procedure
// documents use the builder's camelCase names; everything around them is
// snake_case.

import type { JsonObject } from '../model/json'

export type ScenarioKind = 'information' | 'redirect' | 'online' | 'api'
export type Audience = 'public' | 'agents'
export type Status = 'draft' | 'published' | 'archived'

export interface Link {
  title: string
  url: string
}

export interface Form {
  schema: JsonObject
  uiSchema?: JsonObject
}

export interface State {
  id: string
  label: string
  publicLabel: string
  kind: 'initial' | 'intermediate' | 'final'
  onEnter?: string[]
}

export interface Transition {
  id: string
  label: string
  from: string[]
  to: string
  roles: string[]
  guard?: string
  form?: Form
  public?: boolean
}

export interface Delay {
  days: number
  working?: boolean
}

export interface Role {
  id: string
  label: string
  kind: 'processing' | 'consulted'
  opinionForm?: Form
  delay?: Delay
  seesOpinionsOf?: string[]
  mayCirculate?: string[]
  invitation?: string
  reminder?: string
}

export interface Message {
  id: string
  to: string
  subject: string
  body: string
}

export interface Action {
  transition?: string
  invite?: string
  due?: string
  activate?: string
  send?: string
  set?: string
  value?: string
  assign?: string
}

export interface Rule {
  id: string
  on: string
  state?: string
  role?: string
  if?: string
  do: Action[]
}

export interface Pipeline {
  states: State[]
  transitions?: Transition[]
  roles?: Role[]
  messages?: Message[]
  rules?: Rule[]
}

export interface Scenario {
  id: string
  kind: ScenarioKind
  title?: string
  body?: string
  attachments?: Link[]
  url?: string
  form?: Form
  nextSteps?: string
  pipeline?: Pipeline
  /** builder.Integration, kept as JSON so that members the editor does not know survive (see src/integrations/model.ts). */
  integration?: JsonObject
}

export interface Template {
  subject: string
  body: string
}

export interface ProcedureDoc {
  slug: string
  title: string
  summary?: string
  category?: string
  keywords?: string[]
  audience: Audience
  referencePrefix: string
  scenarios: Scenario[]
  messages: { ack: Template; applicantEmail?: string; applicantName?: string }
}

export interface User {
  id: string
  email: string
  name: string
  is_admin: boolean
}

export interface Session {
  user: User
  csrf_token: string
}

export interface Preset {
  slug: string
  title: string
  summary?: string
  scenarios: ScenarioKind[]
}

export interface ProcedureSummary {
  slug: string
  title: string
  audience: Audience | ''
  status: Status
  current_version: number
  updated_at: string
  has_unpublished_changes: boolean
}

/** FieldError is one thing wrong and where (pointer; path for definition problems). */
export interface FieldError {
  pointer: string
  path?: string
  detail: string
}

export interface Procedure extends ProcedureSummary {
  revision: string
  draft: ProcedureDoc
  problems: FieldError[]
}

export interface CheckResult {
  ok: boolean
  problems: FieldError[]
}

export interface Version {
  version: number
  published_at: string
  published_by?: string | null
  current: boolean
}

export interface Change {
  path: string
  pointer: string
  kind: 'added' | 'removed' | 'changed' | 'reordered'
  before?: string
  after?: string
  text: string
}

export interface Diff {
  from: string
  to: string
  changes: Change[]
}

export interface FormPreviewRequest {
  schema: JsonObject
  uiSchema?: JsonObject
  data?: JsonObject
  validate?: boolean
  page?: number
  lang?: string
}

export interface FormPreview {
  html: string
  errors: { pointer: string; detail: string; page: number }[]
  pages: { index: number; title: string }[]
  page: number
}

export interface ExpressionCheck {
  ok: boolean
  error?: string
}

export interface TemplateVariable {
  name: string
  description: string
  example?: string
}

export interface TemplatePreview {
  subject: string
  body: string
  variables: TemplateVariable[]
}

export interface CronNext {
  spec: string
  timezone: string
  next: string[]
}
