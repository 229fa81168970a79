// The admin endpoints of integrations (server/integrations/admin.go) and
// the test call (POST /api/admin/integrations/test).

import { request } from '../api/client'
import type { JsonObject } from '../model/json'

export interface SecretView {
  name: string
  masked: string
  updated_at: string
  readable: boolean
}

export interface SecretStatus {
  name: string
  use: string
  set: boolean
  masked?: string
  readable: boolean
}

export interface IntegrationRun {
  id: string
  integration: string
  tick: string
  status: string
  attempts: number
  dossiers: number
  changed: number
  errors: number
  last_error?: string
  started_at: string
  updated_at: string
  finished_at?: string
}

export interface IntegrationStatus {
  key: string
  procedure: string
  version: number
  label?: string
  active: boolean
  status: 'active' | 'disabled' | 'no-url' | string
  url: string
  internal: boolean
  webhook_url?: string
  push?: { event: string; state?: string }[]
  poll?: { schedule: string; next?: string }
  secrets: SecretStatus[]
  jobs: Record<string, number>
  last_run?: IntegrationRun
}

export interface Delivery {
  id: string
  kind: string
  status: string
  attempts: number
  max_attempts: number
  last_error?: string | null
  run_at: string
  created_at: string
  finished_at?: string
  delivery_id?: string
  dossier_id?: string
  reference?: string
  event?: string
  tick?: string
}

export type TestCall = 'ping' | 'push' | 'poll'

export interface TestDossier {
  reference?: string
  externalId?: string
  state?: string
  data?: JsonObject
}

export interface TestResult {
  request: { method: string; url: string; headers: Record<string, string>; body: string }
  response: { status: number; headers: Record<string, string>; body: string; truncated: boolean; durationMs: number } | null
  outcome: 'ok' | 'retry' | 'permanent' | 'network' | 'blocked'
  error: string
  /** transition fires from the sample dossier's state; transitions are every candidate whose condition held. */
  update: { externalId?: string; transition?: string; transitions?: string[]; set?: Record<string, unknown>; message?: string } | null
  /** path is in the procedure definition, pointer in the request. */
  mappingError: { path: string; pointer?: string; detail: string } | null
}

const B = '/integrations'
const enc = encodeURIComponent

export const integrationsApi = {
  secrets: () => request<{ secrets: SecretView[] }>('GET', `${B}/secrets`).then((r) => r.data.secrets ?? []),
  setSecret: (name: string, value: string) => request<SecretView>('PUT', `${B}/secrets/${enc(name)}`, { body: { value } }).then((r) => r.data),
  show: (key: string, signal?: AbortSignal) =>
    request<{ integration: IntegrationStatus; runs: IntegrationRun[]; dead: Delivery[] }>('GET', `${B}/${enc(key)}`, { signal }).then((r) => r.data),
  runs: (key: string, signal?: AbortSignal) => request<{ runs: IntegrationRun[] }>('GET', `${B}/${enc(key)}/runs?limit=20`, { signal }).then((r) => r.data.runs ?? []),
  dead: (key: string, signal?: AbortSignal) =>
    request<{ deliveries: Delivery[] }>('GET', `${B}/${enc(key)}/deliveries?status=dead`, { signal }).then((r) => r.data.deliveries ?? []),
  retry: (id: string) => request<{ id: string; status: string }>('POST', `${B}/jobs/${enc(id)}/retry`).then((r) => r.data),
  pollNow: (key: string) => request<{ integration: string; tick: string }>('POST', `${B}/${enc(key)}/poll`).then((r) => r.data),
  test: (procedure: string, integration: JsonObject, call: TestCall, dossier?: TestDossier) =>
    request<TestResult>('POST', `${B}/test`, { body: { procedure, integration, call, ...(dossier ? { dossier } : {}) } }).then((r) => r.data),
}
