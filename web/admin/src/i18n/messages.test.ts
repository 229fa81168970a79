import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { messages } from './messages'
import { PALETTE } from '../model/kinds'
import { EVENTS } from '../pipeline/model'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) return sources(p)
    return /\.tsx?$/.test(f) && !f.endsWith('.test.ts') ? [p] : []
  })
}

describe('message catalogue', () => {
  const used = new Set<string>()
  for (const f of sources(join(__dirname, '..'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([a-z][^']*[a-zA-Z])'/g)) used.add(m[1])
  }
  const families = [
    ...['draft', 'published', 'archived'].map((s) => 'status.' + s),
    ...['public', 'agents'].flatMap((a) => ['audience.' + a, 'audience.' + a + '.help']),
    ...['information', 'redirect', 'online', 'api'].flatMap((k) => ['kind.' + k, 'kind.' + k + '.help']),
    ...[...PALETTE, 'custom'].map((k) => 'kind.field.' + k),
    ...['saved', 'dirty', 'saving', 'error', 'conflict'].map((s) => 'save.' + s),
    ...['initial', 'intermediate', 'final'].map((k) => 'state.kind.' + k),
    ...['processing', 'consulted'].map((k) => 'role.kind.' + k),
    ...EVENTS.map((e) => 'event.' + e),
    ...['transition', 'invite', 'activate', 'send', 'set', 'assign'].flatMap((v) => ['verb.' + v, 'verb.' + v + '.arg']),
    ...['added', 'removed', 'changed', 'reordered'].map((k) => 'diff.' + k),
    'publish.archive.done',
    'publish.unarchive.done',
  ]
  it('has every key the code uses, in French and English', () => {
    expect(used.size).toBeGreaterThan(200)
    for (const k of [...used, ...families]) {
      expect(messages.fr[k], k).toBeTruthy()
      expect(messages.en[k], k).toBeTruthy()
    }
  })
})
