// The integrations editor against a draft of the signalement-voirie preset,
// with the API mocked (fetch) in this file only.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LangProvider } from '../i18n/i18n'
import type { JsonObject } from '../model/json'
import type { Procedure, ProcedureDoc } from '../api/types'
import { DraftStore } from '../state/draft'
import IntegrationEditor from '../pages/IntegrationEditor'
import type { TestResult } from './api'

const doc = JSON.parse(readFileSync(join(__dirname, '../../../../builder/presets/signalement-voirie.json'), 'utf8')) as ProcedureDoc

const result: TestResult = {
  request: { method: 'POST', url: 'https://voirie.example.ch/api/signalements', headers: { 'Content-Type': 'application/json', 'webhook-id': 'msg_1' }, body: '{"reference":"SV-2026-00001"}' },
  response: { status: 201, headers: { 'Content-Type': 'application/json' }, body: '{"id":"SIG-17"}', truncated: true, durationMs: 42 },
  outcome: 'ok',
  error: '',
  update: { externalId: 'SIG-17', transition: 'transmettre', message: 'Merci' },
  mappingError: null,
}

let calls: { method: string; url: string; body: unknown }[] = []
let testAnswer: () => Response

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

beforeEach(() => {
  calls = []
  testAnswer = () => json(result)
  vi.stubGlobal('CSS', { escape: (v: string) => v.replace(/["\\]/g, '\\$&') }) // not in jsdom
  Element.prototype.scrollIntoView = () => {}
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET'
      calls.push({ method, url, body: init.body ? JSON.parse(String(init.body)) : undefined })
      if (url.endsWith('/integrations/secrets')) return json({ secrets: [{ name: 'voirie-signature', masked: '••••wxyz', readable: true, updated_at: '2026-01-01T00:00:00Z' }] })
      if (url.endsWith('/integrations/test')) return testAnswer()
      if (url.endsWith('/cron/next')) return json({ spec: '', timezone: 'Europe/Zurich', next: [] })
      return json({ title: 'not found' }, 404)
    }),
  )
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

function open() {
  const p: Procedure = {
    slug: doc.slug,
    title: doc.title,
    audience: doc.audience,
    status: 'draft',
    current_version: 0,
    updated_at: '2026-01-01T00:00:00Z',
    has_unpublished_changes: true,
    revision: 'r1',
    draft: doc,
    problems: [],
  }
  const store = new DraftStore(p)
  store.save = async () => true // no autosave in these tests
  render(
    <LangProvider>
      <IntegrationEditor store={store} index={1} />
    </LangProvider>,
  )
  return { store, integration: () => store.doc.scenarios[1].integration as JsonObject }
}

describe('integrations editor', () => {
  it('switches the authentication kind', async () => {
    const { integration } = open()
    const kind = screen.getByLabelText('Méthode') as HTMLSelectElement
    expect(kind.value).toBe('signature')
    await screen.findByRole('option', { name: 'voirie-signature (••••wxyz)' })

    fireEvent.change(kind, { target: { value: 'bearer' } })
    expect(integration().auth).toEqual({ kind: 'bearer', secret: 'voirie-signature' })
    expect((screen.getByLabelText('Secret : jeton') as HTMLSelectElement).value).toBe('voirie-signature')

    fireEvent.change(kind, { target: { value: 'basic' } })
    fireEvent.change(screen.getByLabelText('Nom d’utilisateur'), { target: { value: 'guichet' } })
    expect(integration().auth).toEqual({ kind: 'basic', secret: 'voirie-signature', username: 'guichet' })

    fireEvent.change(kind, { target: { value: 'none' } })
    expect(integration()).not.toHaveProperty('auth')
    expect(screen.queryByLabelText('Nom d’utilisateur')).toBeNull()
    expect(screen.queryByLabelText(/^Secret/)).toBeNull()
  })

  it('adds a push trigger on entering a state of the pipeline', () => {
    const { integration } = open()
    fireEvent.click(screen.getByRole('button', { name: 'Envoi' }))
    fireEvent.click(screen.getByRole('button', { name: 'Ajouter un événement' }))
    const state = screen.getByLabelText('État de l’événement 2') as HTMLSelectElement
    expect([...state.options].map((o) => o.text)).toEqual(['N’importe quel état', 'Reçu', 'Transmis à l\'application voirie', 'Intervention planifiée', 'Résolu', 'Classé sans suite'])
    fireEvent.change(state, { target: { value: 'transmis' } })
    expect((integration().push as JsonObject).on).toEqual([{ event: 'dossier.submitted' }, { event: 'dossier.entered', state: 'transmis' }])

    fireEvent.change(screen.getByLabelText('Événement 2'), { target: { value: 'dossier.submitted' } })
    expect((integration().push as JsonObject).on).toEqual([{ event: 'dossier.submitted' }, { event: 'dossier.submitted' }])
    fireEvent.click(screen.getByRole('button', { name: 'Retirer l’événement 2' }))
    expect((integration().push as JsonObject).on).toEqual([{ event: 'dossier.submitted' }])
  })

  it('keeps members the form does not know through the JSON tab and the form', () => {
    const { integration } = open()
    for (const name of ['Webhook', 'Interrogation', 'JSON']) fireEvent.click(screen.getByRole('button', { name }))
    const area = screen.getByLabelText('Intégration (JSON)') as HTMLTextAreaElement
    const edited = { ...integration(), future: { a: [1, 2] }, poll: { ...(integration().poll as JsonObject), jitter: '5s' } }
    fireEvent.change(area, { target: { value: JSON.stringify(edited, null, 2) } })
    expect(integration()).toEqual(edited)
    fireEvent.change(area, { target: { value: '{ oops' } })
    expect(screen.getByText(/JSON/, { selector: '.field-error' })).toBeTruthy()
    expect(integration()).toEqual(edited)

    fireEvent.click(screen.getByRole('button', { name: 'Interrogation' }))
    fireEvent.change(screen.getByLabelText('Requêtes simultanées'), { target: { value: '8' } })
    fireEvent.click(screen.getByRole('button', { name: 'Connexion' }))
    fireEvent.change(screen.getByLabelText('Nom (facultatif)'), { target: { value: 'Voirie' } })
    expect(integration()).toEqual({ ...edited, label: 'Voirie', poll: { ...edited.poll, concurrency: 8 } })
  })

  it('sends a test call with the draft integration and shows its result', async () => {
    const { integration } = open()
    fireEvent.click(screen.getByRole('button', { name: 'Test' }))
    fireEvent.click(screen.getByRole('button', { name: 'Tester l’envoi' }))
    const live = screen.getByRole('status', { name: '' })
    await within(live).findByText(/l’application a répondu avec succès/)
    expect(live.textContent).toContain('Le dossier recevrait l’identifiant externe « SIG-17 », passerait par la transition « Marquer comme transmis », message : « Merci ».')
    const sent = calls.find((c) => c.url.endsWith('/integrations/test'))!
    expect(sent.method).toBe('POST')
    expect(sent.body).toEqual({ procedure: 'signalement-voirie', integration: integration(), call: 'push' })
    expect(screen.getByText('Statut HTTP 201, en 42 ms')).toBeTruthy()
    expect(screen.getByLabelText('Corps de la réponse').textContent).toBe('{"id":"SIG-17"}')
    expect(screen.getByText(/Réponse tronquée/)).toBeTruthy()
    expect(screen.getByText('webhook-id')).toBeTruthy()
  })

  it('shows a refused test call next to the control it is about', async () => {
    testAnswer = () => json({ title: 'invalid', detail: 'the integration cannot be called', errors: [{ pointer: '/integration/url', detail: 'the URL is empty' }] }, 422)
    open()
    fireEvent.click(screen.getByRole('button', { name: 'Test' }))
    fireEvent.click(screen.getByRole('button', { name: 'Tester la connexion' }))
    await screen.findByText(/the URL is empty/)
    fireEvent.click(screen.getByRole('button', { name: 'Aller au champ' }))
    const url = await screen.findByLabelText('Adresse de l’application (URL de base)')
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'))
    expect(url.getAttribute('data-path')).toBe('$.scenarios[1].integration.url')
    expect(document.getElementById(url.getAttribute('aria-describedby')!.split(' ').find((x) => x.endsWith('-error'))!)!.textContent).toBe('the URL is empty')
    await waitFor(() => expect(document.activeElement).toBe(url))
  })
})
