// Role bindings: which groups of agents hold each role of a procedure.
// They take effect at once and are not part of the draft.

import { request } from './client'

export interface RoleBinding {
  id: string
  label: string
  kind: 'processing' | 'consulted'
  /** The published version has the role. */
  published: boolean
  /** The draft still has the role. */
  inDraft: boolean
  /** IDs of the groups bound to the role. */
  groups: string[]
  /** The bindings' kind: pending ones give no access (the published version lacks the role). */
  binding: 'processing' | 'consulted' | 'pending'
}

export interface Group {
  id: string
  name: string
  label: string
}

export interface RoleBindings {
  roles: RoleBinding[]
  groups: Group[]
}

const base = (slug: string) => `/procedures/${encodeURIComponent(slug)}/roles`

export const rolesApi = {
  list: (slug: string, signal?: AbortSignal) => request<RoleBindings>('GET', base(slug), { signal }).then((r) => r.data),
  bind: (slug: string, role: string, group: string) =>
    request<RoleBindings>('PUT', `${base(slug)}/${encodeURIComponent(role)}/groups/${encodeURIComponent(group)}`).then((r) => r.data),
  unbind: (slug: string, role: string, group: string) =>
    request<RoleBindings>('DELETE', `${base(slug)}/${encodeURIComponent(role)}/groups/${encodeURIComponent(group)}`).then((r) => r.data),
}
