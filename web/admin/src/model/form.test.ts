import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fromForm, pageFields, pageOf, pointerOf, fieldByPointer, ROOT, toForm, type FormModel } from './form'
import { isObject, type Json, type JsonObject } from './json'
import {
  addField,
  addPage,
  conditionCandidates,
  conditionProblem,
  defaultCondition,
  disablePages,
  isRequired,
  enablePages,
  moveBy,
  moveField,
  removeField,
  removePage,
  renameField,
  setCondition,
  setOptions,
  setRequired,
  setSchema,
  switchKind,
} from './formOps'
import { kindOf, optionsOf, PALETTE } from './kinds'

const presetDir = join(__dirname, '../../../../builder/presets')

/** Every form of a procedure: scenario forms, transition forms, opinion forms. */
function formsOf(proc: JsonObject): [string, JsonObject][] {
  const out: [string, JsonObject][] = []
  const scenarios = Array.isArray(proc.scenarios) ? proc.scenarios : []
  scenarios.forEach((s, i) => {
    if (!isObject(s)) return
    if (isObject(s.form)) out.push([`scenarios[${i}].form`, s.form])
    const p = s.pipeline
    if (!isObject(p)) return
    ;(Array.isArray(p.transitions) ? p.transitions : []).forEach((t, j) => {
      if (isObject(t) && isObject(t.form)) out.push([`scenarios[${i}].pipeline.transitions[${j}].form`, t.form])
    })
    ;(Array.isArray(p.roles) ? p.roles : []).forEach((r, j) => {
      if (isObject(r) && isObject(r.opinionForm)) out.push([`scenarios[${i}].pipeline.roles[${j}].opinionForm`, r.opinionForm])
    })
  })
  return out
}

const presets = readdirSync(presetDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(join(presetDir, f), 'utf8')) as JsonObject] as const)

/** The exact text JSON.stringify gives: equal strings mean equal values and equal key order. */
const text = (v: unknown) => JSON.stringify(v)

describe('round trip of every preset form', () => {
  it('finds the presets', () => {
    expect(presets.length).toBeGreaterThanOrEqual(5)
    expect(presets.flatMap(([, p]) => formsOf(p)).length).toBeGreaterThanOrEqual(4)
  })
  for (const [file, proc] of presets) {
    for (const [where, form] of formsOf(proc)) {
      it(`${file} ${where}`, () => {
        const m = fromForm(form.schema, form.uiSchema)
        const out = toForm(m)
        expect(text(out.schema)).toBe(text(form.schema))
        expect(text(out.uiSchema)).toBe(text(form.uiSchema))
        // And again from the output: the model is stable.
        const again = toForm(fromForm(out.schema, out.uiSchema))
        expect(text(again)).toBe(text(out))
      })
    }
  }
})

function preset(name: string, scenario = 1): { schema: JsonObject; uiSchema?: JsonObject } {
  const p = presets.find(([f]) => f === name)![1]
  const s = (p.scenarios as JsonObject[])[scenario]
  return s.form as { schema: JsonObject; uiSchema?: JsonObject }
}

function byName(m: FormModel, path: string): string {
  let cur = ROOT
  for (const name of path.split('.')) cur = m.nodes[cur].box!.children.find((id) => m.nodes[id].name === name)!
  return cur
}

const names = (m: FormModel, parent = ROOT) => m.nodes[parent].box!.children.map((id) => m.nodes[id].name)

describe('kinds', () => {
  it('recognises the preset fields', () => {
    const m = fromForm(preset('reservation-salle.json').schema, preset('reservation-salle.json').uiSchema)
    const kinds = Object.fromEntries(m.nodes[ROOT].box!.children.map((id) => [m.nodes[id].name, kindOf(m.nodes[id])]))
    expect(kinds).toEqual({
      first_name: 'text',
      last_name: 'text',
      email: 'email',
      phone: 'tel',
      address: 'fieldset',
      room: 'radio',
      layout: 'radio',
      event_date: 'date',
      attendees: 'integer',
      equipment: 'repeat',
      description: 'textarea',
      attachment: 'file',
      consent: 'consent',
    })
    expect(kindOf(m.nodes[byName(m, 'equipment.item')])).toBe('select')
    expect(optionsOf(m.nodes[byName(m, 'room')]).map((o) => o.value)).toEqual(['salle-communale', 'salle-polyvalente', 'carnotzet'])
  })
  it('adds a field of every palette kind and writes a schema the model reads back as that kind', () => {
    let m = fromForm({ type: 'object', properties: {} })
    for (const k of PALETTE) m = addField(m, k, { parent: ROOT, index: 99 }, `Champ ${k}`)[0]
    const back = fromForm(toForm(m).schema, toForm(m).uiSchema)
    expect(back.nodes[ROOT].box!.children.map((id) => kindOf(back.nodes[id]))).toEqual([...PALETTE])
  })
})

describe('edits', () => {
  it('adds, moves and removes fields', () => {
    const f = preset('permis-construire.json')
    let m = fromForm(f.schema, f.uiSchema)
    let id: string
    ;[m, id] = addField(m, 'tel', { parent: ROOT, index: 3 }, 'Téléphone')
    expect(names(m).slice(0, 5)).toEqual(['first_name', 'last_name', 'email', 'telephone', 'parcel'])
    let out = toForm(m)
    expect(Object.keys(out.schema.properties as JsonObject)).toContain('telephone')
    expect((out.uiSchema!['ui:order'] as string[])[3]).toBe('telephone')
    expect(out.uiSchema!.telephone).toEqual({ 'ui:widget': 'tel', 'ui:autocomplete': 'tel' })

    // Into a fieldset: the name must stay unique there, required follows.
    m = setRequired(m, id, true)
    m = moveField(m, id, { parent: byName(m, 'parcel'), index: 0 })
    out = toForm(m)
    const parcel = (out.schema.properties as JsonObject).parcel as JsonObject
    expect(Object.keys(parcel.properties as JsonObject)).toEqual(['telephone', 'commune', 'number'])
    expect(parcel.required).toEqual(['commune', 'number', 'telephone'])
    expect(out.schema.required).not.toContain('telephone')
    expect((out.uiSchema!.parcel as JsonObject).telephone).toEqual({ 'ui:widget': 'tel', 'ui:autocomplete': 'tel' })
    expect(pointerOf(m, id)).toBe('/parcel/telephone')

    // Not into itself.
    const parcelID = byName(m, 'parcel')
    expect(moveField(m, parcelID, { parent: parcelID, index: 0 })).toBe(m)

    // Up and down.
    m = moveBy(m, byName(m, 'email'), -1)
    expect(names(m).slice(0, 3)).toEqual(['first_name', 'email', 'last_name'])
    out = toForm(m)
    expect((out.uiSchema!['ui:order'] as string[]).slice(0, 3)).toEqual(['first_name', 'email', 'last_name'])

    m = removeField(m, parcelID)
    expect(m.nodes[id]).toBeUndefined()
    out = toForm(m)
    expect(out.schema.properties).not.toHaveProperty('parcel')
    expect(out.schema.required).not.toContain('parcel')
    expect(out.uiSchema!['ui:order']).not.toContain('parcel')
  })

  it('reorders without ui:order by writing properties in the new order', () => {
    let m = fromForm({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } })
    m = moveField(m, byName(m, 'c'), { parent: ROOT, index: 0 })
    const out = toForm(m)
    expect(Object.keys(out.schema.properties as JsonObject)).toEqual(['c', 'a', 'b'])
    expect(out.uiSchema).toBeUndefined()
  })

  it('keeps ui:order with "*" while it still gives the order', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } } }
    let m = fromForm(schema, { 'ui:order': ['c', '*'] })
    expect(names(m)).toEqual(['c', 'a', 'b'])
    m = addField(m, 'text', { parent: ROOT, index: 3 }, 'D')[0]
    expect(toForm(m).uiSchema).toEqual({ 'ui:order': ['c', '*'] })
    m = moveBy(m, byName(m, 'c'), 1)
    expect(toForm(m).uiSchema).toEqual({ 'ui:order': ['a', 'c', 'b', 'd'] })
  })

  it('renames a field everywhere it is named', () => {
    const f = preset('reservation-salle.json')
    let m = fromForm(f.schema, f.uiSchema)
    m = renameField(m, byName(m, 'email'), 'courriel')
    const out = toForm(m)
    expect(out.schema.required).toContain('courriel')
    expect((out.uiSchema!['ui:pages'] as JsonObject[])[0].fields).toEqual(['first_name', 'last_name', 'courriel', 'phone', 'address'])
    expect(out.uiSchema!.courriel).toEqual({ 'ui:autocomplete': 'email', 'ui:placeholder': 'prenom.nom@exemple.ch' })
    // Names stay unique among siblings.
    m = renameField(m, byName(m, 'phone'), 'courriel')
    expect(names(m)).toContain('courriel_2')
  })

  it('edits options in the style the field uses', () => {
    const f = preset('reservation-salle.json')
    let m = fromForm(f.schema, f.uiSchema)
    const item = byName(m, 'equipment.item')
    m = setOptions(m, item, [
      { value: 'Tables', label: 'Tables' },
      { value: 'Bancs', label: 'Bancs de fête' },
    ])
    const items = (((toForm(m).schema.properties as JsonObject).equipment as JsonObject).items as JsonObject).properties as JsonObject
    expect(items.item).toEqual({ type: 'string', title: 'Matériel', enum: ['Tables', 'Bancs'] })
    expect(((toForm(m).uiSchema!.equipment as JsonObject).items as JsonObject).item).toEqual({ 'ui:widget': 'select', 'ui:enumNames': ['Tables', 'Bancs de fête'] })
    const room = byName(m, 'room')
    m = setOptions(m, room, [{ value: 'a', label: 'A' }])
    expect(((toForm(m).schema.properties as JsonObject).room as JsonObject).oneOf).toEqual([{ const: 'a', title: 'A' }])
  })

  it('switches kinds of the same value type', () => {
    let m = fromForm({ type: 'object', properties: { a: { type: 'string', title: 'A', maxLength: 10 } } })
    m = switchKind(m, byName(m, 'a'), 'textarea')
    expect(kindOf(m.nodes[byName(m, 'a')])).toBe('textarea')
    expect(toForm(m).schema.properties).toEqual({ a: { type: 'string', title: 'A', maxLength: 10 } })
    m = setSchema(m, byName(m, 'a'), 'minLength', 2)
    expect(((toForm(m).schema.properties as JsonObject).a as JsonObject).minLength).toBe(2)
  })
})

describe('pages', () => {
  it('reads pages and moves fields between them', () => {
    const f = preset('reservation-salle.json')
    let m = fromForm(f.schema, f.uiSchema)
    expect(m.pages!.length).toBe(3)
    expect(pageFields(m, 2).map((id) => m.nodes[id].name)).toEqual(['attachment', 'consent'])
    const phone = byName(m, 'phone')
    m = moveField(m, phone, { parent: ROOT, index: 0, page: 2 })
    expect(pageFields(m, 2).map((id) => m.nodes[id].name)).toEqual(['phone', 'attachment', 'consent'])
    expect(pageOf(m, phone)).toBe(2)
    const pages = toForm(m).uiSchema!['ui:pages'] as JsonObject[]
    expect(pages[0].fields).toEqual(['first_name', 'last_name', 'email', 'address'])
    expect(pages[2].fields).toEqual(['phone', 'attachment', 'consent'])
    // The form order puts phone before attachment; properties keep their written order.
    const back = fromForm(toForm(m).schema, toForm(m).uiSchema)
    expect(pageFields(back, 2).map((id) => back.nodes[id].name)).toEqual(['phone', 'attachment', 'consent'])
  })

  it('moves a field down past the end of a page onto the next', () => {
    const f = preset('reservation-salle.json')
    let m = fromForm(f.schema, f.uiSchema)
    m = moveBy(m, byName(m, 'description'), 1)
    expect(pageFields(m, 2).map((id) => m.nodes[id].name)).toEqual(['description', 'attachment', 'consent'])
  })

  it('adds, removes and turns off pages', () => {
    let m = fromForm({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } })
    m = enablePages(m, 'Étape 1')
    m = addPage(m, 'Étape 2')
    m = moveField(m, byName(m, 'b'), { parent: ROOT, index: 0, page: 1 })
    expect(toForm(m).uiSchema).toEqual({
      'ui:pages': [
        { title: 'Étape 1', fields: ['a'] },
        { title: 'Étape 2', fields: ['b'] },
      ],
    })
    // A field added to the last page without listing still lands there.
    m = addField(m, 'text', { parent: ROOT, index: 1, page: 1 }, 'C')[0]
    expect(pageFields(m, 1).map((id) => m.nodes[id].name)).toEqual(['b', 'c'])
    m = removePage(m, 1)
    expect(toForm(m).uiSchema).toEqual({ 'ui:pages': [{ title: 'Étape 1', fields: ['a', 'b', 'c'] }] })
    m = disablePages(m)
    expect(toForm(m).uiSchema).toBeUndefined()
    expect(names(m)).toEqual(['a', 'b', 'c'])
  })
})

describe('pointers', () => {
  it('finds a field from a schema pointer or a value pointer', () => {
    const f = preset('reservation-salle.json')
    const m = fromForm(f.schema, f.uiSchema)
    expect(m.nodes[fieldByPointer(m, '/properties/address/properties/city/maxLength')!].name).toBe('city')
    expect(m.nodes[fieldByPointer(m, '/equipment/0/quantity')!].name).toBe('quantity')
    expect(pointerOf(m, byName(m, 'equipment.quantity'))).toBe('/equipment/-/quantity')
  })
})

// Keep the Json import used for type checking of helpers above.
export type _J = Json

describe('conditions', () => {
  const room = preset('reservation-salle.json')
  const schemaOf = (out: { schema: JsonObject }, ...path: string[]) => {
    let s: Json = out.schema
    for (const p of path) s = (s as JsonObject)[p]
    return s as JsonObject
  }
  const rule = (ctl: string, value: JsonObject, then: JsonObject) => ({ if: { properties: { [ctl]: value }, required: [ctl] }, then })

  it('reads the preset condition', () => {
    const m = fromForm(room.schema, room.uiSchema)
    const layout = m.nodes[byName(m, 'layout')]
    expect(layout.cond).toMatchObject({ ctl: byName(m, 'room'), op: 'equals', values: ['salle-polyvalente'], required: true })
    expect(layout.required).toBe(false)
    expect(isRequired(layout)).toBe(true)
    expect(m.nodes[ROOT].box!.rules).toEqual([{ raw: (room.schema.allOf as Json[])[0], dep: layout.id }])
  })

  it('adds, edits and removes a condition', () => {
    let m = fromForm(room.schema, room.uiSchema)
    const description = byName(m, 'description')
    m = setRequired(m, description, true)
    expect(toForm(m).schema.required).toContain('description')

    // Add: required when shown, so out of "required" and into a rule after the preset's.
    m = setCondition(m, description, { ctl: byName(m, 'room'), op: 'in', values: ['salle-communale', 'carnotzet'] })
    let out = toForm(m)
    expect(out.uiSchema!.description).toEqual({ 'ui:widget': 'textarea', 'ui:options': { rows: 5 }, 'ui:showIf': { field: '/room', in: ['salle-communale', 'carnotzet'] } })
    expect(out.schema.required).not.toContain('description')
    expect(out.schema.allOf).toEqual([
      (room.schema.allOf as Json[])[0],
      rule('room', { enum: ['salle-communale', 'carnotzet'] }, { required: ['description'] }),
    ])
    let back = fromForm(out.schema, out.uiSchema)
    expect(back.nodes[byName(back, 'description')].cond).toMatchObject({ op: 'in', values: ['salle-communale', 'carnotzet'], required: true })
    expect(text(toForm(back))).toBe(text(out))

    // Edit: the rule changes in place; optional when shown: no rule at all.
    m = setCondition(m, description, { ctl: byName(m, 'room'), op: 'equals', values: ['carnotzet'] })
    out = toForm(m)
    expect(out.uiSchema!.description).toMatchObject({ 'ui:showIf': { field: '/room', equals: 'carnotzet' } })
    expect((out.schema.allOf as Json[])[1]).toEqual(rule('room', { const: 'carnotzet' }, { required: ['description'] }))
    m = setRequired(m, description, false)
    out = toForm(m)
    expect(out.schema.allOf).toEqual(room.schema.allOf)
    expect(out.schema.required).not.toContain('description')
    m = setRequired(m, description, true)

    // Remove: always shown, and required again.
    m = setCondition(m, description, null)
    out = toForm(m)
    expect(out.uiSchema!.description).toEqual({ 'ui:widget': 'textarea', 'ui:options': { rows: 5 } })
    expect(out.schema.allOf).toEqual(room.schema.allOf)
    expect(out.schema.required).toContain('description')

    // Removing the preset's only condition removes "allOf"; layout is then always required.
    m = setCondition(m, byName(m, 'layout'), null)
    out = toForm(m)
    expect(out.schema).not.toHaveProperty('allOf')
    expect(out.schema.required).toContain('layout')
    expect(out.uiSchema!.layout).toEqual({ 'ui:widget': 'radio' })
  })

  it('follows renames and removals of the controlling field', () => {
    let m = fromForm(room.schema, room.uiSchema)
    m = renameField(m, byName(m, 'room'), 'salle')
    let out = toForm(m)
    expect((out.uiSchema!.layout as JsonObject)['ui:showIf']).toEqual({ field: '/salle', equals: 'salle-polyvalente' })
    expect(out.schema.allOf).toEqual([rule('salle', { const: 'salle-polyvalente' }, { required: ['layout'] })])
    m = renameField(m, byName(m, 'layout'), 'disposition')
    expect(toForm(m).schema.allOf).toEqual([rule('salle', { const: 'salle-polyvalente' }, { required: ['disposition'] })])
    m = removeField(m, byName(m, 'salle'))
    out = toForm(m)
    expect(out.uiSchema!.disposition).toEqual({ 'ui:widget': 'radio' })
    expect(out.schema).not.toHaveProperty('allOf')
    expect(out.schema.required).toContain('disposition')
  })

  it('writes rules in the object of the controlling field, down to deeper fields', () => {
    let m = fromForm({ type: 'object', properties: {} })
    const add = (kind: Parameters<typeof addField>[1], parent: string, title: string) => {
      let id: string
      ;[m, id] = addField(m, kind, { parent, index: 99 }, title)
      return id
    }
    const news = add('checkbox', ROOT, 'Newsletter')
    const meals = add('checkboxes', ROOT, 'Repas')
    const contact = add('fieldset', ROOT, 'Contact')
    const by = add('radio', contact, 'Par')
    const phone = add('tel', contact, 'Téléphone')
    const items = add('repeat', ROOT, 'Matériel')
    const item = add('select', items, 'Article')
    const watts = add('integer', items, 'Puissance')
    const email = add('email', contact, 'Courriel')
    for (const id of [phone, watts, email]) m = setRequired(m, id, true)
    m = setCondition(m, phone, { ctl: by, op: 'equals', values: ['oui'] })
    m = setCondition(m, watts, { ctl: item, op: 'equals', values: ['option-2'] })
    m = setCondition(m, email, { ctl: news, op: 'checked' })
    m = setCondition(m, items, { ctl: meals, op: 'in', values: ['option-1'] })
    const out = toForm(m)
    expect(schemaOf(out, 'properties', 'contact').allOf).toEqual([rule('par', { const: 'oui' }, { required: ['telephone'] })])
    expect(schemaOf(out, 'properties', 'materiel', 'items').allOf).toEqual([rule('article', { const: 'option-2' }, { required: ['puissance'] })])
    expect(out.schema.allOf).toEqual([rule('newsletter', { const: true }, { properties: { contact: { required: ['courriel'] } } })])
    expect((out.uiSchema!.materiel as JsonObject)['ui:showIf']).toEqual({ field: '/repas', in: ['option-1'] })
    expect(((out.uiSchema!.materiel as JsonObject).items as JsonObject).puissance).toEqual({ 'ui:showIf': { field: '/materiel/-/article', equals: 'option-2' } })
    expect(((out.uiSchema!.contact as JsonObject).courriel as JsonObject)['ui:showIf']).toEqual({ field: '/newsletter', checked: true })
    const back = fromForm(out.schema, out.uiSchema)
    expect(text(toForm(back))).toBe(text(out))
    expect(isRequired(back.nodes[byName(back, 'contact.courriel')])).toBe(true)

    // Checkboxes: "contains"; a moved field keeps its condition, by ID.
    m = setRequired(m, items, true)
    expect(toForm(m).schema.allOf).toContainEqual(rule('repas', { contains: { enum: ['option-1'] } }, { required: ['materiel'] }))
    m = moveField(m, email, { parent: ROOT, index: 99 })
    expect(toForm(m).schema.allOf).toContainEqual(rule('newsletter', { const: true }, { required: ['courriel'] }))
    expect(conditionProblem(m, email)).toBe('')
    m = moveField(m, news, { parent: ROOT, index: 99 })
    expect(conditionProblem(m, email)).toBe('props.cond.problem.order')
  })

  it('offers the choices and checkboxes before the field, in its object or an enclosing one', () => {
    const m = fromForm(room.schema, room.uiSchema)
    const nameOf = (ids: string[]) => ids.map((id) => m.nodes[id].name)
    expect(nameOf(conditionCandidates(m, byName(m, 'description')))).toEqual(['room', 'layout'])
    expect(nameOf(conditionCandidates(m, byName(m, 'equipment.quantity')))).toEqual(['room', 'layout', 'item'])
    expect(nameOf(conditionCandidates(m, byName(m, 'room')))).toEqual([])
    expect(defaultCondition(m, byName(m, 'room'))).toEqual({ ctl: byName(m, 'room'), op: 'equals', values: ['salle-communale'] })
  })

  it('keeps what it does not manage as written', () => {
    const schema: JsonObject = {
      type: 'object',
      properties: { a: { type: 'boolean' }, b: { type: 'string' }, c: { type: 'string' } },
      allOf: [{ if: { properties: { a: { const: true } } }, then: { required: ['c'] } }, { if: { properties: { a: { const: true } }, required: ['a'] }, then: { required: ['b'] } }],
    }
    const ui = { b: { 'ui:showIf': { checked: true, field: '/a' } }, c: { 'ui:showIf': { field: '/nope', equals: 1 } } }
    let m = fromForm(schema, ui)
    expect(m.nodes[byName(m, 'b')].cond).toMatchObject({ op: 'checked', checked: true, required: true })
    expect(m.nodes[byName(m, 'c')].cond).toBeUndefined()
    expect(text(toForm(m))).toBe(text({ schema, uiSchema: ui }))
    m = setCondition(m, byName(m, 'b'), { ctl: byName(m, 'a'), op: 'checked', checked: false })
    const out = toForm(m)
    expect(out.schema.allOf).toEqual([(schema.allOf as Json[])[0], rule('a', { const: false }, { required: ['b'] })])
    expect(out.uiSchema!.c).toEqual(ui.c)
  })
})
