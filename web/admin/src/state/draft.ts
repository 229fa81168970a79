// The draft being edited: one store per procedure, outside React so that a
// keystroke in one field re-renders only the components that read what
// changed (useDraft with a selector), and so that a pending autosave
// survives navigating between pages of the app.

import { useRef, useSyncExternalStore } from 'react'
import { api, ApiError, problemText } from '../api/client'
import type { FieldError, Procedure, ProcedureDoc, Status } from '../api/types'

export type SaveState = 'saved' | 'dirty' | 'saving' | 'error' | 'conflict'

export interface DraftMeta {
  saveState: SaveState
  error: string
  problems: FieldError[]
  status: Status
  currentVersion: number
  unpublished: boolean
  /** Changes every time the server confirms a save (to refresh checks, previews). */
  savedAt: number
}

/** AUTOSAVE_MS is the pause after the last edit before the draft is saved. */
export const AUTOSAVE_MS = 800

/** COALESCE_MS: edits of the same part closer than this form one undo step. */
export const COALESCE_MS = 600

/** HISTORY_MAX is the number of undo steps kept. */
export const HISTORY_MAX = 200

/** DraftHistory tells whether undo and redo can do something. */
export interface DraftHistory {
  canUndo: boolean
  canRedo: boolean
}

export class DraftStore {
  readonly slug: string
  doc: ProcedureDoc
  meta: DraftMeta
  private revision: string
  private version = 0
  private sentVersion = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private inflight: Promise<boolean> | null = null
  private listeners = new Set<() => void>()
  // Undo history: the documents are immutable values, so the steps are
  // references to earlier documents (sharing all that did not change).
  private past: ProcedureDoc[] = []
  private future: ProcedureDoc[] = []
  private lastEdit = 0
  private lastKey = ''
  /** history changes identity only when canUndo or canRedo changes. */
  history: DraftHistory = { canUndo: false, canRedo: false }

  constructor(p: Procedure) {
    this.slug = p.slug
    this.doc = p.draft
    this.revision = p.revision
    this.meta = {
      saveState: 'saved',
      error: '',
      problems: p.problems ?? [],
      status: p.status,
      currentVersion: p.current_version,
      unpublished: p.has_unpublished_changes,
      savedAt: 0,
    }
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  private emit() {
    for (const l of this.listeners) l()
  }

  private setMeta(patch: Partial<DraftMeta>) {
    this.meta = { ...this.meta, ...patch }
    this.emit()
  }

  /**
   * update applies an immutable change to the document and schedules a save.
   * It also records the change in the undo history: edits of the same part
   * of the document (the same `key`, by default the path of what changed)
   * that follow each other within COALESCE_MS form one step, so that undo
   * takes back a word or a burst of typing, not one keystroke.
   */
  update = (fn: (d: ProcedureDoc) => ProcedureDoc, opts?: { key?: string }) => {
    const prev = this.doc
    const next = fn(prev)
    if (next === prev) return
    const now = Date.now()
    const key = opts?.key ?? changedPath(prev, next)
    const coalesce = this.past.length > 0 && this.future.length === 0 && now - this.lastEdit < COALESCE_MS && key === this.lastKey
    if (!coalesce) {
      this.past.push(prev)
      if (this.past.length > HISTORY_MAX) this.past.splice(0, this.past.length - HISTORY_MAX)
    }
    this.future = []
    this.lastEdit = now
    this.lastKey = key
    this.commit(next)
  }

  /** undo goes back one step of the history (saved like any edit). */
  undo = (): boolean => {
    const prev = this.past.pop()
    if (prev === undefined) return false
    this.future.push(this.doc)
    this.lastEdit = 0 // the next edit starts a new step
    this.commit(prev)
    return true
  }

  /** redo goes forward one step that undo took back. */
  redo = (): boolean => {
    const next = this.future.pop()
    if (next === undefined) return false
    this.past.push(this.doc)
    this.lastEdit = 0
    this.commit(next)
    return true
  }

  get canUndo() {
    return this.past.length > 0
  }

  get canRedo() {
    return this.future.length > 0
  }

  /** commit sets the document (an edit, an undo or a redo), tells the readers and schedules a save. */
  private commit(next: ProcedureDoc) {
    this.doc = next
    this.version++
    this.syncHistory()
    // The same meta object while the save state stays: a keystroke then
    // re-renders only what reads the edited part (useDraftMeta readers, such
    // as the editor's frame, re-render when "saved" turns to "dirty").
    const saveState = this.meta.saveState === 'conflict' ? 'conflict' : 'dirty'
    if (this.meta.saveState !== saveState) this.meta = { ...this.meta, saveState }
    this.emit()
    if (this.meta.saveState !== 'conflict' && !this.retired) this.schedule()
  }

  /** clearHistory forgets undo and redo (the draft was replaced by the server's). */
  private clearHistory() {
    this.past = []
    this.future = []
    this.lastEdit = 0
    this.lastKey = ''
    this.syncHistory()
  }

  /** syncHistory replaces `history` only when one of its flags changed (a stable snapshot for useDraftHistory). */
  private syncHistory() {
    const canUndo = this.past.length > 0
    const canRedo = this.future.length > 0
    if (this.history.canUndo !== canUndo || this.history.canRedo !== canRedo) this.history = { canUndo, canRedo }
  }

  private schedule() {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.save(), AUTOSAVE_MS)
  }

  /** clean tells whether everything typed is saved. */
  get clean() {
    return this.retired || this.meta.saveState === 'saved'
  }

  private retired = false

  /** retire stops the store for good (the procedure was renamed): no more saves to its old slug. */
  retire = () => {
    this.retired = true
    clearTimeout(this.timer)
  }

  /** save sends the draft now (waits for a save in flight first). */
  save = async (force = false): Promise<boolean> => {
    clearTimeout(this.timer)
    if (this.inflight) await this.inflight
    if (this.retired) return true
    if (this.version === this.sentVersion && this.meta.saveState === 'saved') return true
    if (this.meta.saveState === 'conflict' && !force) return false
    const sent = this.version
    this.setMeta({ saveState: 'saving' })
    this.inflight = api
      .saveDraft(this.slug, this.doc, force ? '' : this.revision)
      .then((p) => {
        this.revision = p.revision
        this.sentVersion = sent
        const dirty = this.version !== sent
        this.setMeta({
          saveState: dirty ? 'dirty' : 'saved',
          error: '',
          problems: p.problems ?? [],
          status: p.status,
          currentVersion: p.current_version,
          unpublished: p.has_unpublished_changes,
          savedAt: this.meta.savedAt + 1,
        })
        if (dirty) this.schedule()
        return true
      })
      .catch((e) => {
        const conflict = e instanceof ApiError && e.status === 412
        this.setMeta({ saveState: conflict ? 'conflict' : 'error', error: problemText(e) })
        return false
      })
      .finally(() => {
        this.inflight = null
      })
    return this.inflight
  }

  /** reload drops local changes and takes the server's draft (after a conflict). */
  reload = async () => {
    const p = await api.procedure(this.slug)
    clearTimeout(this.timer)
    this.doc = p.draft
    this.revision = p.revision
    this.version = this.sentVersion = 0
    this.clearHistory()
    this.setMeta({ saveState: 'saved', error: '', problems: p.problems, status: p.status, currentVersion: p.current_version, unpublished: p.has_unpublished_changes })
  }

  /** refreshMeta takes status and version after publish or archive. */
  refreshMeta = async () => {
    const p = await api.procedure(this.slug)
    this.revision = this.version === this.sentVersion ? p.revision : this.revision
    this.setMeta({ problems: p.problems, status: p.status, currentVersion: p.current_version, unpublished: p.has_unpublished_changes })
  }
}

const stores = new Map<string, DraftStore>()

/** openDraft loads a procedure's draft (or returns the store already open). */
export async function openDraft(slug: string): Promise<DraftStore> {
  const have = stores.get(slug)
  if (have) return have
  const p = await api.procedure(slug)
  const s = stores.get(slug) ?? new DraftStore(p)
  stores.set(slug, s)
  return s
}

/** openStores lists stores with unsaved changes (for beforeunload). */
export function unsavedStores(): DraftStore[] {
  return [...stores.values()].filter((s) => !s.clean)
}

/** forgetDraft drops a store (after the procedure was renamed or deleted). */
export function forgetDraft(slug: string) {
  stores.delete(slug)
}

/**
 * useDraft reads a part of the document; the component re-renders when that
 * part changes. The selector does not run again while the document and the
 * selector stay the same (when only the save state changed); equal, when
 * given, keeps the previous value when the new one is equal to it, for
 * selectors that build a new object each time.
 */
export function useDraft<T>(store: DraftStore, select: (d: ProcedureDoc) => T, equal?: (a: T, b: T) => boolean): T {
  const memo = useRef<{ doc: ProcedureDoc; select: (d: ProcedureDoc) => T; value: T } | null>(null)
  const get = () => {
    const doc = store.doc
    const m = memo.current
    if (m && m.doc === doc && m.select === select) return m.value
    const value = select(doc)
    memo.current = { doc, select, value: m && equal?.(m.value, value) ? m.value : value }
    return memo.current.value
  }
  return useSyncExternalStore(store.subscribe, get)
}

/**
 * useDraftHistory reads whether undo and redo can do something; the
 * component re-renders only when that changes (not on every edit), and
 * useDraft readers do not re-render on history changes.
 */
export function useDraftHistory(store: DraftStore): DraftHistory {
  return useSyncExternalStore(store.subscribe, () => store.history)
}

/** useDraftMeta reads the save state, problems and status. */
export function useDraftMeta(store: DraftStore): DraftMeta {
  return useSyncExternalStore(store.subscribe, () => store.meta)
}

// ---------------------------------------------------------------- immutable helpers

/**
 * changedPath names the part of the document an edit changed: the path down
 * which exactly one member differs (by reference), e.g. "title" or
 * "scenarios/0/form". It is the default coalescing key of an undo step, so
 * that typing in the title then, quickly, in another field makes two steps.
 */
export function changedPath(a: unknown, b: unknown, depth = 0): string {
  if (depth > 8 || a === b || !a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return ''
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  let only: string | undefined
  for (const k of Object.keys(y)) {
    if (x[k] === y[k]) continue
    if (only !== undefined) return ''
    only = k
  }
  for (const k of Object.keys(x)) {
    if (k in y || k === only) continue
    if (only !== undefined) return ''
    only = k
  }
  if (only === undefined) return ''
  const rest = changedPath(x[only], y[only], depth + 1)
  return rest ? only + '/' + rest : only
}

/** replaceAt returns a copy of list with element i replaced by fn(element). */
export function replaceAt<T>(list: T[], i: number, fn: (v: T) => T): T[] {
  const out = list.slice()
  out[i] = fn(list[i])
  return out
}

/** moveItem moves element from index i to index j. */
export function moveItem<T>(list: T[], i: number, j: number): T[] {
  if (j < 0 || j >= list.length || i === j) return list
  const out = list.slice()
  const [v] = out.splice(i, 1)
  out.splice(j, 0, v)
  return out
}

/** omitEmpty drops keys whose value is undefined, "" or an empty list (the document's omitempty). */
export function omitEmpty<T extends object>(o: T): T {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue
    out[k] = v
  }
  return out as T
}
