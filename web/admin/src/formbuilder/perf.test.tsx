// Editing a form of 100 fields must stay responsive (< 100 ms per
// interaction). This test builds such a form, renders the builder's canvas
// and properties panel in a React Profiler, runs typical interactions, and
// prints how long each commit took. What it asserts is structural, not
// timed: an edit re-renders the edited row only, which is what keeps the
// cost flat as the form grows.

import { act, Profiler, type ProfilerOnRenderCallback } from 'react'
import { createRoot } from 'react-dom/client'
import { afterAll, describe, expect, it } from 'vitest'
import { LangProvider } from '../i18n/i18n'
import { fromForm, ROOT } from '../model/form'
import { addField, moveBy, removeField, setSchema } from '../model/formOps'
import { PALETTE, type PaletteKind } from '../model/kinds'
import type { JsonObject } from '../model/json'
import { Canvas, rowRenders } from './Canvas'
import { PropertiesPanel } from './Properties'
import { FormStore } from './store'

// React's act() environment flag for a test without testing-library.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

function bigForm(n: number): JsonObject {
  let m = fromForm({ type: 'object', properties: {} })
  for (let i = 0; i < n; i++) {
    const kind: PaletteKind = PALETTE[i % PALETTE.length] === 'fieldset' || PALETTE[i % PALETTE.length] === 'repeat' ? 'text' : PALETTE[i % PALETTE.length]
    m = addField(m, kind, { parent: ROOT, index: i }, `Champ ${i + 1}`)[0]
  }
  return m as unknown as JsonObject
}

const timings: Record<string, number[]> = {}
afterAll(() => {
  const lines = Object.entries(timings).map(([k, v]) => `${k.padEnd(28)} max ${Math.max(...v).toFixed(1)} ms, mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1)} ms (${v.length} runs)`)
  console.log('\nForm builder, 100 fields (commit time measured by React.Profiler, jsdom):\n' + lines.join('\n'))
})

describe('form builder with 100 fields', () => {
  it('re-renders only what changed', { timeout: 120_000 }, async () => {
    const model = bigForm(100) as never
    const fs = new FormStore(model, () => {})
    const host = document.createElement('div')
    document.body.append(host)
    const root = createRoot(host)
    let commit = 0
    const onRender: ProfilerOnRenderCallback = (_id, _phase, actual) => {
      commit += actual
    }
    const measure = async (name: string, fn: () => void) => {
      commit = 0
      rowRenders.count = 0
      const t0 = performance.now()
      await act(async () => fn())
      const wall = performance.now() - t0
      ;(timings[name] ??= []).push(commit)
      ;(timings[name + ' (wall)'] ??= []).push(wall)
      return rowRenders.count
    }
    await measure('first render', () =>
      root.render(
        <LangProvider>
          <Profiler id="builder" onRender={onRender}>
            <Canvas fs={fs} insertTarget={() => ({ parent: ROOT, index: 0 })} />
            <PropertiesPanel fs={fs} />
          </Profiler>
        </LangProvider>,
      ),
    )
    expect(host.querySelectorAll('.fb-row').length).toBe(100)
    const ids = fs.model.nodes[ROOT].box!.children

    for (let i = 0; i < 10; i++) {
      const id = ids[i * 7]
      // Selecting a field: its row (selected) and the previous one (unselected).
      expect(await measure('select a field', () => fs.select(id))).toBeLessThanOrEqual(2)
      // Typing one character in its label: that row only.
      expect(await measure('type in a label', () => fs.apply((m) => setSchema(m, id, 'title', `Libellé ${i}x`)))).toBe(1)
    }
    for (let i = 0; i < 5; i++) {
      // Moving a field re-renders the rows whose index changed (2) — and not the 98 others.
      expect(await measure('move a field down', () => fs.apply((m) => moveBy(m, ids[10 + i], 1)))).toBeLessThanOrEqual(4)
    }
    let added = ''
    for (let i = 0; i < 5; i++) {
      // Adding or removing a field re-renders the new row and the neighbours whose place changed, not the list.
      const addedRows = await measure('add a field', () =>
        fs.apply((m) => {
          const [n, id] = addField(m, 'text', { parent: ROOT, index: 50 }, 'Nouveau')
          added = id
          return n
        }),
      )
      expect(addedRows).toBeLessThanOrEqual(3)
      expect(await measure('remove a field', () => fs.apply((m) => removeField(m, added)))).toBeLessThanOrEqual(3)
    }
    expect(host.querySelectorAll('.fb-row').length).toBe(100)
    for (const [k, v] of Object.entries(timings)) if (!k.startsWith('first')) expect(v.length, k).toBeGreaterThan(0)
    act(() => root.unmount())
  })
})
