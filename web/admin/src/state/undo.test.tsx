// Undo and redo in the draft store: steps, coalescing, cap, reset on
// reload, autosave, and that undo re-renders only the readers of what it
// changed.

import { act, useLayoutEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('../api/client', async (orig) => {
  const mod = await orig<typeof import('../api/client')>()
  return { ...mod, api: { ...mod.api, saveDraft: vi.fn(), procedure: vi.fn() } }
})

import { api } from '../api/client'
import type { Procedure, ProcedureDoc } from '../api/types'
import { AUTOSAVE_MS, changedPath, COALESCE_MS, DraftStore, HISTORY_MAX, useDraft, useDraftHistory } from './draft'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const proc = (revision = '1', title = 'T'): Procedure =>
  ({
    slug: 's',
    title,
    audience: 'public',
    status: 'draft',
    current_version: 0,
    updated_at: '',
    has_unpublished_changes: false,
    revision,
    draft: { slug: 's', title, audience: 'public', description: '', scenarios: [{ id: 'a', kind: 'information', title: 'A' }] },
    problems: [],
  }) as unknown as Procedure

const setTitle = (store: DraftStore, title: string) => store.update((d) => ({ ...d, title }))
const setDescription = (store: DraftStore, description: string) => store.update((d) => ({ ...d, description }) as ProcedureDoc)

/** typeText types a text one character at a time, `gap` ms apart. */
function typeText(store: DraftStore, text: string, gap = 50) {
  for (const c of text) {
    setTitle(store, store.doc.title + c)
    vi.advanceTimersByTime(gap)
  }
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.mocked(api.saveDraft).mockReset()
  vi.mocked(api.saveDraft).mockImplementation(async () => proc('2'))
  vi.mocked(api.procedure).mockReset()
})

afterEach(() => {
  vi.clearAllTimers()
  vi.useRealTimers()
})

describe('undo history', () => {
  it('makes one step of a burst of typing, and a new one after a pause', () => {
    const store = new DraftStore(proc())
    expect(store.canUndo).toBe(false)
    typeText(store, ' un')
    vi.advanceTimersByTime(COALESCE_MS)
    typeText(store, ' deux')
    expect(store.doc.title).toBe('T un deux')
    expect(store.undo()).toBe(true)
    expect(store.doc.title).toBe('T un')
    expect(store.undo()).toBe(true)
    expect(store.doc.title).toBe('T')
    expect(store.canUndo).toBe(false)
    expect(store.undo()).toBe(false)
  })

  it('starts a new step when another part is edited, even quickly', () => {
    const store = new DraftStore(proc())
    setTitle(store, 'T1')
    setDescription(store, 'D')
    setTitle(store, 'T12')
    store.undo()
    expect(store.doc).toMatchObject({ title: 'T1', description: 'D' })
    store.undo()
    expect(store.doc).toMatchObject({ title: 'T1', description: '' })
    store.undo()
    expect(store.doc.title).toBe('T')
  })

  it('redoes in order, and a new edit clears what could be redone', () => {
    const store = new DraftStore(proc())
    const start = store.doc
    setTitle(store, 'A')
    vi.advanceTimersByTime(COALESCE_MS + 1)
    const a = store.doc
    setTitle(store, 'AB')
    const ab = store.doc
    store.undo()
    store.undo()
    expect(store.doc).toBe(start) // the same references: the readers see no change elsewhere
    expect(store.canRedo).toBe(true)
    store.redo()
    expect(store.doc).toBe(a)
    store.redo()
    expect(store.doc).toBe(ab)
    expect(store.redo()).toBe(false)

    store.undo()
    setTitle(store, 'AC') // right after undo: a step of its own, and no more redo
    expect(store.canRedo).toBe(false)
    setTitle(store, 'ACD') // quick typing goes on coalescing after that first step
    store.undo()
    expect(store.doc).toBe(a)
  })

  it('keeps at most HISTORY_MAX steps', () => {
    const store = new DraftStore(proc())
    for (let i = 0; i < HISTORY_MAX + 50; i++) {
      setTitle(store, 'T' + i)
      vi.advanceTimersByTime(COALESCE_MS + 1)
    }
    let n = 0
    while (store.undo()) n++
    expect(n).toBe(HISTORY_MAX)
    expect(store.doc.title).toBe('T49')
  })

  it('forgets the history when the draft is reloaded from the server', async () => {
    const store = new DraftStore(proc())
    setTitle(store, 'Mine')
    vi.mocked(api.procedure).mockResolvedValue(proc('9', 'Theirs'))
    await store.reload()
    expect(store.doc.title).toBe('Theirs')
    expect(store.canUndo).toBe(false)
    expect(store.canRedo).toBe(false)
    expect(store.history).toEqual({ canUndo: false, canRedo: false })
  })

  it('saves what undo and redo set, with If-Match', async () => {
    const store = new DraftStore(proc())
    setTitle(store, 'Changed')
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS)
    expect(api.saveDraft).toHaveBeenCalledTimes(1)
    expect(store.meta.saveState).toBe('saved')

    store.undo()
    expect(store.meta.saveState).toBe('dirty')
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS)
    expect(api.saveDraft).toHaveBeenCalledTimes(2)
    expect(vi.mocked(api.saveDraft).mock.calls[1]).toEqual(['s', expect.objectContaining({ title: 'T' }), '2'])
    expect(store.meta.saveState).toBe('saved')

    store.redo()
    await vi.advanceTimersByTimeAsync(AUTOSAVE_MS)
    expect(vi.mocked(api.saveDraft).mock.calls[2][1].title).toBe('Changed')
  })

  it('keeps the history snapshot while its flags stay', () => {
    const store = new DraftStore(proc())
    setTitle(store, 'a')
    const h = store.history
    expect(h).toEqual({ canUndo: true, canRedo: false })
    vi.advanceTimersByTime(COALESCE_MS + 1)
    setTitle(store, 'ab')
    expect(store.history).toBe(h)
  })

  it('names the part an edit changed', () => {
    const d = proc().draft
    expect(changedPath(d, { ...d, title: 'x' })).toBe('title')
    expect(changedPath(d, { ...d, scenarios: [{ ...d.scenarios[0], title: 'B' }] })).toBe('scenarios/0/title')
    expect(changedPath(d, { ...d, title: 'x', description: 'y' } as ProcedureDoc)).toBe('')
  })
})

describe('undo and rendering', () => {
  it('re-renders the readers of what undo changed, not the others', async () => {
    const store = new DraftStore(proc())
    const renders = { title: 0, scenario: 0, history: 0 }
    function Title() {
      const v = useDraft(store, (d) => d.title)
      useLayoutEffect(() => void renders.title++)
      return <span>{v}</span>
    }
    function Scenario() {
      const v = useDraft(store, (d) => d.scenarios[0])
      useLayoutEffect(() => void renders.scenario++)
      return <span>{v.title}</span>
    }
    function History() {
      const h = useDraftHistory(store)
      useLayoutEffect(() => void renders.history++)
      return <span>{String(h.canUndo)}</span>
    }
    const host = document.createElement('div')
    const root = createRoot(host)
    await act(async () => root.render(<><Title /><Scenario /><History /></>))
    const reset = () => Object.assign(renders, { title: 0, scenario: 0, history: 0 })

    reset()
    await act(async () => setTitle(store, 'T1'))
    expect(renders).toEqual({ title: 1, scenario: 0, history: 1 }) // canUndo turned true
    reset()
    await act(async () => setTitle(store, 'T12'))
    expect(renders).toEqual({ title: 1, scenario: 0, history: 0 })
    reset()
    await act(async () => void store.undo())
    expect(renders).toEqual({ title: 1, scenario: 0, history: 1 }) // canUndo false, canRedo true
    reset()
    await act(async () => void store.redo())
    expect(renders).toEqual({ title: 1, scenario: 0, history: 1 })
    act(() => root.unmount())
  })
})
