// Edits of the form model. Every function returns a new model and shares
// the records it did not change, so memoised field rows re-render only when
// their own field changed.

import { isObject, withKey, type Json, type JsonObject } from './json'
import {
  containerSchema,
  formOrder,
  isRepeat,
  pageFields,
  pageOf,
  readCond,
  ROOT,
  uiSet,
  type Cond,
  type CondOp,
  type FieldNode,
  type FormModel,
  type Page,
  type UIEntry,
} from './form'
import { choiceSchema, choiceValues, kindOf, newField, type Option, type PaletteKind } from './kinds'

/** Where a field goes: a container, an index among its children, and (top level of a paged form) a page. */
export interface Target {
  parent: string
  index: number
  page?: number
}

function setNode(m: FormModel, node: FieldNode): FormModel {
  return { ...m, nodes: { ...m.nodes, [node.id]: node } }
}

/** uniqueName returns base, or base_2, base_3… so that it is unique among parent's children. */
export function uniqueName(m: FormModel, parent: string, base: string, except?: string): string {
  const taken = new Set(m.nodes[parent].box!.children.filter((id) => id !== except).map((id) => m.nodes[id].name))
  if (!taken.has(base)) return base
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`
}

/** slugName turns a label into a property name: lowercase ASCII, digits and underscores. */
export function slugName(label: string): string {
  const s = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
  return s || 'champ'
}

/** addField adds a new field of kind at target; returns the model and the new field's ID. */
export function addField(m: FormModel, kind: PaletteKind, target: Target, title: string): [FormModel, string] {
  const { schema, ui } = newField(kind, title)
  const id = 'f' + m.seq
  const node: FieldNode = {
    id,
    name: uniqueName(m, target.parent, slugName(title)),
    parent: target.parent,
    required: false,
    schema,
    ui: Object.entries(ui).map(([k, v]) => ({ k, v })),
    uiPresent: false,
  }
  if (kind === 'fieldset' || kind === 'repeat') node.box = { children: [], propOrder: [], requiredRefs: [] }
  let out: FormModel = { ...m, seq: m.seq + 1, nodes: { ...m.nodes, [id]: node } }
  out = insertChild(out, id, target)
  return [out, id]
}

/** insertChild places an already-parented field in its parent's children (and page). */
function insertChild(m: FormModel, id: string, target: Target): FormModel {
  const parent = m.nodes[target.parent]
  const box = parent.box!
  let children = box.children.filter((c) => c !== id)
  let index = target.index
  if (target.parent === ROOT && m.pages && target.page !== undefined) {
    // index counts among the page's fields: translate to the form order.
    const onPage = pageFields({ ...m, nodes: { ...m.nodes, [ROOT]: { ...parent, box: { ...box, children } } } }, target.page).filter((c) => c !== id)
    if (index < onPage.length) index = children.indexOf(onPage[index])
    else if (onPage.length) index = children.indexOf(onPage[onPage.length - 1]) + 1
    else index = firstIndexAfterPage(m, children, target.page)
  }
  index = Math.max(0, Math.min(index, children.length))
  children = [...children.slice(0, index), id, ...children.slice(index)]
  let out = setNode(m, { ...parent, box: { ...box, children } })
  if (target.parent === ROOT && out.pages && target.page !== undefined) out = putOnPage(out, id, target.page)
  return out
}

/** firstIndexAfterPage: where an empty page's first field goes in the form order. */
function firstIndexAfterPage(m: FormModel, children: string[], page: number): number {
  for (let i = 0; i < children.length; i++) if (pageOf(m, children[i]) > page) return i
  return children.length
}

/** putOnPage lists a top-level field on page p, keeping the page's list in form order. */
function putOnPage(m: FormModel, id: string, p: number): FormModel {
  const pages = m.pages!
  const last = pages.length - 1
  const already = pages[p].fields.some((r) => 'id' in r && r.id === id)
  const unlisted = !pages.some((pg) => pg.fields.some((r) => 'id' in r && r.id === id))
  if (already || (p === last && unlisted)) return m
  const order = m.nodes[ROOT].box!.children
  const rank = order.indexOf(id)
  const newPages = pages.map((pg, i) => {
    const fields = pg.fields.filter((r) => !('id' in r && r.id === id))
    if (i !== p) return fields.length === pg.fields.length ? pg : { ...pg, fields }
    let at = 0
    while (at < fields.length) {
      const r = fields[at]
      if ('id' in r && order.indexOf(r.id) > rank) break
      at++
    }
    return { ...pg, fields: [...fields.slice(0, at), { id }, ...fields.slice(at)] }
  })
  return { ...m, pages: newPages }
}

/** isInside tells whether id is ancestor or equal to node. */
function isInside(m: FormModel, node: string, ancestor: string): boolean {
  for (let n: string | undefined = node; n; n = m.nodes[n]?.parent) if (n === ancestor) return true
  return false
}

/** canMove tells whether a field may go into parent (not into itself or its own descendants). */
export function canMove(m: FormModel, id: string, parent: string): boolean {
  return !!m.nodes[parent]?.box && !isInside(m, parent, id)
}

/** moveField moves a field (with its children) to target. */
export function moveField(m: FormModel, id: string, target: Target): FormModel {
  const node = m.nodes[id]
  if (!node || id === ROOT || !canMove(m, id, target.parent)) return m
  let out = m
  if (node.parent !== target.parent) {
    out = detach(out, id)
    const name = uniqueName(out, target.parent, node.name)
    out = setNode(out, { ...out.nodes[id], parent: target.parent, name })
  }
  return insertChild(out, id, target)
}

/** detach removes a field from its parent's lists (children, required, pages) but keeps its record. */
function detach(m: FormModel, id: string): FormModel {
  const node = m.nodes[id]
  const parent = m.nodes[node.parent]
  const box = parent.box!
  const drop = (r: { id: string } | { name: string }) => !('id' in r && r.id === id)
  let out = setNode(m, {
    ...parent,
    box: {
      ...box,
      children: box.children.filter((c) => c !== id),
      propOrder: box.propOrder.filter((c) => c !== id),
      requiredRefs: box.requiredRefs.filter(drop),
    },
  })
  if (out.pages && parent.id === ROOT) out = { ...out, pages: out.pages.map((p) => (p.fields.some((r) => !drop(r)) ? { ...p, fields: p.fields.filter(drop) } : p)) }
  return out
}

/** removeField deletes a field and everything inside it. Fields shown on a condition about one of them lose the condition (and stay required if they were required when shown). */
export function removeField(m: FormModel, id: string): FormModel {
  if (!m.nodes[id] || id === ROOT) return m
  const out = detach(m, id)
  const nodes = { ...out.nodes }
  const gone = (n: string) => {
    for (const c of nodes[n].box?.children ?? []) gone(c)
    delete nodes[n]
  }
  gone(id)
  for (const n of Object.values(nodes)) {
    if (n.cond && !nodes[n.cond.ctl]) nodes[n.id] = dropCond(n)
  }
  return { ...out, nodes }
}

function dropCond(n: FieldNode): FieldNode {
  return { ...n, cond: undefined, required: n.required || !!n.cond?.required, ui: uiSet(n.ui, 'ui:showIf', undefined) }
}

/** moveBy moves a field up (-1) or down (+1) among its siblings (on its page). */
export function moveBy(m: FormModel, id: string, delta: number): FormModel {
  const node = m.nodes[id]
  if (!node) return m
  if (node.parent === ROOT && m.pages) {
    const page = pageOf(m, id)
    const list = pageFields(m, page)
    const i = list.indexOf(id) + delta
    if (i < 0 || i >= list.length) {
      const to = page + delta
      if (to < 0 || to >= m.pages.length) return m
      return moveField(m, id, { parent: ROOT, index: delta < 0 ? pageFields(m, to).length : 0, page: to })
    }
    return moveField(m, id, { parent: ROOT, index: i, page })
  }
  const list = m.nodes[node.parent].box!.children
  const i = list.indexOf(id) + delta
  if (i < 0 || i >= list.length) return m
  return moveField(m, id, { parent: node.parent, index: i })
}

// ---------------------------------------------------------------- properties

/** setSchema sets (or removes, with undefined) a keyword of a field's schema. */
export function setSchema(m: FormModel, id: string, key: string, value: Json | undefined): FormModel {
  const node = m.nodes[id]
  return setNode(m, { ...node, schema: withKey(node.schema, key, value) })
}

/** setItemsSchema sets a keyword of a repeat group's or checkboxes' items schema. */
export function setItemsSchema(m: FormModel, id: string, key: string, value: Json | undefined): FormModel {
  const node = m.nodes[id]
  const items = isObject(node.schema.items) ? node.schema.items : {}
  return setNode(m, { ...node, schema: withKey(node.schema, 'items', withKey(items, key, value)) })
}

/** setUI sets (or removes) an own UI key of a field. */
export function setUI(m: FormModel, id: string, key: string, value: Json | undefined): FormModel {
  const node = m.nodes[id]
  return setNode(m, { ...node, ui: uiSet(node.ui, key, value) })
}

/** setUIOption sets (or removes) ui:options.<key>. */
export function setUIOption(m: FormModel, id: string, key: string, value: Json | undefined): FormModel {
  const node = m.nodes[id]
  let cur: JsonObject = {}
  for (const e of node.ui) if ('k' in e && e.k === 'ui:options' && isObject(e.v)) cur = e.v
  const next = withKey(cur, key, value)
  return setUI(m, id, 'ui:options', Object.keys(next).length ? next : undefined)
}

/** setItemsUI sets (or removes) an own key of a repeat group's ui.items. */
export function setItemsUI(m: FormModel, id: string, key: string, value: Json | undefined): FormModel {
  const node = m.nodes[id]
  const entries: UIEntry[] = uiSet(node.itemsUI ?? [], key, value)
  return setNode(m, { ...node, itemsUI: entries.length || node.itemsUI ? entries : undefined })
}

/** setRequired marks a field required or optional; a conditional field is required only when shown (its allOf rule). */
export function setRequired(m: FormModel, id: string, required: boolean): FormModel {
  const node = m.nodes[id]
  if (node.cond) return setNode(m, { ...node, required: false, cond: { ...node.cond, required } })
  return setNode(m, { ...node, required })
}

/** isRequired tells whether a field is required (when shown, for a conditional field). */
export function isRequired(node: FieldNode): boolean {
  return node.required || !!node.cond?.required
}

/** CondInput is a condition as the properties panel edits it. */
export interface CondInput {
  ctl: string
  op: CondOp
  /** equals, in: the controlling field's choice values (typed as in its schema). */
  values?: Json[]
  /** checked: the state that shows the field (default true). */
  checked?: boolean
}

/**
 * setCondition shows a field only when another one has some value ("ui:showIf"), or always (null). A field
 * required when it gets a condition becomes required only when shown: out of its object's "required", into
 * an allOf if/then rule in the object of the controlling field. Without its condition it is required again.
 */
export function setCondition(m: FormModel, id: string, c: CondInput | null): FormModel {
  const node = m.nodes[id]
  if (!node || id === ROOT) return m
  if (!c) return node.cond || node.ui.some((e) => 'k' in e && e.k === 'ui:showIf') ? setNode(m, dropCond(node)) : m
  if (!m.nodes[c.ctl] || c.ctl === id) return m
  const cond: Cond = {
    ctl: c.ctl,
    op: c.op,
    values: c.op === 'checked' ? [] : c.op === 'equals' ? (c.values ?? []).slice(0, 1) : [...(c.values ?? [])],
    checked: c.op === 'checked' ? c.checked !== false : false,
    required: node.cond ? node.cond.required : node.required,
    raw: node.cond?.raw,
  }
  const ui = node.ui.some((e) => 'k' in e && e.k === 'ui:showIf') ? node.ui : uiSet(node.ui, 'ui:showIf', null)
  return setNode(m, { ...node, required: false, cond, ui })
}

/** defaultCondition is the condition a field gets when the controlling field is first chosen: its first choice, or ticked. */
export function defaultCondition(m: FormModel, ctl: string): CondInput {
  const n = m.nodes[ctl]
  if (kindOf(n) === 'checkbox' || kindOf(n) === 'consent') return { ctl, op: 'checked', checked: true }
  return { ctl, op: 'equals', values: choiceValues(n).slice(0, 1) }
}

/** CONTROL_KINDS are the kinds of fields a condition can depend on. */
export const CONTROL_KINDS = ['select', 'radio', 'checkboxes', 'checkbox']

/** conditionCandidates lists the fields a field's condition can depend on: choices and checkboxes before it, in its object or an enclosing one. */
export function conditionCandidates(m: FormModel, id: string): string[] {
  const order = formOrder(m)
  const at = order.indexOf(id)
  return order.slice(0, Math.max(at, 0)).filter((c) => CONTROL_KINDS.includes(kindOf(m.nodes[c])) && encloses(m, m.nodes[c].parent, id))
}

/** encloses tells whether container holds id at some depth. */
function encloses(m: FormModel, container: string, id: string): boolean {
  for (let p = m.nodes[id]?.parent; p; p = m.nodes[p]?.parent) if (p === container) return true
  return false
}

/** conditionProblem says what keeps a field's condition from working ("" when nothing): a message key of the panel. */
export function conditionProblem(m: FormModel, id: string): string {
  const c = m.nodes[id]?.cond
  if (!c) return ''
  const ctl = m.nodes[c.ctl]
  if (!ctl) return 'props.cond.problem.gone'
  if (!conditionCandidates(m, id).includes(c.ctl)) return 'props.cond.problem.order'
  if (c.op === 'checked') return ['checkbox', 'consent'].includes(kindOf(ctl)) ? '' : 'props.cond.problem.values'
  const vals = choiceValues(ctl)
  if (!c.values.length || !c.values.every((v) => vals.some((x) => x === v))) return 'props.cond.problem.values'
  return ''
}

/** renameField changes a field's property name (made unique among its siblings). */
export function renameField(m: FormModel, id: string, name: string): FormModel {
  const node = m.nodes[id]
  const clean = name.replace(/[./~\s]/g, '_')
  if (!clean) return m
  return setNode(m, { ...node, name: uniqueName(m, node.parent, clean, id) })
}

/** setOptions writes the choices of a select, radio or checkboxes field in the style it already uses. */
export function setOptions(m: FormModel, id: string, options: Option[]): FormModel {
  const node = m.nodes[id]
  const checkboxes = kindOf(node) === 'checkboxes'
  const s = choiceSchema(node)
  const plain = options.every((o) => o.label === o.value)
  let next: JsonObject
  let out = m
  if (Array.isArray(s.enum) && !Array.isArray(s.oneOf)) {
    next = withKey(s, 'enum', options.map((o) => o.value))
    out = setUI(out, id, 'ui:enumNames', plain ? undefined : options.map((o) => o.label))
  } else {
    next = withKey(withKey(s, 'enum', undefined), 'oneOf', options.map((o) => ({ const: o.value, title: o.label })))
  }
  const cur = out.nodes[id]
  return setNode(out, { ...cur, schema: checkboxes ? withKey(cur.schema, 'items', next) : next })
}

/** switchKind turns a field into another kind of the same value type, keeping its label and help. */
export function switchKind(m: FormModel, id: string, kind: PaletteKind): FormModel {
  const node = m.nodes[id]
  const { schema, ui } = newField(kind, String(node.schema.title ?? ''))
  let s: JsonObject = { ...schema }
  for (const k of ['description', 'default', 'examples']) if (node.schema[k] !== undefined) s = withKey(s, k, node.schema[k])
  // Choice fields keep their choices, text fields their lengths.
  for (const k of ['oneOf', 'enum', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum']) {
    if (node.schema[k] !== undefined && (k !== 'enum' || s.oneOf === undefined)) s = withKey(s, k, node.schema[k])
  }
  if (s.enum !== undefined && node.schema.oneOf === undefined) s = withKey(s, 'oneOf', undefined)
  let entries: UIEntry[] = node.ui.filter((e) => 'k' in e && !['ui:widget', 'ui:options'].includes(e.k))
  for (const [k, v] of Object.entries(ui)) entries = uiSet(entries, k, v)
  return setNode(m, { ...node, schema: s, ui: entries })
}

/** replaceField swaps a field's raw schema and UI (the JSON editor of a custom field); its "ui:showIf" is read again. */
export function replaceField(m: FormModel, id: string, schema: JsonObject, ui: JsonObject): FormModel {
  const node = m.nodes[id]
  if (node.box) return m // containers are edited field by field
  let cond = ui['ui:showIf'] === undefined ? undefined : readCond(m, ui['ui:showIf'], id)
  if (cond && node.cond) cond = { ...cond, required: node.cond.required }
  const required = node.required || (!cond && !!node.cond?.required)
  return setNode(m, { ...node, schema, required, cond, ui: Object.entries(ui).map(([k, v]) => ({ k, v })) })
}

// ---------------------------------------------------------------- pages

/** enablePages splits the form into pages: one page holding every field. */
export function enablePages(m: FormModel, title: string): FormModel {
  if (m.pages) return m
  const root = m.nodes[ROOT]
  const out = setNode(m, { ...root, ui: root.ui.filter((e) => !('k' in e && e.k === 'ui:pages!')) })
  return { ...out, pages: [{ raw: { title, fields: [] }, fields: root.box!.children.map((id) => ({ id })) }] }
}

/** disablePages returns to a single-page form (field order is kept). */
export function disablePages(m: FormModel): FormModel {
  if (!m.pages) return m
  const root = m.nodes[ROOT]
  // Put fields in page order first so nothing moves on screen.
  const order = m.pages.flatMap((_, i) => pageFields(m, i))
  const out = setNode(m, { ...root, ui: root.ui.filter((e) => !('k' in e && e.k === 'ui:pages')), box: { ...root.box!, children: order } })
  return { ...out, pages: null }
}

/** addPage appends an empty page. */
export function addPage(m: FormModel, title: string): FormModel {
  if (!m.pages) return m
  // Fields that were unlisted on the old last page must stay there.
  const last = m.pages.length - 1
  const pages = m.pages.map((p, i) => (i === last ? { ...p, fields: pageFields(m, last).map((id) => ({ id })) } : p))
  return { ...m, pages: [...pages, { raw: { title, fields: [] }, fields: [] }] }
}

/** setPageTitle renames a page. */
export function setPageTitle(m: FormModel, i: number, title: string): FormModel {
  if (!m.pages) return m
  return { ...m, pages: m.pages.map((p, j) => (j === i ? { ...p, raw: withKey(p.raw, 'title', title) } : p)) }
}

/** removePage deletes a page; its fields go to the previous page (or the next one). */
export function removePage(m: FormModel, i: number): FormModel {
  if (!m.pages || m.pages.length < 2) return m
  const into = i > 0 ? i - 1 : 1
  const moved = pageFields(m, i)
  let out: FormModel = m
  // List fields of the receiving page explicitly before indexes shift.
  const keep = pageFields(m, into)
  const pages: Page[] = m.pages.map((p, j) => (j === into ? { ...p, fields: sortByForm(m, [...keep, ...moved]).map((id) => ({ id })) } : p))
  out = { ...m, pages: pages.filter((_, j) => j !== i) }
  return out
}

function sortByForm(m: FormModel, ids: string[]): string[] {
  const order = m.nodes[ROOT].box!.children
  return [...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b))
}

/** movePage moves page i by delta. */
export function movePage(m: FormModel, i: number, delta: number): FormModel {
  if (!m.pages) return m
  const j = i + delta
  if (j < 0 || j >= m.pages.length) return m
  // Make every page's list explicit so unlisted fields stay on their page.
  const pages = m.pages.map((p, k) => ({ ...p, fields: sortByForm(m, pageFields(m, k)).map((id) => ({ id })) }))
  ;[pages[i], pages[j]] = [pages[j], pages[i]]
  return { ...m, pages }
}

/** childrenOf lists the fields shown in a container (on a page, for the paged root). */
export function childrenOf(m: FormModel, parent: string, page?: number): string[] {
  if (parent === ROOT && m.pages && page !== undefined) return pageFields(m, page)
  return m.nodes[parent].box!.children
}

/** containers lists every place a field can be moved to, for the keyboard "move to" menu. */
export function containers(m: FormModel): { parent: string; page?: number; depth: number }[] {
  const out: { parent: string; page?: number; depth: number }[] = []
  const walk = (id: string, depth: number) => {
    for (const c of m.nodes[id].box!.children) {
      if (m.nodes[c].box) {
        out.push({ parent: c, depth })
        walk(c, depth + 1)
      }
    }
  }
  if (m.pages) m.pages.forEach((_, i) => out.push({ parent: ROOT, page: i, depth: 0 }))
  else out.push({ parent: ROOT, depth: 0 })
  walk(ROOT, 1)
  return out
}

export { isRepeat, containerSchema }
