// The form builder's model: a JSON Schema + UI schema pair turned into a
// normalised tree of fields (one record per field, children by ID), and
// back. The conversion is lossless: every keyword the builder does not
// understand is kept where it was, in its place among the keys, so
// toForm(fromForm(s, ui)) gives back s and ui exactly (key order included).
//
// What the builder structures:
//   - "properties" and "required" of the root, of fieldsets (objects) and of
//     the items of repeat groups (arrays of objects);
//   - the UI schema entries of those properties, "ui:order" and the root's
//     "ui:pages".
// Everything else of a field (title, constraints, unknown keywords) stays in
// its raw schema and UI entries, which the properties panel edits in place.

import { isObject, type Json, type JsonObject } from './json'

/** A UI schema member: an own key ("ui:widget"), a child's UI (by field ID), or a repeat group's "items". */
export type UIEntry = { k: string; v: Json } | { child: string } | { items: true }

/** A name in a "required" or "ui:pages" list: a field (by ID, so renames follow) or a name that matches none. */
export type Ref = { id: string } | { name: string }

/** The fields of an object: the root, a fieldset, or a repeat group's item. */
export interface Container {
  /** Field IDs in form (display) order. */
  children: string[]
  /** Field IDs in the order "properties" were written. */
  propOrder: string[]
  /** The "required" list as written. */
  requiredRefs: Ref[]
}

export interface FieldNode {
  id: string
  /** The property name (the key in "properties"). */
  name: string
  parent: string
  required: boolean
  /** The property's schema as written; "properties" and "required" of a container are rebuilt from the tree. */
  schema: JsonObject
  ui: UIEntry[]
  /** Whether the parent's UI schema had an entry for this field (even empty). */
  uiPresent: boolean
  /** Repeat groups: the entries of ui.items. */
  itemsUI?: UIEntry[]
  /** Fieldsets and repeat groups (and the root). */
  box?: Container
}

/** A step of a multi-page form ("ui:pages"). */
export interface Page {
  /** The page object as written; "fields" is rebuilt from the refs. */
  raw: JsonObject
  fields: Ref[]
}

export interface FormModel {
  nodes: Record<string, FieldNode>
  /** null when the form has a single page (no "ui:pages"). */
  pages: Page[] | null
  /** Whether the form came with a UI schema; an empty one is written only then. */
  hadUI: boolean
  /** Next field ID number. */
  seq: number
}

export const ROOT = 'root'

export interface FormDoc {
  schema: Json
  uiSchema?: Json
}

/** isContainerSchema tells a fieldset (object with properties) from other object schemas. */
function objectProps(s: JsonObject): JsonObject | null {
  if ('$ref' in s) return null
  const props = s.properties
  if (!isObject(props)) return null
  const t = s.type
  if (t !== undefined && t !== 'object') return null
  return props
}

/** containerSchema returns the object schema holding a field's children, or null. */
export function containerSchema(node: FieldNode): JsonObject | null {
  if (node.id === ROOT) return node.schema
  const s = node.schema
  if (objectProps(s)) return s
  if (s.type === 'array' && isObject(s.items) && objectProps(s.items)) {
    const items = s.items
    if (items.enum === undefined && items.oneOf === undefined) return items
  }
  return null
}

/** fromForm builds the model of a form. */
export function fromForm(schema: Json, uiSchema?: Json): FormModel {
  const m: FormModel = { nodes: {}, pages: null, hadUI: uiSchema !== undefined && uiSchema !== null, seq: 1 }
  const rootSchema = isObject(schema) ? schema : {}
  const rootUI = isObject(uiSchema) ? uiSchema : {}
  const root: FieldNode = { id: ROOT, name: '', parent: '', required: false, schema: rootSchema, ui: [], uiPresent: true }
  m.nodes[ROOT] = root
  root.box = parseContainer(m, root, rootSchema, rootUI)
  root.ui = uiEntries(rootUI, root.box, m)
  const pages = rootUI['ui:pages']
  if (Array.isArray(pages) && pages.every(isObject)) {
    const byName = namesOf(m, root.box)
    m.pages = (pages as JsonObject[]).map((p) => ({
      raw: p,
      fields: Array.isArray(p.fields) ? p.fields.map((n) => refOf(byName, n)) : [],
    }))
  } else if (pages !== undefined) {
    // Not a list of pages: keep it as an opaque UI key (the server reports it).
    root.ui = root.ui.map((e) => ('k' in e && e.k === 'ui:pages' ? { k: 'ui:pages!', v: pages } : e))
  }
  return m
}

function namesOf(m: FormModel, box: Container): Map<string, string> {
  return new Map(box.children.map((id) => [m.nodes[id].name, id]))
}

function refOf(byName: Map<string, string>, n: Json): Ref {
  const name = typeof n === 'string' ? n : JSON.stringify(n)
  const id = byName.get(name)
  return id ? { id } : { name }
}

function parseContainer(m: FormModel, owner: FieldNode, obj: JsonObject, ui: JsonObject): Container {
  const props = isObject(obj.properties) ? obj.properties : {}
  const box: Container = { children: [], propOrder: [], requiredRefs: [] }
  const required = Array.isArray(obj.required) ? obj.required : []
  for (const [name, ps] of Object.entries(props)) {
    const childUI = ui[name]
    const child = parseNode(m, name, isObject(ps) ? ps : {}, isObject(childUI) ? childUI : {}, owner.id)
    child.uiPresent = childUI !== undefined
    child.required = required.includes(name)
    box.propOrder.push(child.id)
  }
  const byName = namesOf(m, { ...box, children: box.propOrder })
  box.requiredRefs = required.map((n) => refOf(byName, n))
  const order = resolveOrder(ui['ui:order'], box.propOrder.map((id) => m.nodes[id].name))
  box.children = order ? order.map((n) => byName.get(n)!) : [...box.propOrder]
  return box
}

function parseNode(m: FormModel, name: string, schema: JsonObject, ui: JsonObject, parent: string): FieldNode {
  const node: FieldNode = { id: 'f' + m.seq++, name, parent, required: false, schema, ui: [], uiPresent: false }
  m.nodes[node.id] = node
  const obj = containerSchema(node)
  if (!obj) {
    node.ui = Object.entries(ui).map(([k, v]) => ({ k, v }))
    return node
  }
  if (obj === schema) {
    node.box = parseContainer(m, node, obj, ui)
    node.ui = uiEntries(ui, node.box, m)
  } else {
    const itemsUI = isObject(ui.items) ? ui.items : {}
    node.box = parseContainer(m, node, obj, itemsUI)
    node.itemsUI = uiEntries(itemsUI, node.box, m)
    node.ui = Object.entries(ui).map(([k, v]) => (k === 'items' && isObject(v) ? { items: true } : { k, v }))
    if (!('items' in ui)) node.itemsUI = node.itemsUI.length ? node.itemsUI : undefined
  }
  return node
}

function uiEntries(ui: JsonObject, box: Container, m: FormModel): UIEntry[] {
  const byName = namesOf(m, box)
  return Object.entries(ui).map(([k, v]) => {
    const id = byName.get(k)
    return id && !k.startsWith('ui:') ? { child: id } : { k, v }
  })
}

/** resolveOrder applies a "ui:order" list to property names as the server does; null when it cannot. */
export function resolveOrder(order: Json | undefined, names: string[]): string[] | null {
  if (order === undefined) return null
  if (!Array.isArray(order)) return null
  const head: string[] = []
  const tail: string[] = []
  const seen = new Set<string>()
  let star = false
  for (const v of order) {
    if (v === '*' && !star) {
      star = true
      continue
    }
    if (typeof v !== 'string' || v === '*' || seen.has(v) || !names.includes(v)) return null
    seen.add(v)
    ;(star ? tail : head).push(v)
  }
  return [...head, ...names.filter((n) => !seen.has(n)), ...tail]
}

// ---------------------------------------------------------------- writing

/** toForm writes the schema and UI schema of a model. */
export function toForm(m: FormModel): { schema: JsonObject; uiSchema?: JsonObject } {
  const root = m.nodes[ROOT]
  const { schema, ui } = writeContainer(m, root, root.schema, root.ui)
  let uiOut = ui
  if (m.pages) {
    const pages = m.pages.map((p) => writePage(m, p))
    uiOut = replaceOrAppend(uiOut, 'ui:pages', pages)
  }
  // Restore a "ui:pages" that was not a list of pages.
  if ('ui:pages!' in uiOut) uiOut = renameKey(uiOut, 'ui:pages!', 'ui:pages')
  if (Object.keys(uiOut).length === 0 && !m.hadUI) return { schema }
  return { schema, uiSchema: uiOut }
}

function writePage(m: FormModel, p: Page): JsonObject {
  return replaceOrAppend(p.raw, 'fields', p.fields.flatMap((r) => refName(m, r, ROOT)))
}

function refName(m: FormModel, r: Ref, parent: string): string[] {
  if ('name' in r) return [r.name]
  const n = m.nodes[r.id]
  return n && n.parent === parent ? [n.name] : []
}

function replaceOrAppend(obj: JsonObject, key: string, value: Json): JsonObject {
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(obj)) out[k] = k === key ? value : v
  if (!(key in obj)) out[key] = value
  return out
}

function renameKey(obj: JsonObject, from: string, to: string): JsonObject {
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(obj)) out[k === from ? to : k] = v
  return out
}

interface Written {
  schema: JsonObject
  ui?: JsonObject // undefined: no UI entry for this field
}

function writeNode(m: FormModel, node: FieldNode): Written {
  const obj = containerSchema(node)
  if (!obj || !node.box) {
    const ui = entriesToObject(m, node.ui, null)
    return { schema: node.schema, ui: node.ui.length || node.uiPresent ? ui : undefined }
  }
  if (obj === node.schema) {
    const w = writeContainer(m, node, node.schema, node.ui)
    return { schema: w.schema, ui: Object.keys(w.ui).length || node.uiPresent ? w.ui : undefined }
  }
  // Repeat group: the container is the items schema, its UI is ui.items.
  const w = writeContainer(m, node, obj, node.itemsUI ?? [])
  const schema = replaceOrAppend(node.schema, 'items', w.schema)
  const hasItems = Object.keys(w.ui).length > 0 || node.itemsUI !== undefined
  let entries = node.ui
  if (hasItems && !entries.some((e) => 'items' in e)) entries = [...entries, { items: true }]
  const ui = entriesToObject(m, entries, null, hasItems ? w.ui : undefined)
  return { schema, ui: Object.keys(ui).length || node.uiPresent ? ui : undefined }
}

function writeContainer(m: FormModel, node: FieldNode, obj: JsonObject, entries: UIEntry[]): { schema: JsonObject; ui: JsonObject } {
  const box = node.box!
  const kids = box.children
  const propOrder = [...box.propOrder.filter((id) => kids.includes(id)), ...kids.filter((id) => !box.propOrder.includes(id))]
  const names = (ids: string[]) => ids.map((id) => m.nodes[id].name)
  const uiOrderEntry = entries.find((e): e is { k: string; v: Json } => 'k' in e && e.k === 'ui:order')
  let propIDs = propOrder
  let uiOrder: Json | undefined = uiOrderEntry?.v
  const same = (a: string[] | null, b: string[]) => a !== null && a.length === b.length && a.every((x, i) => x === b[i])
  if (uiOrderEntry) {
    if (!same(resolveOrder(uiOrderEntry.v, names(propOrder)), names(kids))) uiOrder = names(kids)
  } else if (!same(names(propOrder), names(kids))) {
    propIDs = kids
  }
  const written = new Map(kids.map((id) => [id, writeNode(m, m.nodes[id])]))
  const properties: JsonObject = {}
  for (const id of propIDs) properties[m.nodes[id].name] = written.get(id)!.schema
  const required: string[] = []
  for (const r of box.requiredRefs) {
    if ('name' in r) required.push(r.name)
    else if (m.nodes[r.id]?.parent === node.id && m.nodes[r.id].required) required.push(m.nodes[r.id].name)
  }
  for (const id of kids) {
    const n = m.nodes[id]
    if (n.required && !required.includes(n.name)) required.push(n.name)
  }
  let schema = replaceOrAppend(obj, 'properties', properties)
  if (required.length || 'required' in obj) {
    schema = 'required' in obj ? replaceOrAppend(schema, 'required', required) : insertBefore(schema, 'properties', 'required', required)
  }
  let ui = entriesToObject(m, entries, { kids, written })
  if (uiOrder !== undefined) ui = replaceOrAppend(ui, 'ui:order', uiOrder)
  return { schema, ui }
}

function insertBefore(obj: JsonObject, before: string, key: string, value: Json): JsonObject {
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(obj)) {
    if (k === before) out[key] = value
    out[k] = v
  }
  if (!(key in out)) out[key] = value
  return out
}

function entriesToObject(
  m: FormModel,
  entries: UIEntry[],
  kids: { kids: string[]; written: Map<string, Written> } | null,
  items?: JsonObject,
): JsonObject {
  const out: JsonObject = {}
  const done = new Set<string>()
  for (const e of entries) {
    if ('k' in e) out[e.k] = e.v
    else if ('items' in e) {
      if (items !== undefined) out.items = items
    } else if (kids && kids.kids.includes(e.child)) {
      const ui = kids.written.get(e.child)!.ui
      if (ui !== undefined) out[m.nodes[e.child].name] = ui
      done.add(e.child)
    }
  }
  if (kids) {
    for (const id of kids.kids) {
      if (done.has(id)) continue
      const ui = kids.written.get(id)!.ui
      if (ui !== undefined) out[m.nodes[id].name] = ui
    }
  }
  return out
}

// ---------------------------------------------------------------- reading helpers

/** uiGet returns an own UI key of a field. */
export function uiGet(node: FieldNode, key: string): Json | undefined {
  for (const e of node.ui) if ('k' in e && e.k === key) return e.v
  return undefined
}

/** uiSet returns the UI entries with key set (undefined removes it). */
export function uiSet(entries: UIEntry[], key: string, value: Json | undefined): UIEntry[] {
  const i = entries.findIndex((e) => 'k' in e && e.k === key)
  if (value === undefined) return i < 0 ? entries : entries.filter((_, j) => j !== i)
  if (i < 0) return [...entries, { k: key, v: value }]
  const out = entries.slice()
  out[i] = { k: key, v: value }
  return out
}

/** uiOption reads ui:options.<key>. */
export function uiOption(node: FieldNode, key: string): Json | undefined {
  const o = uiGet(node, 'ui:options')
  return isObject(o) ? o[key] : undefined
}

/** pageOf returns the page index of a top-level field (unlisted fields go on the last page). */
export function pageOf(m: FormModel, id: string): number {
  if (!m.pages) return 0
  for (let i = 0; i < m.pages.length; i++) {
    if (m.pages[i].fields.some((r) => 'id' in r && r.id === id)) return i
  }
  return m.pages.length - 1
}

/** pageFields returns the top-level field IDs shown on page i, in form order. */
export function pageFields(m: FormModel, i: number): string[] {
  const kids = m.nodes[ROOT].box!.children
  if (!m.pages) return kids
  return kids.filter((id) => pageOf(m, id) === i)
}

/** isRepeat tells a repeat group (array of objects) from a fieldset. */
export function isRepeat(node: FieldNode): boolean {
  return node.id !== ROOT && !!node.box && containerSchema(node) !== node.schema
}

/** pointerOf returns the JSON pointer of a field's value ("/address/street", "/equipment/-/item"). */
export function pointerOf(m: FormModel, id: string): string {
  const parts: string[] = []
  let n = m.nodes[id]
  while (n && n.id !== ROOT) {
    parts.unshift(n.name.replace(/~/g, '~0').replace(/\//g, '~1'))
    const p = m.nodes[n.parent]
    if (p && isRepeat(p)) parts.unshift('-')
    n = p
  }
  return '/' + parts.join('/')
}

/** fieldByPointer finds the field a schema or value pointer is about ("/properties/a/properties/b" or "/a/b"). */
export function fieldByPointer(m: FormModel, pointer: string): string | null {
  const toks = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
  let cur = ROOT
  let found: string | null = null
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]
    if (t === 'properties' || t === 'items' || t === '-' || /^\d+$/.test(t)) {
      if (t === 'properties' && i + 1 < toks.length) {
        const next = findChild(m, cur, toks[i + 1])
        if (next) {
          cur = next
          found = next
          i++
        }
      }
      continue
    }
    const next = findChild(m, cur, t)
    if (!next) break
    cur = next
    found = next
  }
  return found
}

function findChild(m: FormModel, parent: string, name: string): string | null {
  const box = m.nodes[parent]?.box
  if (!box) return null
  return box.children.find((id) => m.nodes[id].name === name) ?? null
}
