import { afterEach, describe, expect, it, vi } from 'vitest'
import { canDelete, proceduresApi } from './procedures'
import { slugify } from '../lib/slug'

describe('procedure lifecycle API', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('offers deletion for never-published drafts only', () => {
    expect(canDelete({ status: 'draft', current_version: 0 })).toBe(true)
    expect(canDelete({ status: 'published', current_version: 1 })).toBe(false)
    expect(canDelete({ status: 'archived', current_version: 2 })).toBe(false)
  })

  it('derives the copy slug from its title', () => {
    expect(slugify('Réservation de salle (copie)')).toBe('reservation-de-salle-copie')
  })

  it('sends DELETE and POST …/duplicate', async () => {
    const calls: { url: string; init: RequestInit }[] = []
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, init })
      if (init.method === 'DELETE') return new Response(null, { status: 204 })
      return new Response(JSON.stringify({ slug: 'salle-copie' }), { status: 201, headers: { 'Content-Type': 'application/json' } })
    })
    await expect(proceduresApi.remove('essai')).resolves.toBeUndefined()
    const p = await proceduresApi.duplicate('reservation-salle', { slug: 'salle-copie', title: 'Salle (copie)', from: 1 })
    expect(p.slug).toBe('salle-copie')
    expect(calls[0].url).toBe('/api/admin/procedures/essai')
    expect(calls[0].init.method).toBe('DELETE')
    expect(calls[1].url).toBe('/api/admin/procedures/reservation-salle/duplicate')
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ slug: 'salle-copie', title: 'Salle (copie)', from: 1 })
  })

  it('turns a refusal into an ApiError', async () => {
    vi.stubGlobal('fetch', async () =>
      new Response(JSON.stringify({ status: 409, detail: 'archive it instead' }), { status: 409, headers: { 'Content-Type': 'application/problem+json' } }),
    )
    await expect(proceduresApi.remove('reservation-salle')).rejects.toMatchObject({ status: 409, detail: 'archive it instead' })
  })
})
