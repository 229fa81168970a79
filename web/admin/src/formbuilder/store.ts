// The form being built, outside React: each field row subscribes to its own
// record, so an edit re-renders that row and the properties panel, not the
// hundred others. Lists of children are cached so dnd-kit's sortable
// contexts keep the same items array while the list does not change.

import { useCallback, useSyncExternalStore } from 'react'
import { pageFields, ROOT, type FieldNode, type FormModel } from '../model/form'

export class FormStore {
  model: FormModel
  selected: string | null = null
  private listeners = new Set<() => void>()
  private lists = new Map<string, string[]>()
  private onChange: (m: FormModel) => void

  constructor(model: FormModel, onChange: (m: FormModel) => void) {
    this.model = model
    this.onChange = onChange
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  private emit() {
    for (const l of this.listeners) l()
  }

  /** apply runs an edit; select (when given) changes the selected field too. */
  apply = (fn: (m: FormModel) => FormModel, select?: string | null) => {
    const next = fn(this.model)
    const changed = next !== this.model
    if (!changed && (select === undefined || select === this.selected)) return
    this.model = next
    if (select !== undefined) this.selected = select
    if (this.selected && !next.nodes[this.selected]) this.selected = null
    this.emit()
    if (changed) this.onChange(next)
  }

  select = (id: string | null) => {
    if (id === this.selected) return
    this.selected = id
    this.emit()
  }

  /** replace swaps the whole model (JSON tab, or the draft changed elsewhere); notify says whether to write it back. */
  replace = (m: FormModel, notify: boolean) => {
    this.model = m
    this.lists.clear()
    if (this.selected && !m.nodes[this.selected]) this.selected = null
    this.emit()
    if (notify) this.onChange(m)
  }

  /** children returns the (cached) field IDs of a container, on a page for the paged root. */
  children = (parent: string, page?: number): string[] => {
    const m = this.model
    const node = m.nodes[parent]
    if (!node?.box) return EMPTY
    const ids = parent === ROOT && m.pages && page !== undefined ? pageFields(m, page) : node.box.children
    const key = parent + ':' + (page ?? '')
    const prev = this.lists.get(key)
    if (prev && prev.length === ids.length && prev.every((x, i) => x === ids[i])) return prev
    this.lists.set(key, ids)
    return ids
  }
}

const EMPTY: string[] = []

export function useNode(s: FormStore, id: string): FieldNode | undefined {
  return useSyncExternalStore(s.subscribe, () => s.model.nodes[id])
}

export function useIsSelected(s: FormStore, id: string): boolean {
  return useSyncExternalStore(s.subscribe, () => s.selected === id)
}

export function useSelected(s: FormStore): string | null {
  return useSyncExternalStore(s.subscribe, () => s.selected)
}

export function useChildren(s: FormStore, parent: string, page?: number): string[] {
  const get = useCallback(() => s.children(parent, page), [s, parent, page])
  return useSyncExternalStore(s.subscribe, get)
}

export function useModel(s: FormStore): FormModel {
  return useSyncExternalStore(s.subscribe, () => s.model)
}

/** usePages returns the page titles (stable while they do not change). */
export function usePageTitles(s: FormStore): string | null {
  return useSyncExternalStore(s.subscribe, () => (s.model.pages ? JSON.stringify(s.model.pages.map((p) => String(p.raw.title ?? ''))) : null))
}

/** useEdge tells whether a field can move up or down: "first", "last", "only" or "" (in its list; across pages for the paged root). */
export function useEdge(s: FormStore, id: string): string {
  return useSyncExternalStore(s.subscribe, () => {
    const m = s.model
    const n = m.nodes[id]
    if (!n) return ''
    let list: string[]
    if (n.parent === ROOT && m.pages) {
      // Up from the first field of a page goes to the previous page: only the form's very first and last are edges.
      list = m.pages.flatMap((_, i) => s.children(ROOT, i))
    } else list = s.children(n.parent)
    const i = list.indexOf(id)
    if (list.length === 1) return 'only'
    return i === 0 ? 'first' : i === list.length - 1 ? 'last' : ''
  })
}
