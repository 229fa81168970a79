// The row actions of the procedure list: "Dupliquer" opens a labelled form
// pre-filled with "<title> (copie)" and a slug derived from it, and opens
// the copy; "Supprimer" is offered for never-published drafts only.

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LangProvider } from '../i18n/i18n'
import type { ProcedureSummary } from '../api/types'
import { DuplicateForm, RowActions } from './ProcedureActions'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

const published: ProcedureSummary = {
  slug: 'reservation-salle', title: 'Réservation de salle', audience: 'public', status: 'published',
  current_version: 1, updated_at: '2026-12-01T10:00:00Z', has_unpublished_changes: false,
}
const draft: ProcedureSummary = { ...published, slug: 'essai', title: 'Essai', status: 'draft', current_version: 0 }

describe('procedure row actions', () => {
  it('offers deletion for never-published drafts only', () => {
    const noop = () => {}
    render(
      <LangProvider>
        <RowActions p={published} open={false} onDuplicate={noop} onDeleted={noop} onError={noop} />
        <RowActions p={draft} open={false} onDuplicate={noop} onDeleted={noop} onError={noop} />
      </LangProvider>,
    )
    expect(screen.getAllByRole('button', { name: /^Dupliquer/ })).toHaveLength(2)
    expect(screen.queryByRole('button', { name: 'Supprimer « Réservation de salle »' })).toBeNull()
    expect(screen.getByRole('button', { name: 'Supprimer « Essai »' })).toBeTruthy()
  })

  it('deletes after confirmation', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }))
    vi.stubGlobal('fetch', fetch)
    const confirm = vi.spyOn(window, 'confirm')
    const onDeleted = vi.fn()
    render(
      <LangProvider>
        <RowActions p={draft} open={false} onDuplicate={() => {}} onDeleted={onDeleted} onError={() => {}} />
      </LangProvider>,
    )
    confirm.mockReturnValueOnce(false)
    fireEvent.click(screen.getByRole('button', { name: 'Supprimer « Essai »' }))
    expect(fetch).not.toHaveBeenCalled()
    confirm.mockReturnValueOnce(true)
    fireEvent.click(screen.getByRole('button', { name: 'Supprimer « Essai »' }))
    await waitFor(() => expect(onDeleted).toHaveBeenCalled())
    expect(fetch).toHaveBeenCalledWith('/api/admin/procedures/essai', expect.objectContaining({ method: 'DELETE' }))
    confirm.mockRestore()
  })

  it('duplicates under a title and slug pre-filled from the source', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ slug: 'reservation-de-salle-copie' }), { status: 201, headers: { 'Content-Type': 'application/json' } }))
    vi.stubGlobal('fetch', fetch)
    render(
      <LangProvider>
        <DuplicateForm source={published} onCancel={() => {}} />
      </LangProvider>,
    )
    const form = screen.getByRole('form', { name: 'Dupliquer « Réservation de salle »' })
    const title = screen.getByLabelText('Titre') as HTMLInputElement
    expect(title.value).toBe('Réservation de salle (copie)')
    expect(document.activeElement).toBe(title)
    expect((screen.getByLabelText('Adresse (slug)') as HTMLInputElement).value).toBe('reservation-de-salle-copie')
    fireEvent.change(screen.getByLabelText('Contenu à copier'), { target: { value: '1' } })
    fireEvent.submit(form)
    await waitFor(() => expect(location.hash).toBe('#/p/reservation-de-salle-copie/general'))
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/admin/procedures/reservation-salle/duplicate')
    expect(JSON.parse(String(init.body))).toEqual({ slug: 'reservation-de-salle-copie', title: 'Réservation de salle (copie)', from: 1 })
  })
})
