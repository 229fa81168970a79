// Procedure lifecycle besides create/archive: duplicate a procedure into a
// new draft, delete a draft that was never published.

import { request } from './client'
import type { Procedure } from './types'

const enc = encodeURIComponent

export interface DuplicateRequest {
  /** The copy's slug (the rules of creation). */
  slug: string
  /** The copy's title; default: the source's title followed by " (copie)". */
  title?: string
  /** What to copy: the draft (default) or a published version number. */
  from?: 'draft' | number
}

export const proceduresApi = {
  /**
   * duplicate creates a new draft from slug's draft or version; its
   * integrations are disabled and its problems say whether its reference
   * prefix is taken.
   */
  duplicate: (slug: string, req: DuplicateRequest) =>
    request<Procedure>('POST', `/procedures/${enc(slug)}/duplicate`, { body: req }).then((r) => r.data),
  /** remove deletes a procedure that was never published and has no dossier (409 otherwise). */
  remove: (slug: string) => request<unknown>('DELETE', `/procedures/${enc(slug)}`).then(() => undefined),
}

/** canDelete says whether the API accepts deleting p: never published. */
export function canDelete(p: { status: string; current_version: number }): boolean {
  return p.status === 'draft' && p.current_version === 0
}
