// Renaming a procedure (its slug, the /d/{slug} address): the server
// keeps the old slug as an alias that redirects, and the editor moves to
// the new slug — the draft store of the old slug is retired (no autosave
// to it any more) and forgotten, so the editor reloads under the new one.

import { api } from '../api/client'
import type { Procedure } from '../api/types'
import { forgetDraft, type DraftStore } from './draft'

/** SLUG_RE is the server's rule for slugs (builder.Check). */
const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** slugIssue returns what is wrong with a slug before asking the server ('' when it looks valid). */
export function slugIssue(slug: string): '' | 'empty' | 'chars' | 'length' | 'dashes' {
  if (slug === '') return 'empty'
  if (!/^[a-z0-9-]+$/.test(slug)) return 'chars'
  if (slug.length < 3 || slug.length > 80) return 'length'
  if (!SLUG_RE.test(slug)) return 'dashes'
  return ''
}

/** renamedPath is the app path of the route parts ["p", old, …rest] under the new slug. */
export function renamedPath(parts: string[], to: string): string {
  const rest = parts[0] === 'p' ? parts.slice(2) : []
  return ['', 'p', to, ...(rest.length ? rest : ['general'])].map(encodeURIComponent).join('/')
}

/**
 * RenameSaveError says that the pending changes could not be saved before
 * renaming (the page shows general.rename.saveFailed with the detail, the
 * server's message when there is one).
 */
export class RenameSaveError extends Error {
  readonly detail: string
  constructor(detail: string) {
    super(detail || 'the draft could not be saved')
    this.name = 'RenameSaveError'
    this.detail = detail
  }
}

/**
 * renameDraft saves what is pending, renames the procedure and retires the
 * old store. It throws a RenameSaveError when the save fails, the ApiError
 * of a refused rename (the store stays usable then).
 */
export async function renameDraft(store: DraftStore, to: string): Promise<Procedure> {
  if (!(await store.save())) throw new RenameSaveError(store.meta.error)
  const p = await api.rename(store.slug, to)
  store.retire()
  forgetDraft(store.slug)
  return p
}
