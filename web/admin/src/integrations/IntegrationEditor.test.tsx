// The integrations editor against a draft of the signalement-voirie preset,
// with the API mocked (fetch) in this file only.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
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
      if (method === 'PUT' && url.includes('/integrations/secrets/')) return json({ name: 'voirie-signature', masked: '••••_abc', readable: true, updated_at: '2026-01-02T00:00:00Z' })
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
  store.save = vi.fn(async () => true) // no autosave in these tests
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
    fireEvent.click(screen.getByRole('tab', { name: 'Envoi' }))
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
    for (const name of ['Webhook', 'Interrogation', 'JSON']) fireEvent.click(screen.getByRole('tab', { name }))
    const area = screen.getByLabelText('Intégration (JSON)') as HTMLTextAreaElement
    const edited = { ...integration(), future: { a: [1, 2] }, poll: { ...(integration().poll as JsonObject), jitter: '5s' } }
    fireEvent.change(area, { target: { value: JSON.stringify(edited, null, 2) } })
    expect(integration()).toEqual(edited)
    fireEvent.change(area, { target: { value: '{ oops' } })
    expect(screen.getByText(/JSON/, { selector: '.field-error' })).toBeTruthy()
    expect(integration()).toEqual(edited)

    fireEvent.click(screen.getByRole('tab', { name: 'Interrogation' }))
    fireEvent.change(screen.getByLabelText('Requêtes simultanées'), { target: { value: '8' } })
    fireEvent.click(screen.getByRole('tab', { name: 'Connexion' }))
    fireEvent.change(screen.getByLabelText('Nom (facultatif)'), { target: { value: 'Voirie' } })
    expect(integration()).toEqual({ ...edited, label: 'Voirie', poll: { ...edited.poll, concurrency: 8 } })
  })

  it('saves the draft, sends a test call with the draft integration and shows its result', async () => {
    const { store, integration } = open()
    fireEvent.click(screen.getByRole('tab', { name: 'Test' }))
    const push = screen.getByRole('button', { name: 'Tester l’envoi' })
    push.focus()
    fireEvent.click(push)
    // Busy, the button stays focusable (aria-disabled) and ignores clicks.
    expect(push.getAttribute('aria-disabled')).toBe('true')
    expect(document.activeElement).toBe(push)
    fireEvent.click(push)
    const live = document.querySelector('.int-test__live')!
    expect(live.getAttribute('role')).toBe('status')
    expect(live.textContent).toBe('Appel en cours…')
    await within(live as HTMLElement).findByText(/l’application a répondu avec succès/)
    // Only a one-line summary is announced; the details are outside the live region.
    expect(live.textContent).toBe('Résultat : l’application a répondu avec succès. Statut HTTP 201, en 42 ms.')
    expect(live.querySelector('ul, button, table, pre')).toBeNull()
    const items = screen.getAllByRole('listitem').map((li) => li.textContent)
    expect(screen.getByText('Le dossier :')).toBeTruthy()
    expect(items).toEqual(['recevrait l’identifiant externe « SIG-17 »', 'passerait par la transition « Marquer comme transmis »', 'afficherait le message « Merci »'])
    expect(push.hasAttribute('aria-disabled')).toBe(false)
    expect(store.save).toHaveBeenCalledTimes(1)
    expect(calls.filter((c) => c.url.endsWith('/integrations/test'))).toHaveLength(1)
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
    fireEvent.click(screen.getByRole('tab', { name: 'Test' }))
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

describe('integrations editor tabs', () => {
  it('follows the tabs pattern', () => {
    const { store } = open()
    const list = screen.getByRole('tablist', { name: 'Parties de l’intégration' })
    const tabs = within(list).getAllByRole('tab')
    expect(tabs.map((x) => x.textContent)).toEqual(['Connexion', 'Envoi', 'Webhook', 'Interrogation', 'Test', 'JSON'])
    const selected = () => tabs.filter((x) => x.getAttribute('aria-selected') === 'true').map((x) => x.textContent)
    expect(selected()).toEqual(['Connexion'])
    expect(tabs.map((x) => x.tabIndex)).toEqual([0, -1, -1, -1, -1, -1])
    const panel = screen.getByRole('tabpanel')
    expect(tabs.every((x) => x.getAttribute('aria-controls') === panel.id)).toBe(true)
    expect(panel.getAttribute('aria-labelledby')).toBe(tabs[0].id)
    expect(panel.tabIndex).toBe(0)
    expect(within(panel).getByRole('heading', { level: 2 }).textContent).toBe('Connexion')

    tabs[0].focus()
    fireEvent.keyDown(tabs[0], { key: 'ArrowRight' })
    expect(selected()).toEqual(['Envoi'])
    expect(document.activeElement).toBe(tabs[1])
    expect(tabs[1].tabIndex).toBe(0)
    expect(tabs[0].tabIndex).toBe(-1)
    expect(screen.getByRole('tabpanel', { name: 'Envoi' })).toBeTruthy()
    fireEvent.keyDown(tabs[1], { key: 'End' })
    expect(document.activeElement).toBe(tabs[5])
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('JSON')
    fireEvent.keyDown(tabs[5], { key: 'ArrowRight' })
    expect(document.activeElement).toBe(tabs[0])
    fireEvent.keyDown(tabs[0], { key: 'ArrowLeft' })
    expect(document.activeElement).toBe(tabs[5])
    fireEvent.keyDown(tabs[5], { key: 'Home' })
    expect(document.activeElement).toBe(tabs[0])
    expect(selected()).toEqual(['Connexion'])

    // A problem count is text, not an aria-label on a span.
    act(() => (store as unknown as { setMeta: (m: object) => void }).setMeta({ problems: [{ path: '$.scenarios[1].integration.url', pointer: '', detail: 'the URL is empty' }] }))
    expect(tabs[0].textContent).toBe('Connexion1 (1 problème(s))')
    expect(screen.getByRole('tab', { name: 'Connexion (1 problème(s))' })).toBe(tabs[0])
    expect(tabs[0].querySelector('[aria-label]')).toBeNull()
  })
})

describe('expression verdicts', () => {
  it('check only the changed field, and only the focused one is live', () => {
    const { store } = open()
    fireEvent.click(screen.getByRole('tab', { name: 'Webhook' }))
    const verdict = (label: string) => document.getElementById(screen.getByLabelText(label).getAttribute('aria-describedby')!.split(' ')[1])!
    const cond1 = screen.getByLabelText('Condition 1 (vide : toujours)')
    expect(verdict('Condition 1 (vide : toujours)').textContent).toBe('✓ Aucune erreur signalée par la vérification')
    expect(verdict('Condition 1 (vide : toujours)').hasAttribute('aria-live')).toBe(false)

    fireEvent.focus(cond1)
    fireEvent.change(cond1, { target: { value: "payload.status == 'prevu'" } })
    expect(verdict('Condition 1 (vide : toujours)').textContent).toBe('Vérification…')
    expect(verdict('Condition 1 (vide : toujours)').getAttribute('aria-live')).toBe('polite')
    // The others keep their verdict, and are not live.
    expect(verdict('Condition 2 (vide : toujours)').textContent).toBe('✓ Aucune erreur signalée par la vérification')
    expect(verdict('Condition 2 (vide : toujours)').hasAttribute('aria-live')).toBe(false)
    expect(verdict('Où le lire dans l’appel (expression)').textContent).toBe('✓ Aucune erreur signalée par la vérification')

    act(() => (store as unknown as { setMeta: (m: object) => void }).setMeta({ saveState: 'saved', savedAt: 1, problems: [{ path: '$.scenarios[1].integration.webhook.update.transitions[0].if', pointer: '', detail: 'bad' }] }))
    expect(verdict('Condition 1 (vide : toujours)').textContent).toBe('bad')
    expect(cond1.getAttribute('aria-invalid')).toBe('true')
    fireEvent.blur(cond1)
    expect(verdict('Condition 1 (vide : toujours)').hasAttribute('aria-live')).toBe(false)
  })
})

describe('focus after actions', () => {
  it('keeps focus on a moved row and moves it from a removed one', async () => {
    open()
    fireEvent.click(screen.getByRole('tab', { name: 'Webhook' }))
    const down1 = screen.getByRole('button', { name: 'Descendre la ligne 1' })
    down1.focus()
    fireEvent.click(down1)
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Descendre la ligne 2' })))
    // At the end, the pressed arrow is disabled: focus goes to the other one.
    fireEvent.click(screen.getByRole('button', { name: 'Descendre la ligne 2' }))
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Monter la ligne 3' })))

    fireEvent.click(screen.getByRole('button', { name: 'Retirer la transition 2' }))
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Condition 2 (vide : toujours)')))
    fireEvent.click(screen.getByRole('button', { name: 'Retirer la transition 2' }))
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Ajouter une transition' })))
  })

  it('moves focus from a removed header row', async () => {
    open()
    fireEvent.click(screen.getByRole('button', { name: 'Ajouter un en-tête' }))
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Nom de l’en-tête 1')))
    fireEvent.click(screen.getByRole('button', { name: 'Ajouter un en-tête' }))
    fireEvent.click(screen.getByRole('button', { name: 'Retirer l’en-tête 1' }))
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Nom de l’en-tête 1')))
    fireEvent.click(screen.getByRole('button', { name: 'Retirer l’en-tête 1' }))
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Ajouter un en-tête' })))
  })

  it('focuses the secret button and announces after saving a value', async () => {
    open()
    const live = (await screen.findAllByRole('status')).find((x) => x.classList.contains('live'))!
    expect(live.textContent).toBe('')
    fireEvent.click(await screen.findByRole('button', { name: 'Remplacer la valeur…' }))
    const input = screen.getByLabelText('Valeur du secret voirie-signature')
    await waitFor(() => expect(document.activeElement).toBe(input))
    fireEvent.change(input, { target: { value: 'whsec_abc' } })
    fireEvent.click(screen.getByRole('button', { name: 'Enregistrer la valeur' }))
    await waitFor(() => expect(live.textContent).toBe('La valeur du secret voirie-signature est enregistrée.'))
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remplacer la valeur…' }))
  })
})
