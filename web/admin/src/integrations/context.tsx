// What the parts of the integrations editor share: the integration being
// edited and how to change it, the pipeline's states and transitions, the
// form's fields, the stored secrets, and the problems to show by each
// control (from the procedure check and from the last test call).

import { createContext, useContext } from 'react'
import type { DraftStore } from '../state/draft'
import { useDraftMeta } from '../state/draft'
import { problemPath } from '../pages/Problems'
import type { Json, JsonObject } from '../model/json'
import { pathOf, setIn, type Path } from './model'
import type { SecretView } from './api'

export interface Option {
  value: string
  label: string
}

export interface IntegrationCtx {
  store: DraftStore
  index: number
  /** The integration object in the draft. */
  json: JsonObject
  edit: (fn: (j: JsonObject) => JsonObject) => void
  states: Option[]
  transitions: Option[]
  fields: Option[]
  secrets: { list: SecretView[]; error: string; reload: () => void }
  /** Problems of the last test call, by JSONPath. */
  testErrors: { path: string; detail: string }[]
  /** Where the application sends its webhook calls. */
  webhookUrl: string
  /** Sections switched off in this session, to get them back when switched on again. */
  stash: Record<string, Json>
}

export const Ctx = createContext<IntegrationCtx | null>(null)

export function useIntegration(): IntegrationCtx & { set: (at: Path, v: Json | undefined) => void; path: (at: Path) => string } {
  const c = useContext(Ctx)
  if (!c) throw new Error('useIntegration outside the integrations editor')
  return { ...c, set: (at, v) => c.edit((j) => setIn(j, at, v)), path: (at) => pathOf(c.index, at) }
}

/** useProblems returns what is wrong with the member at path (a JSONPath), or undefined. */
export function useProblems(path: string): string | undefined {
  const c = useContext(Ctx)
  const meta = useDraftMeta(c!.store)
  const out = meta.problems.filter((p) => problemPath(p) === path).map((p) => p.detail)
  for (const e of c!.testErrors) if (e.path === path) out.push(e.detail)
  return out.length ? out.join(' ; ') : undefined
}
