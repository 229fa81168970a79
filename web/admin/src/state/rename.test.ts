import { describe, expect, it, vi } from 'vitest'

vi.mock('../api/client', async (orig) => {
  const mod = await orig<typeof import('../api/client')>()
  return { ...mod, api: { ...mod.api, rename: vi.fn(), saveDraft: vi.fn(), procedure: vi.fn() } }
})

import { api, ApiError } from '../api/client'
import type { Procedure } from '../api/types'
import { DraftStore, openDraft } from './draft'
import { renamedPath, renameDraft, slugIssue } from './rename'

const proc = (slug: string, revision = '1'): Procedure =>
  ({
    slug,
    title: 'T',
    audience: 'public',
    status: 'published',
    current_version: 1,
    updated_at: '',
    has_unpublished_changes: false,
    revision,
    draft: { slug, title: 'T', audience: 'public', scenarios: [] },
    problems: [],
  }) as unknown as Procedure

describe('slugIssue', () => {
  it('follows the server rules', () => {
    expect(slugIssue('location-salle')).toBe('')
    expect(slugIssue('')).toBe('empty')
    expect(slugIssue('Location')).toBe('chars')
    expect(slugIssue('réservation')).toBe('chars')
    expect(slugIssue('ab')).toBe('length')
    expect(slugIssue('a'.repeat(81))).toBe('length')
    expect(slugIssue('salle--communale')).toBe('dashes')
    expect(slugIssue('-salle')).toBe('dashes')
  })
})

describe('renamedPath', () => {
  it('keeps the section under the new slug', () => {
    expect(renamedPath(['p', 'old', 'general'], 'new')).toBe('/p/new/general')
    expect(renamedPath(['p', 'old', 'scenarios', '1', 'form'], 'new')).toBe('/p/new/scenarios/1/form')
    expect(renamedPath(['p', 'old'], 'new')).toBe('/p/new/general')
  })
})

describe('renameDraft', () => {
  it('saves first, renames, and stops autosaving to the old slug', async () => {
    vi.useFakeTimers()
    const store = new DraftStore(proc('old'))
    vi.mocked(api.saveDraft).mockResolvedValue(proc('old', '2'))
    vi.mocked(api.rename).mockResolvedValue(proc('new', '3'))
    store.update((d) => ({ ...d, title: 'Changed' }))
    const p = await renameDraft(store, 'new')
    expect(p.slug).toBe('new')
    expect(api.saveDraft).toHaveBeenCalledTimes(1)
    expect(api.rename).toHaveBeenCalledWith('old', 'new')
    // Typing into the retired store saves nothing.
    store.update((d) => ({ ...d, title: 'Again' }))
    await vi.runAllTimersAsync()
    expect(await store.save()).toBe(true)
    expect(api.saveDraft).toHaveBeenCalledTimes(1)
    expect(store.clean).toBe(true)
    // The new slug loads from the server.
    vi.mocked(api.procedure).mockResolvedValue(proc('new', '3'))
    const next = await openDraft('new')
    expect(next.slug).toBe('new')
    vi.useRealTimers()
  })

  it('keeps the store when the rename is refused', async () => {
    const store = new DraftStore(proc('old2'))
    vi.mocked(api.rename).mockRejectedValue(new ApiError(409, { detail: 'taken' }))
    await expect(renameDraft(store, 'taken')).rejects.toThrow('taken')
    vi.mocked(api.saveDraft).mockResolvedValue(proc('old2', '2'))
    store.update((d) => ({ ...d, title: 'Still saved' }))
    expect(await store.save()).toBe(true)
    expect(api.saveDraft).toHaveBeenLastCalledWith('old2', expect.objectContaining({ title: 'Still saved' }), '1')
  })
})
