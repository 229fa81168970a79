import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JsonObject } from '../model/json'
import { messages } from '../i18n/messages'
import {
  addItem,
  getIn,
  moveItem,
  newIntegration,
  parseIntegration,
  pathOf,
  pointerPath,
  removeItem,
  setAuthKind,
  setHeaders,
  setIn,
  setSection,
  setTriggerEvent,
  tabFor,
  view,
  webhookURL,
} from './model'

const preset = JSON.parse(readFileSync(join(__dirname, '../../../../builder/presets/signalement-voirie.json'), 'utf8')) as JsonObject
const sig = ((preset.scenarios as JsonObject[])[1].integration as JsonObject)

describe('view', () => {
  it('reads the preset', () => {
    const v = view(sig)
    expect(v.id).toBe('sig')
    expect(v.auth).toEqual({ kind: 'signature', secret: 'voirie-signature', username: '' })
    expect(v.retry).toEqual({ attempts: 12, initial: '30s', max: '1h' })
    expect(v.push?.on).toEqual([{ event: 'dossier.submitted', state: '' }])
    expect(v.push?.response.externalId).toBe('response.id')
    expect(v.webhook?.by).toBe('externalId')
    expect(v.webhook?.update.transitions).toHaveLength(3)
    expect(v.poll?.states).toEqual(['transmis', 'planifie'])
    expect(v.poll?.ratePerSecond).toBe(5)
  })

  it('fills defaults for what is missing or mistyped', () => {
    const v = view({ id: 3, auth: {}, poll: { states: ['a', 1] } } as unknown as JsonObject)
    expect(v.id).toBe('')
    expect(v.auth.kind).toBe('')
    expect(view({ auth: 'x' } as unknown as JsonObject).auth.kind).toBe('none')
    expect(view({}).auth.kind).toBe('none')
    expect(v.push).toBeNull()
    expect(v.poll?.states).toEqual(['a'])
    expect(v.poll?.update).toEqual({ externalId: '', transitions: [], set: [], message: '' })
    expect(view(undefined).headers).toEqual([])
  })
})

describe('setIn', () => {
  it('changes one member and keeps everything else, unknown members and key order included', () => {
    const j = { ...sig, extra: { keep: [1, 2] }, push: { ...(sig.push as JsonObject), future: true } }
    const out = setIn(j, ['push', 'path'], '/v2')
    expect(getIn(out, ['push', 'path'])).toBe('/v2')
    expect(out.extra).toBe(j.extra)
    expect(getIn(out, ['push', 'future'])).toBe(true)
    expect(Object.keys(out)).toEqual(Object.keys(j))
    expect(Object.keys(out.push as JsonObject)).toEqual(Object.keys(j.push))
    expect((j.push as JsonObject).path).toBe('/signalements') // not mutated
  })

  it('round-trips: reading and writing back what was read changes nothing', () => {
    let j: JsonObject = sig
    const v = view(sig)
    j = setIn(j, ['url'], v.url)
    j = setIn(j, ['poll', 'schedule'], v.poll!.schedule)
    j = setIn(j, ['webhook', 'update', 'transitions', 1, 'if'], v.webhook!.update.transitions[1].if)
    expect(j).toEqual(sig)
    expect(JSON.stringify(j)).toBe(JSON.stringify(sig))
  })

  it('prunes optional members left empty, up the path', () => {
    let j: JsonObject = { id: 'a', enabled: false, url: '', retry: { attempts: 3 } }
    j = setIn(j, ['retry', 'attempts'], undefined)
    expect(j).not.toHaveProperty('retry')
    j = setIn(j, ['label'], 'x')
    j = setIn(j, ['label'], '')
    expect(j).not.toHaveProperty('label')
    j = setIn(j, ['internal'], false)
    expect(j).not.toHaveProperty('internal')
    j = setIn(j, ['enabled'], false)
    expect(j.enabled).toBe(false) // required: kept
    j = setIn(j, ['push', 'response', 'externalId'], 'response.id')
    expect(j.push).toEqual({ response: { externalId: 'response.id' } })
    j = setIn(j, ['push', 'response', 'externalId'], '')
    expect(j.push).toEqual({})
    j = setIn(j, ['poll', 'update', 'message'], '')
    expect(j.poll).toEqual({ update: {} }) // update is required
    j = setIn(j, ['poll', 'states'], [])
    expect(j.poll).not.toHaveProperty('states')
  })

  it('creates lists and objects on the way and removes list elements', () => {
    let j: JsonObject = {}
    j = addItem(j, ['push', 'on'], { event: 'dossier.submitted' })
    j = addItem(j, ['push', 'on'], { event: 'dossier.entered', state: 'transmis' })
    expect(getIn(j, ['push', 'on'])).toEqual([{ event: 'dossier.submitted' }, { event: 'dossier.entered', state: 'transmis' }])
    j = moveItem(j, ['push', 'on'], 1, 0)
    expect(getIn(j, ['push', 'on', 0, 'state'])).toBe('transmis')
    j = setIn(j, ['push', 'on', 0, 'state'], '')
    expect(getIn(j, ['push', 'on', 0])).toEqual({ event: 'dossier.entered' })
    j = removeItem(j, ['push', 'on'], 0)
    expect(getIn(j, ['push', 'on'])).toEqual([{ event: 'dossier.submitted' }])
  })
})

describe('edits', () => {
  it('switches the auth kind: none removes it, only basic keeps a username, the secret stays', () => {
    let j: JsonObject = { id: 'a', auth: { kind: 'basic', username: 'u', secret: 's', x: 1 } }
    j = setAuthKind(j, 'bearer')
    expect(j.auth).toEqual({ kind: 'bearer', secret: 's', x: 1 })
    j = setAuthKind(j, 'none')
    expect(j).not.toHaveProperty('auth')
    j = setAuthKind(j, 'signature')
    expect(j.auth).toEqual({ kind: 'signature' })
  })

  it('writes headers, leaving out rows without a name', () => {
    let j = setHeaders({}, [['X-Tenant', 'commune'], ['', 'ignored']])
    expect(j.headers).toEqual({ 'X-Tenant': 'commune' })
    j = setHeaders(j, [])
    expect(j).not.toHaveProperty('headers')
  })

  it('drops the state of a trigger that is not dossier.entered', () => {
    const j = setTriggerEvent({ push: { on: [{ event: 'dossier.entered', state: 'x' }], body: 'b' } }, 0, 'dossier.submitted')
    expect(getIn(j, ['push', 'on'])).toEqual([{ event: 'dossier.submitted' }])
  })

  it('switches sections on with their default or what they were, and off', () => {
    const j = newIntegration()
    expect(j.push).toBeTruthy()
    const off = setSection(j, 'push', false)
    expect(off).not.toHaveProperty('push')
    expect(setSection(off, 'push', true, j.push)).toEqual(j)
    const poll = setSection(j, 'poll', true)
    expect(poll.poll).toEqual({ schedule: '@every 15m', path: '/{external_id}', update: {} })
    expect(setSection(poll, 'poll', true)).toBe(poll)
  })
})

describe('places', () => {
  it('maps paths, pointers and tabs', () => {
    const base = pathOf(1)
    expect(base).toBe('$.scenarios[1].integration')
    expect(pathOf(1, ['push', 'on', 0, 'state'])).toBe('$.scenarios[1].integration.push.on[0].state')
    expect(pathOf(0, ['headers', 'X-Tenant'])).toBe('$.scenarios[0].integration.headers["X-Tenant"]')
    expect(pointerPath('/integration/auth/secret', base)).toBe(base + '.auth.secret')
    expect(pointerPath('/integration', base)).toBe(base)
    expect(pointerPath('/call', base)).toBeNull()
    expect(tabFor(base + '.poll.update.transitions[0].if', base)).toBe('poll')
    expect(tabFor(base + '.url', base)).toBe('connection')
    expect(tabFor(base + '.pushy', base)).toBe('connection')
    expect(tabFor('$.scenarios[0].integration.url', base)).toBeNull()
    expect(webhookURL('https://g.example.ch/', 'voirie', 'sig')).toBe('https://g.example.ch/hooks/voirie.sig')
  })

  it('parses the JSON tab', () => {
    expect(parseIntegration('')).toEqual({})
    expect(parseIntegration('[1]')).toEqual({ error: 'object' })
    expect(parseIntegration('{"id": "a", "x": {"y": 1}}').value).toEqual({ id: 'a', x: { y: 1 } })
    expect(parseIntegration('{').error).toBeTruthy()
  })
})

describe('messages', () => {
  it('has the keys the editor builds from values', () => {
    const keys = [
      ...['none', 'bearer', 'basic', 'signature'].flatMap((k) => ['integration.auth.' + k, 'integration.auth.help.' + k]),
      ...['bearer', 'basic', 'signature'].map((k) => 'integration.auth.secret.' + k),
      ...['available', 'running', 'dead'].map((k) => 'integration.job.' + k),
      ...['running', 'done', 'failed'].map((k) => 'integration.run.' + k),
      ...['active', 'disabled', 'no-url'].map((k) => 'integration.status.' + k),
      ...['connection', 'push', 'webhook', 'poll', 'test', 'activity', 'json'].map((k) => 'integration.tab.' + k),
      ...['ok', 'retry', 'permanent', 'network', 'blocked'].map((k) => 'integration.test.outcome.' + k),
      ...['reference', 'externalId'].map((k) => 'integration.webhook.by.' + k),
      'integration.expr.condition',
      'integration.expr.names',
    ]
    for (const k of keys) {
      expect(messages.fr[k], k).toBeTruthy()
      expect(messages.en[k], k).toBeTruthy()
    }
  })
})
