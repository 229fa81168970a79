// Focus and announcements after actions, outside the integrations editor
// proper: the activity tab, the site settings, renaming a procedure (the
// pages of the same review; API mocked with fetch in this file only).

import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LangProvider } from '../i18n/i18n'
import type { Procedure } from '../api/types'
import { DraftStore } from '../state/draft'
import { renameDraft, RenameSaveError } from '../state/rename'
import SiteSettings from '../pages/SiteSettings'
import { GeneralSettings } from '../pages/GeneralSettings'
import { Activity } from './Activity'
import type { Delivery, IntegrationStatus } from './api'

type Handler = (method: string, url: string) => Response | Promise<Response> | undefined
let handler: Handler

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

beforeEach(() => {
  handler = () => undefined
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => (await handler(init.method ?? 'GET', url)) ?? json({ title: 'not found' }, 404)),
  )
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

const proc = (slug: string): Procedure =>
  ({
    slug,
    title: 'Demande',
    audience: 'public',
    status: 'draft',
    current_version: 0,
    updated_at: '',
    has_unpublished_changes: true,
    revision: '1',
    draft: { slug, title: 'Demande', audience: 'public', referencePrefix: 'DE', scenarios: [] },
    problems: [],
  }) as unknown as Procedure

describe('renameDraft', () => {
  it('throws a RenameSaveError, not English text, when the pending changes cannot be saved', async () => {
    const store = new DraftStore(proc('demande'))
    store.save = async () => false
    const err = await renameDraft(store, 'autre').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RenameSaveError)
    expect((err as RenameSaveError).detail).toBe('')
  })
})

describe('general settings', () => {
  it('says in French that the changes could not be saved', async () => {
    const store = new DraftStore(proc('demande'))
    store.save = async () => false
    render(
      <LangProvider>
        <GeneralSettings store={store} />
      </LangProvider>,
    )
    fireEvent.change(screen.getByLabelText('Nouvelle adresse'), { target: { value: 'autre-demande' } })
    const button = screen.getByRole('button', { name: 'Renommer l’adresse' })
    expect(button.hasAttribute('disabled')).toBe(false)
    fireEvent.click(button)
    await screen.findByText('Les modifications en attente n’ont pas pu être enregistrées ; l’adresse n’a pas été changée.')
  })

  it('focuses the confirmation after renaming', async () => {
    location.hash = '#/p/demande/general?renamed=ancienne'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    render(
      <LangProvider>
        <GeneralSettings store={new DraftStore(proc('demande'))} />
      </LangProvider>,
    )
    const done = screen.getByText('L’adresse est maintenant /d/demande ; l’ancienne (/d/ancienne) redirige vers elle.')
    expect(document.activeElement).toBe(done)
    expect(done.tabIndex).toBe(-1)
    location.hash = ''
    window.dispatchEvent(new HashChangeEvent('hashchange'))
  })
})

describe('site settings', () => {
  it('keeps focus on the save button while saving and announces in a live region already there', async () => {
    let finish: () => void = () => {}
    let puts = 0
    const view = { settings: {}, defaults: { name: 'Commune', accentColor: '#0b4f8a' }, effective: {} }
    handler = (method, url) => {
      if (!url.endsWith('/site')) return undefined
      if (method === 'GET') return json(view)
      puts++
      return new Promise((resolve) => (finish = () => resolve(json(view))))
    }
    render(
      <LangProvider>
        <SiteSettings />
      </LangProvider>,
    )
    const save = await screen.findByRole('button', { name: 'Enregistrer' })
    const live = document.querySelector('form .live')!
    expect(live.getAttribute('role')).toBe('status')
    expect(live.textContent).toBe('')
    save.focus()
    fireEvent.click(save)
    expect(save.getAttribute('aria-disabled')).toBe('true')
    expect(document.activeElement).toBe(save)
    fireEvent.click(save)
    await waitFor(() => expect(puts).toBe(1))
    finish()
    await waitFor(() => expect(live.textContent).toBe('Enregistré : les pages l’affichent dès maintenant.'))
    expect(document.querySelector('form .live')).toBe(live)
    expect(save.hasAttribute('aria-disabled')).toBe(false)
    expect(puts).toBe(1)
  })
})

describe('activity', () => {
  it('moves focus to the list heading when a retried delivery goes away', async () => {
    const dead: Delivery[] = [{ id: 'j1', kind: 'integration.push', status: 'dead', attempts: 12, max_attempts: 12, run_at: '', created_at: '2026-01-01T00:00:00Z', reference: 'SV-2026-00001' }]
    let retried = false
    handler = (method, url) => {
      if (url.includes('/runs')) return json({ runs: [] })
      if (url.includes('/deliveries')) return json({ deliveries: retried ? [] : dead })
      if (method === 'POST' && url.endsWith('/jobs/j1/retry')) {
        retried = true
        return json({ id: 'j1', status: 'available' })
      }
      return undefined
    }
    const status: IntegrationStatus = { key: 'demande.sig', procedure: 'demande', version: 1, active: true, status: 'active', url: 'https://x.example', internal: false, secrets: [], jobs: {} }
    render(
      <LangProvider>
        <Activity status={status} onRefresh={() => {}} />
      </LangProvider>,
    )
    const live = document.querySelector('.live')!
    expect(live.textContent).toBe('')
    const retry = await screen.findByRole('button', { name: 'Réessayer : SV-2026-00001' })
    retry.focus()
    fireEvent.click(retry)
    await waitFor(() => expect(live.textContent).toBe('Relancé : il sera traité dans un instant.'))
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Envois en échec' }))
    await screen.findByText('Aucun envoi en échec.')
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Envois en échec' }))
  })
})
