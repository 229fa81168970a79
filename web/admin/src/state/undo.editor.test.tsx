// The editor's "Annuler" / "Rétablir" buttons and shortcuts, against a
// draft served by a mocked fetch (in this file only).

import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LangProvider } from '../i18n/i18n'
import type { Procedure } from '../api/types'
import { ProcedureEditor, undoShortcut } from '../pages/ProcedureEditor'
import { forgetDraft, openDraft } from './draft'

const proc = (slug: string, title: string, revision: string): Procedure =>
  ({
    slug,
    title,
    audience: 'public',
    status: 'draft',
    current_version: 0,
    updated_at: '2026-01-01T00:00:00Z',
    has_unpublished_changes: true,
    revision,
    draft: { slug, title, audience: 'public', scenarios: [] },
    problems: [],
  }) as unknown as Procedure

let saves: { title: string; ifMatch: string | null }[] = []

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

beforeEach(() => {
  saves = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET'
      const m = /\/procedures\/([^/?]+)(\/draft)?$/.exec(url)
      if (m && method === 'GET' && !m[2]) return json(proc(m[1], 'Salle communale', 'r1'))
      if (m && method === 'PUT' && m[2]) {
        const doc = JSON.parse(String(init.body))
        saves.push({ title: doc.title, ifMatch: new Headers(init.headers).get('If-Match') })
        return json(proc(m[1], doc.title, 'r' + (saves.length + 1)))
      }
      return json({ title: 'not found' }, 404)
    }),
  )
})

const opened: string[] = []

afterEach(async () => {
  // No autosave after the test, once fetch is no longer mocked.
  for (const slug of opened.splice(0)) {
    ;(await openDraft(slug)).retire()
    forgetDraft(slug)
  }
  cleanup()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

async function open(slug: string) {
  forgetDraft(slug)
  opened.push(slug)
  render(
    <LangProvider>
      <ProcedureEditor slug={slug} />
    </LangProvider>,
  )
  const title = (await screen.findByLabelText(/^Titre/)) as HTMLInputElement
  // The editor showed after a fetch, outside act(): let React run the
  // effects it scheduled (subscriptions to the store) before the test acts.
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0))
  })
  return {
    title,
    undo: screen.getByRole('button', { name: 'Annuler la dernière modification' }),
    redo: screen.getByRole('button', { name: 'Rétablir la modification annulée' }),
  }
}

describe('undo in the procedure editor', () => {
  it('undoes and redoes with the buttons, announces it, and saves', async () => {
    const { title, undo, redo } = await open('undo-buttons')
    expect(undo.getAttribute('aria-disabled')).toBe('true')
    expect(redo.getAttribute('aria-disabled')).toBe('true')
    fireEvent.click(undo) // nothing to undo: no-op
    expect(title.value).toBe('Salle communale')

    fireEvent.change(title, { target: { value: 'Salle communale A' } })
    fireEvent.change(title, { target: { value: 'Salle communale AB' } })
    expect(undo.getAttribute('aria-disabled')).toBe('false')
    fireEvent.click(undo)
    expect(title.value).toBe('Salle communale') // the burst is one step
    expect(screen.getByText(/^Modification annulée/)).toBeTruthy()
    expect(undo.getAttribute('aria-disabled')).toBe('true')
    expect(redo.getAttribute('aria-disabled')).toBe('false')

    fireEvent.click(redo)
    expect(title.value).toBe('Salle communale AB')
    expect(screen.getByText(/^Modification rétablie/)).toBeTruthy()

    // Autosave sends what redo set, with the revision it has.
    await waitFor(() => expect(saves.at(-1)).toEqual({ title: 'Salle communale AB', ifMatch: 'r1' }), { timeout: 3000 })
  })

  it('undoes with Ctrl+Z in a text field and redoes with Ctrl+Y / Ctrl+Shift+Z', async () => {
    const { title } = await open('undo-keys')
    fireEvent.change(title, { target: { value: 'Salle des fêtes' } })
    title.focus()
    const z = fireEvent.keyDown(title, { key: 'z', ctrlKey: true })
    expect(z).toBe(false) // default prevented: not left to the browser
    expect(title.value).toBe('Salle communale')
    expect(document.activeElement).toBe(title)
    fireEvent.keyDown(title, { key: 'y', ctrlKey: true })
    expect(title.value).toBe('Salle des fêtes')
    fireEvent.keyDown(document.body, { key: 'z', metaKey: true })
    expect(title.value).toBe('Salle communale')
    fireEvent.keyDown(document.body, { key: 'Z', metaKey: true, shiftKey: true })
    expect(title.value).toBe('Salle des fêtes')
  })

  it('reads the shortcuts', () => {
    const k = (key: string, o: { ctrlKey?: boolean; metaKey?: boolean; shiftKey?: boolean; altKey?: boolean } = {}) =>
      undoShortcut({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...o })
    expect(k('z', { ctrlKey: true })).toBe('undo')
    expect(k('z', { metaKey: true })).toBe('undo')
    expect(k('Z', { ctrlKey: true, shiftKey: true })).toBe('redo')
    expect(k('Z', { metaKey: true, shiftKey: true })).toBe('redo')
    expect(k('y', { ctrlKey: true })).toBe('redo')
    expect(k('z')).toBe(null)
    expect(k('z', { ctrlKey: true, altKey: true })).toBe(null)
    expect(k('y', { metaKey: true })).toBe(null)
  })
})
