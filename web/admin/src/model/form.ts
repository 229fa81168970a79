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
//     "ui:pages";
//   - conditional fields: a field's "ui:showIf" and the "allOf" if/then rule
//     that makes it required when shown, in the object of its controlling
//     field (see forms/form.go). Both are read into FieldNode.cond, by field
//     ID so renames and moves follow, and written back as they were while
//     they still say the same.
// Everything else of a field (title, constraints, unknown keywords) stays in
// its raw schema and UI entries, which the properties panel edits in place.

import { isObject, jsonEqual, withKey, type Json, type JsonObject } from './json'

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
  /** The object's "allOf" as written, when it is a list; the rules of conditional fields are rebuilt from the model. */
  rules?: RuleSlot[]
}

/** One element of an object's "allOf": kept as written, or the rule of a conditional field (dep). */
export interface RuleSlot {
  raw: Json
  dep?: string
}

export type CondOp = 'equals' | 'in' | 'checked'

/** A field's "ui:showIf": shown only when the controlling field has one of values (equals, in) or is ticked as checked says. */
export interface Cond {
  /** The controlling field's ID. */
  ctl: string
  op: CondOp
  /** equals: one value; in: one or more; typed as the controlling field's choices. */
  values: Json[]
  checked: boolean
  /** Required when shown: the schema has the field's allOf if/then rule. */
  required: boolean
  /** The "ui:showIf" as written, kept while it says the same. */
  raw?: Json
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
  /** The field's "ui:showIf", when it names a field of the form. */
  cond?: Cond
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
  parseConditions(m)
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
  const own = ownEntries(m, node)
  if (!obj || !node.box) {
    const ui = entriesToObject(m, own, null)
    return { schema: node.schema, ui: own.length || node.uiPresent ? ui : undefined }
  }
  if (obj === node.schema) {
    const w = writeContainer(m, node, node.schema, own)
    return { schema: w.schema, ui: Object.keys(w.ui).length || node.uiPresent ? w.ui : undefined }
  }
  // Repeat group: the container is the items schema, its UI is ui.items.
  const w = writeContainer(m, node, obj, node.itemsUI ?? [])
  const schema = replaceOrAppend(node.schema, 'items', w.schema)
  const hasItems = Object.keys(w.ui).length > 0 || node.itemsUI !== undefined
  let entries = own
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
  schema = writeRules(m, node, obj, schema)
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

// ---------------------------------------------------------------- conditions

/** isCheckboxes tells a checkboxes field (array of choices) from other fields. */
function isCheckboxesSchema(s: JsonObject): boolean {
  return !('$ref' in s) && (s.type === 'array' || (s.type === undefined && isObject(s.items)))
}

/** readCond reads a "ui:showIf" value; undefined when it is not one the builder can show (the server reports it). */
export function readCond(m: FormModel, raw: Json, self: string, byPointer?: Map<string, string>): Cond | undefined {
  if (!isObject(raw) || typeof raw.field !== 'string') return undefined
  const ops = Object.keys(raw).filter((k) => k !== 'field')
  if (ops.length !== 1 || !['equals', 'in', 'checked'].includes(ops[0])) return undefined
  const op = ops[0] as CondOp
  const ptrs = byPointer ?? pointers(m)
  const ctl = ptrs.get(raw.field)
  if (!ctl || ctl === self || m.nodes[ctl].box) return undefined
  const v = raw[op]
  const scalar = (x: Json) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean'
  if (op === 'checked' && typeof v !== 'boolean') return undefined
  if (op === 'equals' && !scalar(v)) return undefined
  if (op === 'in' && !(Array.isArray(v) && v.length > 0 && v.every(scalar))) return undefined
  return { ctl, op, values: op === 'equals' ? [v] : op === 'in' ? [...(v as Json[])] : [], checked: op === 'checked' && v === true, required: false, raw }
}

/** pointers maps the value pointer of every field ("/equipment/-/item") to its ID. */
function pointers(m: FormModel): Map<string, string> {
  const out = new Map<string, string>()
  for (const id of Object.keys(m.nodes)) if (id !== ROOT) out.set(pointerOf(m, id), id)
  return out
}

/** parseConditions reads the "ui:showIf" of every field, then the allOf rules that make conditional fields required. */
function parseConditions(m: FormModel) {
  let ptrs: Map<string, string> | undefined
  for (const n of Object.values(m.nodes)) {
    const raw = uiGet(n, 'ui:showIf')
    if (raw === undefined) continue
    ptrs ??= pointers(m)
    const c = readCond(m, raw, n.id, ptrs)
    if (c) n.cond = c
  }
  for (const x of Object.values(m.nodes)) {
    if (!x.box) continue
    const obj = containerSchema(x)
    if (!obj || !Array.isArray(obj.allOf)) continue
    x.box.rules = obj.allOf.map((raw) => {
      const dep = ptrs ? ruleDep(m, x.id, raw) : null
      if (!dep) return { raw }
      m.nodes[dep].cond!.required = true
      return { raw, dep }
    })
  }
}

/** ruleDep returns the conditional field whose rule raw is (in container x), or null. */
function ruleDep(m: FormModel, x: string, raw: Json): string | null {
  if (!isObject(raw) || !isObject(raw.then)) return null
  let cur: Json = raw.then
  let box = x
  for (;;) {
    if (!isObject(cur)) return null
    const ks = Object.keys(cur)
    if (ks.length !== 1) return null
    if (ks[0] === 'required') {
      const req = cur.required
      if (!Array.isArray(req) || req.length !== 1 || typeof req[0] !== 'string') return null
      const dep = childNamed(m, box, req[0])
      const c = dep ? m.nodes[dep].cond : undefined
      if (!dep || !c || c.required) return null
      const want = ruleFor(m, dep)
      return want && sameRule(raw, want) ? dep : null
    }
    if (ks[0] !== 'properties' || !isObject(cur.properties) || Object.keys(cur.properties).length !== 1) return null
    const [name, sub]: [string, Json] = Object.entries(cur.properties)[0]
    const child = childNamed(m, box, name)
    if (!child || !m.nodes[child].box) return null
    if (isRepeat(m.nodes[child])) {
      if (!isObject(sub) || Object.keys(sub).length !== 1 || !isObject(sub.items)) return null
      cur = sub.items
    } else cur = sub
    box = child
  }
}

function childNamed(m: FormModel, parent: string, name: string): string | null {
  return m.nodes[parent]?.box?.children.find((id) => m.nodes[id].name === name) ?? null
}

/** sameRule compares two rules as the server does: key order and the order of "enum" values do not matter. */
function sameRule(a: Json, b: Json): boolean {
  const norm = (v: Json, key = ''): Json => {
    if (Array.isArray(v)) {
      const out = v.map((x) => norm(x))
      return key === 'enum' ? [...out].sort((p, q) => (JSON.stringify(p) < JSON.stringify(q) ? -1 : 1)) : out
    }
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x, k)]))
    return v
  }
  return jsonEqual(norm(a), norm(b))
}

/** condValueSchema is the schema of the controlling value in the rule's "if". */
function condValueSchema(ctl: FieldNode, c: Cond): JsonObject {
  const inner: JsonObject = c.op === 'checked' ? { const: c.checked } : c.op === 'equals' ? { const: c.values[0] } : { enum: c.values }
  return isCheckboxesSchema(ctl.schema) ? { contains: inner } : inner
}

/**
 * ruleFor builds the allOf rule that makes a conditional field required when shown, in the object of its
 * controlling field: {"if": {"properties": {ctl: …}, "required": [ctl]}, "then": {"required": [field]}},
 * "then" going down through "properties" (and "items") when the field is deeper. Null when the field is
 * not inside the controlling field's object.
 */
export function ruleFor(m: FormModel, dep: string): JsonObject | null {
  const d = m.nodes[dep]
  const c = d?.cond
  const ctl = c ? m.nodes[c.ctl] : undefined
  if (!c || !ctl) return null
  const chain: FieldNode[] = []
  for (let p = d.parent; p !== ctl.parent; p = m.nodes[p].parent) {
    if (p === ROOT || !m.nodes[p]) return null
    chain.unshift(m.nodes[p])
  }
  let then: JsonObject = { required: [d.name] }
  for (let i = chain.length - 1; i >= 0; i--) {
    const y = chain[i]
    then = { properties: { [y.name]: isRepeat(y) ? { items: then } : then } }
  }
  return { if: { properties: { [ctl.name]: condValueSchema(ctl, c) }, required: [ctl.name] }, then }
}

/** condUI is the "ui:showIf" of a conditional field: as written while it says the same. */
export function condUI(m: FormModel, node: FieldNode): Json | undefined {
  const c = node.cond
  if (!c || !m.nodes[c.ctl]) return undefined
  const v: Json = c.op === 'checked' ? c.checked : c.op === 'equals' ? c.values[0] : c.values
  const out: JsonObject = { field: pointerOf(m, c.ctl), [c.op]: v }
  return c.raw !== undefined && jsonEqual(c.raw, out) ? c.raw : out
}

/** ownEntries are a field's own UI entries with its "ui:showIf" written from the model. */
function ownEntries(m: FormModel, node: FieldNode): UIEntry[] {
  if (!node.cond) return node.ui
  const v = condUI(m, node)
  if (v === undefined) return node.ui
  return node.ui.map((e) => ('k' in e && e.k === 'ui:showIf' ? { k: e.k, v } : e))
}

const depsCache = new WeakMap<Record<string, FieldNode>, Map<string, string[]>>()

/** conditionalDeps maps each container to the fields required when shown whose controlling field it holds, in form order. */
function conditionalDeps(m: FormModel): Map<string, string[]> {
  const hit = depsCache.get(m.nodes)
  if (hit) return hit
  const out = new Map<string, string[]>()
  for (const id of formOrder(m)) {
    const c = m.nodes[id].cond
    const ctl = c?.required ? m.nodes[c.ctl] : undefined
    if (!ctl) continue
    out.set(ctl.parent, [...(out.get(ctl.parent) ?? []), id])
  }
  depsCache.set(m.nodes, out)
  return out
}

/** writeRules writes a container's "allOf": rules kept as written, and one rule per field required when shown. */
function writeRules(m: FormModel, node: FieldNode, obj: JsonObject, schema: JsonObject): JsonObject {
  const slots: RuleSlot[] = node.box!.rules ?? (Array.isArray(obj.allOf) ? obj.allOf.map((raw) => ({ raw })) : [])
  const deps = conditionalDeps(m).get(node.id) ?? []
  if (!slots.length && !deps.length) return schema
  if (obj.allOf !== undefined && !Array.isArray(obj.allOf)) return schema // not a list: the server reports it
  const out: Json[] = []
  const done = new Set<string>()
  for (const s of slots) {
    if (!s.dep) {
      out.push(s.raw)
      continue
    }
    if (!deps.includes(s.dep) || done.has(s.dep)) continue
    const rule = ruleFor(m, s.dep)
    if (!rule) continue
    done.add(s.dep)
    out.push(jsonEqual(rule, s.raw) ? s.raw : rule)
  }
  for (const d of deps) {
    if (done.has(d)) continue
    const rule = ruleFor(m, d)
    if (rule) out.push(rule)
  }
  if (out.length) return replaceOrAppend(schema, 'allOf', out)
  return Array.isArray(obj.allOf) && obj.allOf.length === 0 ? schema : withKey(schema, 'allOf', undefined)
}

/** formOrder lists every field ID in form order: page after page, groups depth first. */
export function formOrder(m: FormModel): string[] {
  const out: string[] = []
  const walk = (ids: string[]) => {
    for (const id of ids) {
      out.push(id)
      const box = m.nodes[id].box
      if (box) walk(box.children)
    }
  }
  walk(m.pages ? m.pages.flatMap((_, i) => pageFields(m, i)) : m.nodes[ROOT].box!.children)
  return out
}
