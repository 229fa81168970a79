// Editing a form of 100 fields must stay responsive (< 100 ms per
// interaction, measured in a browser by scripts/perf-browser.mjs). This
// test renders the builder's canvas and properties panel for such a form,
// runs the interactions through the DOM as a user would (click a row, type
// in the label, tick "required", the move buttons, the palette, remove),
// and asserts what each one re-renders: counts, not timings. An edit
// re-renders the edited row and the panel, not the 99 other rows, which
// is what keeps the cost flat as the form grows. Commit times (React
// Profiler, jsdom) are printed for information only.

import { act, Profiler, type ProfilerOnRenderCallback } from 'react'
import { createRoot } from 'react-dom/client'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { LangProvider } from '../i18n/i18n'
import { fromForm, ROOT, type FormModel } from '../model/form'
import { addField } from '../model/formOps'
import { PALETTE, type PaletteKind } from '../model/kinds'
import type { Procedure } from '../api/types'
import { DraftStore } from '../state/draft'
import { Canvas, renders } from './Canvas'
import { PropertiesPanel } from './Properties'
import { FormStore } from './store'

// React's act() environment flag for a test without testing-library.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

function bigForm(n: number): FormModel {
  let m = fromForm({ type: 'object', properties: {} })
  for (let i = 0; i < n; i++) {
    const k = PALETTE[i % PALETTE.length]
    const kind: PaletteKind = k === 'fieldset' || k === 'repeat' ? 'text' : k
    m = addField(m, kind, { parent: ROOT, index: i }, `Champ ${i + 1}`)[0]
  }
  return m
}

const timings: Record<string, number[]> = {}
afterAll(() => {
  const lines = Object.entries(timings).map(([k, v]) => `${k.padEnd(28)} max ${Math.max(...v).toFixed(1)} ms, mean ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1)} ms (${v.length} runs)`)
  console.log('\nForm builder, 100 fields (commit time measured by React.Profiler, jsdom):\n' + lines.join('\n'))
})

/** typeInto sets an input's value as typing does, so that React's onChange runs. */
function typeInto(el: HTMLInputElement, value: string) {
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, value)
  el.dispatchEvent(new Event('input', { bubbles: true }))
}

describe('form builder with 100 fields', () => {
  it('re-renders only what changed', { timeout: 120_000 }, async () => {
    const fs = new FormStore(bigForm(100), () => {})
    const host = document.createElement('div')
    document.body.append(host)
    const root = createRoot(host)
    let commit = 0
    const onRender: ProfilerOnRenderCallback = (_id, _phase, actual) => {
      commit += actual
    }
    /** measure runs one interaction and returns what it rendered: row contents, row shells, properties panels. */
    const measure = async (name: string, fn: () => void) => {
      commit = 0
      renders.count = renders.shell = renders.props = 0
      await act(async () => fn())
      ;(timings[name] ??= []).push(commit)
      return { rows: renders.count, shells: renders.shell, props: renders.props }
    }
    // Where the palette adds: after the selected field, as the page does.
    const insertTarget = () => {
      const list = fs.children(ROOT)
      return { parent: ROOT, index: fs.selected ? list.indexOf(fs.selected) + 1 : list.length }
    }
    await measure('first render', () =>
      root.render(
        <LangProvider>
          <Profiler id="builder" onRender={onRender}>
            <Canvas fs={fs} insertTarget={insertTarget} />
            <PropertiesPanel fs={fs} />
          </Profiler>
        </LangProvider>,
      ),
    )
    expect(host.querySelectorAll('.fb-row').length).toBe(100)
    const row = (id: string) => host.querySelector<HTMLElement>(`[data-field-id="${id}"] > .fb-row__main`)!
    const button = (id: string, label: RegExp) => [...row(id).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(b.getAttribute('aria-label') ?? ''))!
    const ids = () => fs.children(ROOT)

    // Text fields (the form cycles through the palette, groups made text), spread over the form.
    const textAt = [0, 12, 15, 27, 42, 45, 57, 60, 72, 90]
    for (const at of textAt) {
      const id = ids()[at]
      expect(fs.model.nodes[id].schema.type).toBe('string')
      // Selecting a field: its row (now selected), the previously selected one, and the panel (for the new field).
      const sel = await measure('select a field', () => row(id).querySelector<HTMLButtonElement>('.fb-row__select')!.click())
      expect(fs.selected).toBe(id)
      expect(sel.rows).toBeLessThanOrEqual(2)
      expect(sel.shells).toBe(0)
      expect(sel.props).toBe(1)

      // Typing one character in its label: that row (content and shell) and the panel, not the 99 other rows.
      const label = host.querySelector<HTMLInputElement>('.fb__props input')!
      const typed = await measure('type in the label', () => typeInto(label, label.value + 'x'))
      expect(String(fs.model.nodes[id].schema.title)).toMatch(/x$/)
      expect(typed).toEqual({ rows: 1, shells: 1, props: 1 })

      // Ticking "required": the same.
      const required = [...host.querySelectorAll<HTMLInputElement>('.fb__props input[type=checkbox]')][0]
      const ticked = await measure('toggle required', () => required.click())
      expect(fs.model.nodes[id].required).toBe(true)
      expect(ticked).toEqual({ rows: 1, shells: 1, props: 1 })
    }

    for (let i = 0; i < 5; i++) {
      // Moving a field down with its button: the two rows that swapped places
      // (and their neighbours, whose "first"/"last" may change) — not the list.
      // dnd-kit re-renders every sortable shell when the list's order changes;
      // the shells are small and the rows' content is not rendered again.
      const id = ids()[10 + i * 9]
      const moved = await measure('move a field down', () => button(id, /^Descendre/).click())
      expect(ids().indexOf(id)).toBe(11 + i * 9)
      expect(moved.rows).toBeLessThanOrEqual(4)
      expect(moved.props).toBeLessThanOrEqual(1)
    }

    for (let i = 0; i < 5; i++) {
      // Adding a field from the palette (after the selected one): the new
      // row, the previously selected row, and the panel (for the new field).
      const before = ids().length
      const added = await measure('add from the palette', () => host.querySelector<HTMLButtonElement>('.palette-item')!.click())
      expect(ids().length).toBe(before + 1)
      expect(added.rows).toBeLessThanOrEqual(3)
      expect(added.props).toBe(1)
      // Removing it with its button: the neighbours whose place changed.
      const id = fs.selected!
      const removed = await measure('remove a field', () => button(id, /^Supprimer/).click())
      expect(ids().length).toBe(before)
      expect(removed.rows).toBeLessThanOrEqual(3)
    }
    expect(host.querySelectorAll('.fb-row').length).toBe(100)

    // Picking a field up with the keyboard (Space on its handle): dnd-kit
    // re-renders every sortable shell, but of the rows' content only the
    // picked-up one, whose handle now says it is pressed (aria-pressed).
    const picked = ids()[50]
    const handle = row(picked).querySelector<HTMLButtonElement>('.fb-row__handle')!
    handle.focus()
    const pickUp = await measure('keyboard pick-up', () => {
      handle.dispatchEvent(new KeyboardEvent('keydown', { code: 'Space', key: ' ', bubbles: true, cancelable: true }))
    })
    expect(row(picked).querySelector('.fb-row__handle')!.getAttribute('aria-pressed')).toBe('true')
    expect(pickUp.rows).toBeLessThanOrEqual(1)
    await act(async () => {
      document.dispatchEvent(new KeyboardEvent('keydown', { code: 'Escape', key: 'Escape', bubbles: true }))
      window.dispatchEvent(new KeyboardEvent('keydown', { code: 'Escape', key: 'Escape', bubbles: true }))
    })
    expect(row(picked).querySelector('.fb-row__handle')!.getAttribute('aria-pressed')).toBeNull()
    act(() => root.unmount())
  })

  it('keeps the draft meta while the save state stays (the editor frame does not re-render on keystrokes)', () => {
    vi.useFakeTimers()
    try {
      const p = { slug: 's', draft: { scenarios: [] }, revision: '1', problems: [], status: 'draft', current_version: 0, has_unpublished_changes: false } as unknown as Procedure
      const store = new DraftStore(p)
      store.update((d) => ({ ...d, title: 'a' }))
      const meta = store.meta
      expect(meta.saveState).toBe('dirty')
      store.update((d) => ({ ...d, title: 'ab' }))
      expect(store.meta).toBe(meta)
    } finally {
      vi.clearAllTimers()
      vi.useRealTimers()
    }
  })
})
